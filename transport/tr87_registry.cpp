#include "transport/tr87_registry.hpp"

#include "common/printable.hpp"

#include <cctype>
#include <cstdio>

namespace cstad::transport {
namespace {

constexpr const char* allow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE";

// Methods SIP knows that TR/87 does not use: 405 with what we allow. Anything else: 501.
bool known_method(const std::string& m) {
  for (auto* k : {"REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "REFER", "PUBLISH", "PRACK"})
    if (m == k)
      return true;
  return false;
}

// A 400 for text osip could not read: its Via, From, To, Call-ID and CSeq lines copied as they
// are, when it has them, so the client can match the answer.
std::string bad_request(std::string_view text, const std::string& why) {
  std::string out = "SIP/2.0 400 Bad Request\r\n";
  auto head = text.substr(0, text.find("\r\n\r\n"));
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos < head.size()) {
    auto end = head.find("\r\n", pos + 2);
    auto line = head.substr(pos + 2, (end == std::string_view::npos ? head.size() : end) - pos - 2);
    std::string lower;
    for (char c : line.substr(0, line.find(':')))
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto* name : {"via", "v", "from", "f", "to", "t", "call-id", "i", "cseq"})
      if (lower == name) {
        out.append(line.data(), line.size());
        out += "\r\n";
      }
    pos = end;
  }
  out += "Warning: 399 cstad \"" + why + "\"\r\nContent-Length: 0\r\n\r\n";
  return out;
}

}  // namespace

tr87_dialog* tr87_registry::find(std::uint64_t id) {
  auto i = dialogs_.find(id);
  return i == dialogs_.end() ? nullptr : i->second.get();
}

void tr87_registry::erase(std::uint64_t id) {
  auto i = dialogs_.find(id);
  if (i == dialogs_.end())
    return;
  by_key_.erase({i->second->call_id(), i->second->remote_tag()});
  auto l = by_line_.find(i->second->line());
  if (l != by_line_.end() && l->second == id)
    by_line_.erase(l);
  dialogs_.erase(i);
}

std::string tr87_registry::new_tag() {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(random_()));
  return buf;
}

void tr87_registry::on_message(std::string_view text, const tr87_settings& settings, time_point now, output& out) {
  std::string error;
  auto parsed = parse_sip(text, error);
  if (!parsed) {
    out.refused = error;
    if (text.substr(0, 4) != "SIP/")  // never answer an answer
      out.reply.push_back(bad_request(text, error));
    return;
  }
  auto& m = *parsed;
  if (!m.request) {
    // The client's answer to one of our requests: its tag is in To.
    auto i = by_key_.find({m.call_id, m.to_tag});
    if (i == by_key_.end())
      return;
    out.routed_to = i->second;
    tr87_dialog::output o;
    dialogs_[i->second]->on_response(m, now, o);
    out.dialogs.emplace_back(i->second, std::move(o));
    return;
  }
  auto refuse = [&](int status, const char* reason, const char* why) {
    if (m.method == "ACK")
      return;  // an ACK is never answered (and one for our 4xx to an INVITE is expected)
    out.refused = why;
    auto r = response_to(m, status, reason, new_tag());
    if (status == 405)
      r.headers.emplace_back("Allow", allow);
    if (status == 415)
      r.headers.emplace_back("Accept", "application/csta+xml");
    out.reply.push_back(render_sip(r));
  };
  if (m.body.size() > 64 * 1024)
    return refuse(413, "Request Entity Too Large", "the request is too large");
  auto known = by_key_.find({m.call_id, m.from_tag});
  // RFC 3261 12.2.2: a request whose To tag is not ours belongs to no dialog of ours.
  if (known != by_key_.end() && !m.to_tag.empty() && m.to_tag != dialogs_[known->second]->local_tag())
    return refuse(481, "Call/Transaction Does Not Exist", "a request with a To tag of no dialog of ours");
  if (known != by_key_.end()) {
    out.routed_to = known->second;
    tr87_dialog::output o;
    dialogs_[known->second]->on_request(m, now, o);
    out.dialogs.emplace_back(known->second, std::move(o));
    return;
  }
  if (m.method == "OPTIONS") {
    auto ok = response_to(m, 200, "OK", new_tag());
    ok.headers.emplace_back("Allow", allow);
    ok.headers.emplace_back("Accept", "application/csta+xml");
    out.reply.push_back(render_sip(ok));
    return;
  }
  if (m.method != "INVITE") {
    if (m.method == "INFO" || m.method == "BYE" || m.method == "UPDATE" || m.method == "CANCEL" || m.method == "ACK")
      return refuse(481, "Call/Transaction Does Not Exist", "a request of no dialog this server knows");
    if (known_method(m.method))
      return refuse(405, "Method Not Allowed", "a method TR/87 does not use");
    return refuse(501, "Not Implemented", "an unknown method");
  }
  if (!m.to_tag.empty())
    return refuse(481, "Call/Transaction Does Not Exist", "a re-INVITE of no dialog this server knows");
  if (!m.body.empty() && m.content_type != "application/csta+xml")
    return refuse(415, "Unsupported Media Type", "an INVITE without application/csta+xml");
  auto id = next_id_++;
  auto line = tr87_line_of(m.body);
  tr87_dialog::output o;
  auto dialog = std::make_unique<tr87_dialog>(settings, m, new_tag(), now, o);
  bool lives = !dialog->over();
  out.routed_to = id;
  if (lives) {
    // One dialog per line: the client came back (Lync re-establishes after a restart or a
    // route change), so the old dialog and its monitors go.
    if (!line.empty()) {
      auto old = by_line_.find(line);
      if (old != by_line_.end() && dialogs_.count(old->second) != 0) {
        tr87_dialog::output replaced;
        dialogs_[old->second]->on_close("replaced by a new dialog for line " + printable(line), now, replaced);
        out.dialogs.emplace_back(old->second, std::move(replaced));
      }
      by_line_[line] = id;
    }
    by_key_[{m.call_id, m.from_tag}] = id;
    dialogs_.emplace(id, std::move(dialog));
    out.created.push_back(id);
  }
  out.dialogs.emplace_back(id, std::move(o));
}

}  // namespace cstad::transport
