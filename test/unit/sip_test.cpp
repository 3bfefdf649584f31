// TR/87 without sockets: SIP messages (libosip2 underneath), the stream cutter, one dialog on
// an injected clock (refresh, expiry, UDP repeats) and the registry's answers to what belongs
// to no dialog.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "transport/sip_message.hpp"
#include "transport/sip_stream.hpp"
#include "transport/tr87_dialog.hpp"
#include "transport/tr87_registry.hpp"

using namespace cstad::transport;
using namespace std::chrono_literals;

namespace {

const std::string ed3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3";

std::string rss(const std::string& line = "tel:+4687001000") {
  return "<?xml version=\"1.0\"?><RequestSystemStatus xmlns=\"" + ed3 +
         "\"><extensions><privateData><private><lcs:line "
         "xmlns:lcs=\"http://schemas.microsoft.com/Lcs/2005/04/RCCExtension\">" +
         line + "</lcs:line></private></privateData></extensions></RequestSystemStatus>";
}

// A request of the client "alice" in call "c1".
std::string request(const std::string& method, int cseq, const std::string& body = {},
                    const std::string& to_tag = {}, const std::string& extra = {},
                    const std::string& type = "application/csta+xml", const std::string& call = "c1") {
  std::string m = method + " sip:cstad@127.0.0.1:5062 SIP/2.0\r\n"
                  "Via: SIP/2.0/TCP 10.0.0.5:5061;branch=z9hG4bK" + method + std::to_string(cseq) + "\r\n"
                  "From: \"Alice\" <sip:alice@example.com>;tag=alice1\r\n"
                  "To: <sip:cstad@127.0.0.1>" + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n"
                  "Call-ID: " + call + "\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n"
                  "Contact: <sip:alice@10.0.0.5:5061;transport=tls>\r\n" + extra;
  if (!body.empty())
    m += "Content-Type: " + type + "\r\n";
  return m + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

sip_message parsed(const std::string& text) {
  std::string error;
  auto m = parse_sip(text, error);
  REQUIRE_MESSAGE(m.has_value(), error);
  return *m;
}

const tr87_dialog::time_point t0{};

}  // namespace

TEST_CASE("SIP: a Lync INVITE is read with its tags, CSeq, timer headers and CSTA body") {
  auto m = parsed(request("INVITE", 1, rss(), {}, "Supported: timer\r\nSession-Expires: 1800\r\n"));
  CHECK(m.request);
  CHECK(m.method == "INVITE");
  CHECK(m.request_uri == "sip:cstad@127.0.0.1:5062");
  CHECK(m.from_tag == "alice1");
  CHECK(m.to_tag.empty());
  CHECK(m.call_id == "c1");
  CHECK(m.cseq == 1);
  CHECK(m.cseq_method == "INVITE");
  CHECK(m.contact == "sip:alice@10.0.0.5:5061;transport=tls");
  CHECK(m.content_type == "application/csta+xml");
  CHECK(m.body == rss());
  CHECK(m.header("session-expires") == "1800");
  CHECK(m.header("supported") == "timer");
  CHECK(m.branch() == "z9hG4bKINVITE1");
  CHECK(tr87_line_of(m.body) == "tel:+4687001000");
  // Compact header names are SIP too.
  auto c = parsed("INFO sip:x@y SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKa\r\nf: <sip:a@b>;tag=1\r\n"
                  "t: <sip:x@y>;tag=2\r\ni: c2\r\nCSeq: 7 INFO\r\nc: application/csta+xml\r\nl: 4\r\n\r\n<a/>");
  CHECK(c.call_id == "c2");
  CHECK(c.to_tag == "2");
  CHECK(c.body == "<a/>");
}

TEST_CASE("SIP: what is not SIP, or lacks what SIP requires, is refused with the reason") {
  std::string error;
  CHECK_FALSE(parse_sip("\0\0\0\x20" "0001<MonitorStart/>", error));
  CHECK(error == "not a SIP message");
  CHECK_FALSE(parse_sip("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKb\r\nCSeq: 1 OPTIONS\r\n\r\n", error));
  CHECK(error == "a header SIP requires is missing (Via, From, To, Call-ID, CSeq)");
}

TEST_CASE("SIP: a response keeps the request's Vias, tags, Call-ID and CSeq, and reads back") {
  auto invite = parsed(request("INVITE", 1, rss()));
  auto ok = response_to(invite, 200, "OK", "srv9");
  ok.content_type = "application/csta+xml";
  ok.body = "<RequestSystemStatusResponse/>";
  auto text = render_sip(ok);
  CHECK(text.rfind("SIP/2.0 200 OK\r\n", 0) == 0);
  CHECK(text.find("Content-Length: 30\r\n") != std::string::npos);
  auto back = parsed(text);
  CHECK_FALSE(back.request);
  CHECK(back.status == 200);
  CHECK(back.vias == invite.vias);
  CHECK(back.from_tag == "alice1");
  CHECK(back.to_tag == "srv9");
  CHECK(back.cseq == 1);
  CHECK(back.cseq_method == "INVITE");
  CHECK(back.body == "<RequestSystemStatusResponse/>");
}

TEST_CASE("SIP over a stream: messages cut at every byte come out whole, keep-alives are skipped") {
  auto a = request("INFO", 2, "<MonitorStart/>", "t");
  auto b = request("INFO", 3, "<MonitorStop/>", "t");
  auto both = "\r\n\r\n" + a + b;
  for (std::size_t cut = 0; cut <= both.size(); ++cut) {
    sip_stream s;
    std::vector<std::string> got;
    s.feed(std::string_view{both}.substr(0, cut));
    while (auto m = s.next())
      got.push_back(*m);
    s.feed(std::string_view{both}.substr(cut));
    while (auto m = s.next())
      got.push_back(*m);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == a);
    CHECK(got[1] == b);
    CHECK(s.broken().empty());
  }
  sip_stream no_length;
  no_length.feed("INFO sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n");
  CHECK_FALSE(no_length.next());
  CHECK(no_length.broken() == "no Content-Length");
  sip_stream huge;
  huge.feed("INFO sip:x SIP/2.0\r\nContent-Length: 70000\r\n\r\n");
  CHECK_FALSE(huge.next());
  CHECK(huge.broken() == "oversized");
  sip_stream endless;
  endless.feed(std::string(sip_stream::max_headers + 1, 'x'));
  CHECK_FALSE(endless.next());
  CHECK(endless.broken() == "oversized");
}

