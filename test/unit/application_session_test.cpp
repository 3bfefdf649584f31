// ECMA-354 session logic on an injected time: negotiation, authentication, keep-alive, expiry.

#include <doctest/doctest.h>

#include <set>

#include "service/application_session.hpp"
#include "protocol/namespaces.hpp"

using namespace cstad;
using namespace cstad::service;
using namespace std::chrono_literals;
using protocol::start_application_session_request;

namespace {

const application_session::time_point t0{};

start_application_session_request start_request(std::vector<std::string> versions = {},
                                                std::optional<int> duration = std::nullopt) {
  start_application_session_request r;
  r.application_id = "TestApp";
  r.protocol_versions = std::move(versions);
  r.requested_duration = duration;
  return r;
}

bool contains(const std::string& doc, const std::string& part) {
  return doc.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a session without authentication: version and duration negotiated") {
  session_policy policy;
  application_session s;
  auto a = s.start(start_request({"urn:foreign", std::string{protocol::ns_ed4}, std::string{protocol::ns_ed3}}, 180),
                   policy, t0);
  CHECK(a.ok);
  CHECK(s.active());
  CHECK(*s.protocol_version() == protocol::ns_ed4);
  CHECK(s.deadline() == t0 + 180s);
  CHECK(contains(a.document, "<StartApplicationSessionPosResponse xmlns=\"http://www.ecma-international.org/standards/ecma-354/appl_session\"><sessionID>" + s.id() + "</sessionID>"));
  CHECK(contains(a.document, "<actualProtocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</actualProtocolVersion><actualSessionDuration>180</actualSessionDuration>"));
  // One session per connection.
  auto again = s.start(start_request(), policy, t0);
  CHECK_FALSE(again.ok);
  CHECK(contains(again.document, "<definedError>maxNumberSessions</definedError>"));
}

TEST_CASE("durations are clamped, and no version offered means ed3") {
  session_policy policy;
  application_session short_one, long_one, default_one;
  short_one.start(start_request({}, 1), policy, t0);
  CHECK(short_one.deadline() == t0 + 10s);
  long_one.start(start_request({}, 86400), policy, t0);
  CHECK(long_one.deadline() == t0 + 3600s);
  default_one.start(start_request(), policy, t0);
  CHECK(default_one.deadline() == t0 + 300s);
  CHECK(*default_one.protocol_version() == protocol::ns_ed3);
}

TEST_CASE("only foreign protocol versions: requestedProtocolVersionNotSupported") {
  application_session s;
  auto a = s.start(start_request({"http://example.com/not-csta"}), session_policy{}, t0);
  CHECK_FALSE(a.ok);
  CHECK_FALSE(s.active());
  CHECK(a.document ==
        R"(<?xml version="1.0" encoding="UTF-8"?><StartApplicationSessionNegResponse xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><errorCode><definedError>requestedProtocolVersionNotSupported</definedError></errorCode></StartApplicationSessionNegResponse>)");
}

TEST_CASE("an account's longest duration caps what is granted, at the start and at each keep-alive") {
  session_policy policy;
  application_session s;
  auto a = s.start(start_request({}, 3000), policy, t0, 600);
  CHECK(contains(a.document, "<actualSessionDuration>600</actualSessionDuration>"));
  protocol::reset_application_session_timer_request reset{s.id(), 3000};
  CHECK(contains(s.reset(reset, policy, t0).document, "<actualSessionDuration>600</actualSessionDuration>"));
  CHECK(s.deadline() == t0 + 600s);
}

TEST_CASE("a server's own reason ends a session: serverTermReason") {
  application_session s;
  s.start(start_request(), session_policy{}, t0);
  auto doc = s.terminate("CSTA server removed");
  CHECK(contains(doc, "<sessionTermReason><serverTermReason>CSTA server removed</serverTermReason></sessionTermReason>"));
  CHECK_FALSE(s.active());
}

TEST_CASE("keep-alive moves the deadline, and expiry terminates the session") {
  session_policy policy;
  application_session s;
  s.start(start_request({}, 60), policy, t0);
  protocol::reset_application_session_timer_request reset{s.id(), 120};
  auto a = s.reset(reset, policy, t0 + 50s);
  CHECK(a.ok);
  CHECK(contains(a.document, "<ResetApplicationSessionTimerPosResponse xmlns=\"http://www.ecma-international.org/standards/ecma-354/appl_session\"><actualSessionDuration>120</actualSessionDuration>"));
  CHECK(s.deadline() == t0 + 170s);
  CHECK_FALSE(s.expired(t0 + 169s));
  CHECK(s.expired(t0 + 170s));
  protocol::reset_application_session_timer_request bad{"not-it", 120};
  CHECK(contains(s.reset(bad, policy, t0).document, "<ResetApplicationSessionTimerNegResponse"));
  auto id = s.id();
  CHECK(s.terminate_expired() ==
        R"(<?xml version="1.0" encoding="UTF-8"?><ApplicationSessionTerminated xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><sessionID>)" +
            id + "</sessionID><sessionTermReason><definedTermReason>sessionTimerExpired</definedTermReason></sessionTermReason></ApplicationSessionTerminated>");
  CHECK_FALSE(s.active());
}

TEST_CASE("stop ends the session, and a wrong id is invalidSessionID") {
  application_session s;
  s.start(start_request(), session_policy{}, t0);
  auto wrong = s.stop({"not-it", "normal"});
  CHECK_FALSE(wrong.ok);
  CHECK(contains(wrong.document, "<StopApplicationSessionNegResponse xmlns=\"http://www.ecma-international.org/standards/ecma-354/appl_session\"><errorCode><definedError>invalidSessionID</definedError>"));
  auto right = s.stop({s.id(), "normal"});
  CHECK(right.ok);
  CHECK(right.document ==
        R"(<?xml version="1.0" encoding="UTF-8"?><StopApplicationSessionPosResponse xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"/>)");
  CHECK_FALSE(s.active());
  CHECK_FALSE(s.expired(t0 + 100000s));
}

TEST_CASE("session ids are random: 128 bits, never repeated, no counter to count on") {
  session_policy policy;
  std::set<std::string> seen;
  std::set<char> last_digits;
  for (int i = 0; i < 2000; ++i) {
    application_session s;
    REQUIRE(s.start(start_request(), policy, t0).ok);
    auto id = s.id();
    CHECK(id.size() == 33);
    CHECK(id[16] == '-');
    CHECK(id.find_first_not_of("0123456789ABCDEF-") == std::string::npos);
    CHECK(seen.insert(id).second);
    last_digits.insert(id.back());
  }
  // A counter at the end (the old ids) would make the last digit cycle through ten values at
  // most; random hex spreads over all sixteen.
  CHECK(last_digits.size() == 16);
}
