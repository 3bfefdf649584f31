#include "transport/tr87_dialog.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cstad::transport {
namespace {

constexpr const char* csta_type = "application/csta+xml";
constexpr const char* allow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE";
constexpr std::size_t answers_kept = 32;  // final answers kept for repeated requests (UDP)

std::string key_of(std::uint32_t cseq, const std::string& method) { return std::to_string(cseq) + " " + method; }

// "1800;refresher=uac" → 1800; nothing when absent or not a number.
std::optional<std::chrono::seconds> seconds_of(const std::string& value) {
  if (value.empty() || value[0] < '0' || value[0] > '9')
    return std::nullopt;
  return std::chrono::seconds{std::strtol(value.c_str(), nullptr, 10)};
}

bool lists(const std::string& header, const std::string& option) {
  std::string h;
  for (char c : header)
    h += static_cast<char>(c == ' ' || c == '\t' ? ',' : std::tolower(static_cast<unsigned char>(c)));
  return ("," + h + ",").find("," + option + ",") != std::string::npos;
}

// The URI inside a name-addr ("\"A\" <sip:a@b>;tag=x" → "sip:a@b").
std::string uri_of(const std::string& name_addr) {
  auto open = name_addr.find('<');
  auto close = name_addr.find('>', open);
  if (open != std::string::npos && close != std::string::npos)
    return name_addr.substr(open + 1, close - open - 1);
  return name_addr.substr(0, name_addr.find(';'));
}

// host:port for our Via and Contact. A server bound to every address (0.0.0.0, ::) cannot
// advertise that: it takes the address the client used for it, from the INVITE's Request-URI.
std::string advertised_address(const tr87_settings& s, const sip_message& invite) {
  auto own = s.host + ":" + std::to_string(s.port);
  if (s.host != "0.0.0.0" && s.host != "::" && !s.host.empty())
    return own;
  auto uri = invite.request_uri;
  auto colon = uri.find(':');  // after the scheme
  if (colon == std::string::npos)
    return own;
  auto rest = uri.substr(colon + 1);
  if (auto at = rest.find('@'); at != std::string::npos)
    rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find_first_of(";?"));
  if (rest.empty())
    return own;
  // With no port in the URI, ours is what the client reached.
  bool has_port = rest.front() == '[' ? rest.find("]:") != std::string::npos : rest.find(':') != std::string::npos;
  return has_port ? rest : rest + ":" + std::to_string(s.port);
}

}  // namespace

std::string tr87_line_of(const std::string& body) {
  // The text of the first element named line, with any prefix (<lcs:line xmlns:lcs="…">).
  for (auto open = body.find('<'); open != std::string::npos; open = body.find('<', open + 1)) {
    auto name_end = body.find_first_of(" \t\r\n/>", open + 1);
    if (name_end == std::string::npos)
      return {};
    auto name = body.substr(open + 1, name_end - open - 1);
    auto colon = name.rfind(':');
    if ((colon == std::string::npos ? name : name.substr(colon + 1)) != "line")
      continue;
    auto text_begin = body.find('>', name_end);
    if (text_begin == std::string::npos || body[text_begin - 1] == '/')
      return {};
    auto text_end = body.find('<', text_begin + 1);
    if (text_end == std::string::npos)
      return {};
    return body.substr(text_begin + 1, text_end - text_begin - 1);
  }
  return {};
}

tr87_dialog::tr87_dialog(tr87_settings settings, const sip_message& invite, std::string local_tag, time_point now,
                         output& out)
    : settings_(std::move(settings)),
      call_id_(invite.call_id),
      remote_tag_(invite.from_tag),
      local_tag_(std::move(local_tag)),
      line_(tr87_line_of(invite.body)),
      remote_uri_(invite.from),
      local_uri_(invite.to + ";tag=" + local_tag_),
      remote_target_(invite.contact.empty() ? uri_of(invite.from) : invite.contact),
      advertised_(advertised_address(settings_, invite)) {
  on_request(invite, now, out);
}

std::string tr87_dialog::own_contact() const {
  return "sip:cstad@" + advertised_ + ";transport=" +
         (settings_.transport == "UDP" ? "udp" : settings_.transport == "TLS" ? "tls" : "tcp");
}

void tr87_dialog::answer(const sip_message& request, sip_message response, output& out) {
  auto text = render_sip(response);
  if (response.status >= 200 && request.method != "ACK") {
    answered_.emplace_back(key_of(request.cseq, request.method), text);
    if (answered_.size() > answers_kept)
      answered_.pop_front();
  }
  out.send.push_back(std::move(text));
}

void tr87_dialog::add_session_timer(sip_message& response) const {
  if (!timer_)
    return;
  response.headers.emplace_back("Session-Expires", std::to_string(interval_.count()) + ";refresher=uac");
  response.headers.emplace_back("Require", "timer");
}