TEST_CASE("TR/87 dialog: INVITE, ACK, INFO requests answered in the 200 OKs, events as INFO, BYE") {
  tr87_dialog::output out;
  tr87_dialog d{tr87_settings{}, parsed(request("INVITE", 1, rss(), {}, "Supported: timer\r\n")), "srv1", t0, out};
  CHECK(d.line() == "tel:+4687001000");
  CHECK(out.send.empty());  // the session answers first
  REQUIRE(out.to_session.size() == 1);
  CHECK(out.to_session[0].second == rss());
  auto rss_corr = out.to_session[0].first;
  out = {};
  d.on_reply(rss_corr, "<RequestSystemStatusResponse/>", t0, out);
  REQUIRE(out.send.size() == 1);
  auto ok = parsed(out.send[0]);
  CHECK(ok.status == 200);
  CHECK(ok.to_tag == "srv1");
  CHECK(ok.body == "<RequestSystemStatusResponse/>");
  CHECK(ok.contact == "sip:cstad@127.0.0.1:5062;transport=tcp");
  CHECK(ok.header("session-expires") == "1800;refresher=uac");
  CHECK(ok.header("require") == "timer");
  out = {};
  d.on_request(parsed(request("ACK", 1, {}, "srv1")), t0, out);
  CHECK(out.send.empty());
  d.on_request(parsed(request("INFO", 2, "<MonitorStart/>", "srv1")), t0, out);
  REQUIRE(out.to_session.size() == 1);
  auto corr = out.to_session[0].first;
  CHECK(corr != rss_corr);
  out = {};
  d.on_reply(corr, "<MonitorStartResponse/>", t0, out);
  auto info_ok = parsed(out.send.at(0));
  CHECK(info_ok.status == 200);
  CHECK(info_ok.cseq == 2);
  CHECK(info_ok.cseq_method == "INFO");
  CHECK(info_ok.body == "<MonitorStartResponse/>");
  // The same INFO again (a repeat): the same answer, nothing to the session.
  out = {};
  d.on_request(parsed(request("INFO", 2, "<MonitorStart/>", "srv1")), t0, out);
  CHECK(out.to_session.empty());
  REQUIRE(out.send.size() == 1);
  CHECK(parsed(out.send[0]).body == "<MonitorStartResponse/>");
  // An event: an INFO of ours, to the client's Contact, in the dialog.
  out = {};
  d.on_notify("<DeliveredEvent/>", t0, out);
  auto event = parsed(out.send.at(0));
  CHECK(event.method == "INFO");
  CHECK(event.request_uri == "sip:alice@10.0.0.5:5061;transport=tls");
  CHECK(event.from_tag == "srv1");
  CHECK(event.to_tag == "alice1");
  CHECK(event.cseq == 1);
  CHECK(event.header("content-disposition") == "signal;handling=required");
  CHECK(event.body == "<DeliveredEvent/>");
  out = {};
  d.on_notify("<EstablishedEvent/>", t0, out);
  CHECK(parsed(out.send.at(0)).cseq == 2);
  // Older CSeq than the last: refused.
  out = {};
  d.on_request(parsed(request("INFO", 1, "<X/>", "srv1")), t0, out);
  CHECK(parsed(out.send.at(0)).status == 500);
  // A body of another type: 415 with what we accept.
  out = {};
  d.on_request(parsed(request("INFO", 5, "hello", "srv1", {}, "text/plain")), t0, out);
  auto refused = parsed(out.send.at(0));
  CHECK(refused.status == 415);
  CHECK(refused.header("accept") == "application/csta+xml");
  CHECK_FALSE(d.over());
  out = {};
  d.on_request(parsed(request("BYE", 6, {}, "srv1")), t0, out);
  CHECK(parsed(out.send.at(0)).status == 200);
  CHECK(out.ended == "the client ended the dialog (BYE)");
  CHECK(d.over());
}

TEST_CASE("TR/87 dialog: a session timer not refreshed ends with BYE, and re-INVITE and UPDATE refresh it") {
  tr87_dialog::output out;
  tr87_dialog d{tr87_settings{}, parsed(request("INVITE", 1, rss(), {}, "Session-Expires: 120\r\n")), "srv1", t0, out};
  d.on_reply(out.to_session.at(0).first, "<RequestSystemStatusResponse/>", t0, out);
  CHECK(d.next_wake() == t0 + 120s);
  out = {};
  d.on_request(parsed(request("UPDATE", 2, {}, "srv1", "Session-Expires: 120\r\n")), t0 + 100s, out);
  auto updated = parsed(out.send.at(0));
  CHECK(updated.status == 200);
  CHECK(updated.header("session-expires") == "120;refresher=uac");
  CHECK(d.next_wake() == t0 + 220s);
  out = {};
  d.on_request(parsed(request("INVITE", 3, rss(), "srv1", "Session-Expires: 120\r\n")), t0 + 200s, out);
  d.on_reply(out.to_session.at(0).first, "<RequestSystemStatusResponse/>", t0 + 200s, out);
  CHECK(parsed(out.send.at(0)).status == 200);
  CHECK(d.next_wake() == t0 + 320s);
  out = {};
  d.on_wake(t0 + 319s, out);
  CHECK(out.send.empty());
  d.on_wake(t0 + 320s, out);
  auto bye = parsed(out.send.at(0));
  CHECK(bye.method == "BYE");
  CHECK(bye.to_tag == "alice1");
  CHECK(out.ended == "the session timer expired without a refresh");
}