// The session timer of an INVITE or UPDATE (RFC 4028): what the client asks for, at least
// Min-SE; a client that supports timers but names none gets ours. False (and 422 sent) for an
// interval below Min-SE.
bool tr87_dialog::take_invite(const sip_message& r, time_point now, output& out) {
  auto asked = seconds_of(r.header("session-expires"));
  if (asked && *asked < settings_.min_se) {
    auto too_small = response_to(r, 422, "Session Interval Too Small", local_tag_);
    too_small.headers.emplace_back("Min-SE", std::to_string(settings_.min_se.count()));
    answer(r, std::move(too_small), out);
    return false;
  }
  if (asked || lists(r.header("supported"), "timer")) {
    timer_ = true;
    interval_ = asked.value_or(settings_.default_session_expires);
  }
  if (timer_)
    expires_ = now + interval_;
  if (!r.contact.empty())
    remote_target_ = r.contact;
  return true;
}

void tr87_dialog::answer_invite(const sip_message& invite, const std::string& body, time_point now, output& out) {
  auto ok = response_to(invite, 200, "OK", local_tag_);
  ok.contact = own_contact();
  ok.headers.emplace_back("Allow", allow);
  ok.headers.emplace_back("Supported", "timer");
  add_session_timer(ok);
  if (!body.empty()) {
    ok.content_type = csta_type;
    ok.body = body;
  }
  established_ = true;
  auto text = render_sip(ok);
  answered_.emplace_back(key_of(invite.cseq, invite.method), text);
  if (!settings_.reliable) {
    // RFC 3261 13.3.1.4: the 2xx goes again at T1, 2·T1, … (at most T2) until the ACK.
    invite_ok_ = repeat{text, now + settings_.t1, settings_.t1, now + 64 * settings_.t1};
    invite_ok_cseq_ = invite.cseq;
  }
  out.send.push_back(std::move(text));
}

void tr87_dialog::on_request(const sip_message& r, time_point now, output& out) {
  if (over_)
    return;
  if (r.method == "ACK") {
    if (invite_ok_ && r.cseq == invite_ok_cseq_)
      invite_ok_.reset();
    return;
  }
  if (r.method == "CANCEL") {
    // Only an INVITE still waiting for the session can be cancelled.
    for (auto i = waiting_.begin(); i != waiting_.end(); ++i) {
      if (i->second.invite && i->second.request.cseq == r.cseq) {
        answer(r, response_to(r, 200, "OK", local_tag_), out);
        answer(i->second.request, response_to(i->second.request, 487, "Request Terminated", local_tag_), out);
        waiting_.erase(i);
        end("the client cancelled its INVITE", out);
        return;
      }
    }
    answer(r, response_to(r, 481, "Call/Transaction Does Not Exist", local_tag_), out);
    return;
  }
  // A request seen before gets the answer it got (UDP repeats); one still being answered gets
  // nothing more.
  auto key = key_of(r.cseq, r.method);
  for (auto& [k, text] : answered_)
    if (k == key) {
      out.send.push_back(text);
      return;
    }
  for (auto& [token, p] : waiting_)
    if (p.request.cseq == r.cseq && p.request.method == r.method)
      return;
  if (remote_cseq_ != 0 && r.cseq <= remote_cseq_) {
    answer(r, response_to(r, 500, "CSeq Out of Order", local_tag_), out);
    return;
  }
  remote_cseq_ = r.cseq;
  if (!r.body.empty() && r.content_type != csta_type) {
    auto refused = response_to(r, 415, "Unsupported Media Type", local_tag_);
    refused.headers.emplace_back("Accept", csta_type);
    answer(r, std::move(refused), out);
    if (r.method == "INVITE" && !established_)
      end("its INVITE carried no CSTA", out);
    return;
  }
  if (r.method == "INVITE") {
    if (!take_invite(r, now, out)) {
      if (!established_)
        end("its session interval was too small", out);
      return;
    }
    if (r.body.empty()) {
      answer_invite(r, {}, now, out);
      return;
    }
    if (!settings_.reliable)
      out.send.push_back(render_sip(response_to(r, 100, "Trying", local_tag_)));
    auto token = next_token_++;
    waiting_.emplace(token, pending{r, true});
    out.to_session.emplace_back(correlation{token}, r.body);
    return;
  }
  if (r.method == "INFO") {
    if (r.body.empty()) {
      answer(r, response_to(r, 200, "OK", local_tag_), out);  // an INFO without CSTA: nothing to do
      return;
    }
    auto token = next_token_++;
    waiting_.emplace(token, pending{r, false});
    out.to_session.emplace_back(correlation{token}, r.body);
    return;
  }
  if (r.method == "UPDATE") {
    if (!take_invite(r, now, out))
      return;
    auto ok = response_to(r, 200, "OK", local_tag_);
    ok.headers.emplace_back("Supported", "timer");
    add_session_timer(ok);
    answer(r, std::move(ok), out);
    return;
  }
  if (r.method == "BYE") {
    answer(r, response_to(r, 200, "OK", local_tag_), out);
    end("the client ended the dialog (BYE)", out);
    return;
  }
  if (r.method == "OPTIONS") {
    auto ok = response_to(r, 200, "OK", local_tag_);
    ok.headers.emplace_back("Allow", allow);
    ok.headers.emplace_back("Accept", csta_type);
    answer(r, std::move(ok), out);
    return;
  }
  auto refused = response_to(r, 405, "Method Not Allowed", local_tag_);
  refused.headers.emplace_back("Allow", allow);
  answer(r, std::move(refused), out);
}