TEST_CASE("TR/87 dialog: a server on every address advertises the address the client used") {
  tr87_settings any;
  any.host = "0.0.0.0";
  tr87_dialog::output out;
  tr87_dialog d{any, parsed(request("INVITE", 1, rss())), "srv1", t0, out};
  d.on_reply(out.to_session.at(0).first, "<R/>", t0, out);
  CHECK(parsed(out.send.at(0)).contact == "sip:cstad@127.0.0.1:5062;transport=tcp");
  out = {};
  d.on_notify("<E/>", t0, out);
  auto event = parsed(out.send.at(0));
  CHECK(event.vias.at(0).find("SIP/2.0/TCP 127.0.0.1:5062;branch=") == 0);
  CHECK(event.contact == "sip:cstad@127.0.0.1:5062;transport=tcp");
}

TEST_CASE("TR/87 dialog: an interval below Min-SE gets 422, and the dialog never starts") {
  tr87_dialog::output out;
  tr87_dialog d{tr87_settings{}, parsed(request("INVITE", 1, rss(), {}, "Session-Expires: 30\r\n")), "srv1", t0, out};
  auto r = parsed(out.send.at(0));
  CHECK(r.status == 422);
  CHECK(r.header("min-se") == "90");
  CHECK(d.over());
  CHECK(out.to_session.empty());
}

TEST_CASE("TR/87 dialog over UDP: 2xx until the ACK, our INFOs on RFC 3261's timers until answered") {
  tr87_settings udp;
  udp.transport = "UDP";
  udp.reliable = false;
  tr87_dialog::output out;
  tr87_dialog d{udp, parsed(request("INVITE", 1, rss())), "srv1", t0, out};
  CHECK(parsed(out.send.at(0)).status == 100);  // Trying: the client stops repeating
  out = {};
  d.on_reply(d.next_wake() ? correlation{1} : correlation{1}, "<R/>", t0, out);
  auto ok_text = out.send.at(0);
  for (auto at : {500ms, 1500ms, 3500ms, 7500ms, 11500ms}) {
    out = {};
    d.on_wake(t0 + at, out);
    REQUIRE(out.send.size() == 1);
    CHECK(out.send[0] == ok_text);
  }
  out = {};
  d.on_request(parsed(request("ACK", 1, {}, "srv1")), t0 + 12s, out);
  d.on_notify("<E/>", t0 + 12s, out);
  auto info_text = out.send.at(0);
  auto info = parsed(info_text);
  std::vector<std::chrono::milliseconds> repeats;
  for (auto at = 12000ms; at <= 12000ms + 40s; at += 100ms) {
    out = {};
    d.on_wake(t0 + at, out);
    for (auto& t : out.send) {
      CHECK(t == info_text);
      repeats.push_back(at - 12000ms);
    }
  }
  // T1, then doubling up to T2 (4 s), until 64·T1 (32 s) have passed.
  CHECK(repeats == std::vector<std::chrono::milliseconds>{500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms,
                                                          19500ms, 23500ms, 27500ms, 31500ms});
  // An answer stops the repeats of the next one at once.
  out = {};
  d.on_notify("<F/>", t0 + 60s, out);
  auto second = parsed(out.send.at(0));
  auto answer = response_to(second, 200, "OK", "");
  answer.vias = second.vias;
  d.on_response(parsed(render_sip(answer)), t0 + 60s, out);
  out = {};
  d.on_wake(t0 + 61s, out);
  CHECK(out.send.empty());
  CHECK(info.cseq == 1);
}