void tr87_dialog::on_reply(correlation c, const std::string& xml, time_point now, output& out) {
  auto i = waiting_.find(c.token);
  if (i == waiting_.end() || over_)
    return;  // cancelled, or the dialog ended meanwhile
  auto p = std::move(i->second);
  waiting_.erase(i);
  if (p.invite) {
    answer_invite(p.request, xml, now, out);
    return;
  }
  auto ok = response_to(p.request, 200, "OK", local_tag_);
  ok.content_type = csta_type;
  ok.body = xml;
  answer(p.request, std::move(ok), out);
}

sip_message tr87_dialog::new_request(const std::string& method) {
  sip_message m;
  m.request = true;
  m.method = method;
  m.request_uri = remote_target_;
  m.vias.push_back("SIP/2.0/" + settings_.transport + " " + advertised_ +
                   ";branch=z9hG4bK" + local_tag_ + "." + std::to_string(++branch_serial_));
  m.from = local_uri_;
  m.from_tag = local_tag_;
  m.to = remote_uri_;
  m.to_tag = remote_tag_;
  m.call_id = call_id_;
  m.cseq = ++local_cseq_;
  m.cseq_method = method;
  m.headers.emplace_back("Max-Forwards", "70");
  return m;
}

void tr87_dialog::send_request(sip_message m, time_point now, output& out) {
  auto text = render_sip(m);
  // RFC 3261 17.1.2: over UDP a request goes again at T1, 2·T1, … (at most T2) until it is
  // answered or 64·T1 have passed. Nothing waits for the answer: Lync-style clients do not
  // always send one, and no event is held back for it.
  // Over a stream nothing is repeated, so nothing is kept either.
  if (!settings_.reliable)
    outgoing_.emplace(m.cseq, repeat{text, now + settings_.t1, settings_.t1, now + 64 * settings_.t1});
  out.send.push_back(std::move(text));
}

void tr87_dialog::on_notify(const std::string& xml, time_point now, output& out) {
  if (over_)
    return;
  auto info = new_request("INFO");
  info.contact = own_contact();
  info.headers.emplace_back("Content-Disposition", "signal;handling=required");
  info.content_type = csta_type;
  info.body = xml;
  send_request(std::move(info), now, out);
}

void tr87_dialog::on_response(const sip_message& r, time_point now, output& out) {
  (void)now;
  if (r.status < 200)
    return;  // provisional: the final answer ends the repeats
  outgoing_.erase(r.cseq);
  if (r.status == 481 && r.cseq_method == "INFO" && !over_) {
    over_ = true;
    out.ended = "the client does not know the dialog any more (481)";
  }
}

void tr87_dialog::on_close(const std::string& reason, time_point now, output& out) {
  if (over_)
    return;
  send_request(new_request("BYE"), now, out);
  end(reason, out);
}

void tr87_dialog::on_wake(time_point now, output& out) {
  if (over_)
    return;
  if (invite_ok_ && now >= invite_ok_->next) {
    if (now >= invite_ok_->give_up) {
      invite_ok_.reset();
      send_request(new_request("BYE"), now, out);
      end("the client never acknowledged the 200 OK to its INVITE", out);
      return;
    }
    out.send.push_back(invite_ok_->text);
    invite_ok_->interval = std::min(invite_ok_->interval * 2, settings_.t2);
    invite_ok_->next = now + invite_ok_->interval;
  }
  for (auto i = outgoing_.begin(); i != outgoing_.end();) {
    auto& r = i->second;
    if (now >= r.give_up) {
      i = outgoing_.erase(i);  // unanswered: nothing depends on it
      continue;
    }
    if (now >= r.next) {
      out.send.push_back(r.text);
      r.interval = std::min(r.interval * 2, settings_.t2);
      r.next = now + r.interval;
    }
    ++i;
  }
  if (timer_ && now >= expires_) {
    send_request(new_request("BYE"), now, out);
    end("the session timer expired without a refresh", out);
  }
}

std::optional<tr87_dialog::time_point> tr87_dialog::next_wake() const {
  if (over_)
    return std::nullopt;
  std::optional<time_point> next;
  auto consider = [&](time_point t) {
    if (!next || t < *next)
      next = t;
  };
  if (invite_ok_)
    consider(invite_ok_->next);
  for (auto& [cseq, r] : outgoing_)
    consider(std::min(r.next, r.give_up));
  if (timer_)
    consider(expires_);
  return next;
}

void tr87_dialog::end(std::string why, output& out) {
  over_ = true;
  out.ended = std::move(why);
}

}  // namespace cstad::transport