TEST_CASE("TR/87 dialog: CANCEL of an INVITE still waiting for the session") {
  tr87_dialog::output out;
  tr87_dialog d{tr87_settings{}, parsed(request("INVITE", 1, rss())), "srv1", t0, out};
  auto corr = out.to_session.at(0).first;
  out = {};
  d.on_request(parsed(request("CANCEL", 1)), t0, out);
  REQUIRE(out.send.size() == 2);
  CHECK(parsed(out.send[0]).status == 200);
  CHECK(parsed(out.send[0]).cseq_method == "CANCEL");
  CHECK(parsed(out.send[1]).status == 487);
  CHECK(parsed(out.send[1]).cseq_method == "INVITE");
  CHECK(d.over());
  out = {};
  d.on_reply(corr, "<R/>", t0, out);  // the session's late answer goes nowhere
  CHECK(out.send.empty());
}

TEST_CASE("TR/87 registry: answers for what belongs to no dialog, and one dialog per line") {
  tr87_registry reg;
  tr87_settings tcp;
  auto status_of = [](const std::string& text) { return parsed(text).status; };
  tr87_registry::output out;
  reg.on_message(request("OPTIONS", 1, {}, {}, {}, "", "o1"), tcp, t0, out);
  auto options = parsed(out.reply.at(0));
  CHECK(options.status == 200);
  CHECK(options.header("allow") == "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE");
  CHECK(options.header("accept") == "application/csta+xml");
  for (auto [method, status] : std::vector<std::pair<std::string, int>>{
           {"INFO", 481}, {"BYE", 481}, {"UPDATE", 481}, {"REGISTER", 405}, {"SUBSCRIBE", 405}, {"FROB", 501}}) {
    out = {};
    reg.on_message(request(method, 1, {}, "nope", {}, "", "unknown"), tcp, t0, out);
    REQUIRE_MESSAGE(out.reply.size() == 1, method);
    CHECK_MESSAGE(status_of(out.reply[0]) == status, method);
  }
  out = {};
  reg.on_message(request("INVITE", 1, "hello", {}, {}, "text/plain", "c9"), tcp, t0, out);
  CHECK(status_of(out.reply.at(0)) == 415);
  CHECK(reg.size() == 0);
  out = {};
  reg.on_message("GARBAGE\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKq\r\nCall-ID: g1\r\n\r\n", tcp, t0, out);
  REQUIRE(out.reply.size() == 1);
  CHECK(out.reply[0].rfind("SIP/2.0 400 Bad Request\r\n", 0) == 0);
  CHECK(out.reply[0].find("Via: SIP/2.0/TCP h;branch=z9hG4bKq\r\n") != std::string::npos);
  CHECK(out.reply[0].find("Call-ID: g1\r\n") != std::string::npos);
  // Two INVITEs for one line: the second replaces the first, which gets a BYE.
  out = {};
  reg.on_message(request("INVITE", 1, rss(), {}, {}, "application/csta+xml", "first"), tcp, t0, out);
  REQUIRE(out.created.size() == 1);
  auto first = out.created[0];
  out = {};
  reg.on_message(request("INVITE", 1, rss(), {}, {}, "application/csta+xml", "second"), tcp, t0, out);
  REQUIRE(out.created.size() == 1);
  CHECK(out.created[0] != first);
  bool first_ended = false;
  for (auto& [id, o] : out.dialogs)
    if (id == first) {
      CHECK(parsed(o.send.at(0)).method == "BYE");
      CHECK(o.ended == "replaced by a new dialog for line tel:+4687001000");
      first_ended = true;
    }
  CHECK(first_ended);
  // A request with the right Call-ID and From tag but a To tag that is not ours: 481.
  out = {};
  reg.on_message(request("INFO", 2, "<MonitorStart/>", "not-ours", {}, "application/csta+xml", "second"), tcp, t0, out);
  CHECK(status_of(out.reply.at(0)) == 481);
  // The ACK a client owes for our 415 is not answered, and not logged as a refusal.
  out = {};
  reg.on_message(request("ACK", 1, {}, "x", {}, "", "c9"), tcp, t0, out);
  CHECK(out.reply.empty());
  CHECK(out.refused.empty());
}
