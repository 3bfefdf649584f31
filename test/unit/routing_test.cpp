// How an arriving call finds its way: busy, DND, forwarding with loops, trunks, unknown
// numbers, ring timers on the injected clock.

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using protocol::connection_state;
using ft = protocol::forwarding_type;
using namespace std::chrono_literals;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(exchange_fixture, "a busy device fails the call with cause busy") {
  connected("1001", "1002");
  auto made = ex.make_call("1000", "1001", events);
  REQUIRE(made);
  CHECK(take() == lines{"service_initiated 1000 makeCall | 1000:initiated",
                        "originated 1000 newCall | 1000:connected",
                        "failed 1001 busy | 1000:fail"});
  CHECK(state_of(made.call, "1000") == connection_state::fail);
  // The caller hangs up: the call is gone.
  REQUIRE(ex.clear_connection(made.call, "1000", events));
  CHECK(take() == lines{"connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(ex.find_call(made.call) == nullptr);
}

TEST_CASE_FIXTURE(exchange_fixture, "a device with a held call is not busy") {
  auto id = connected("1001", "1002");
  ex.hold_call(id, "1001", events);
  events.clear();
  ex.make_call("1000", "1001", events);
  CHECK(take().back() == "delivered 1001 newCall | 1000:connected 1001:alerting");
}

TEST_CASE_FIXTURE(exchange_fixture, "unknown numbers fail with numberUnallocated") {
  ex.make_call("1000", "4711", events);
  CHECK(take().back() == "failed 4711 numberUnallocated | 1000:fail");
}

TEST_CASE_FIXTURE(exchange_fixture, "do not disturb: event, refusal of calls, query") {
  REQUIRE(ex.set_do_not_disturb("1001", true, events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "do_not_disturb 1001 normal | 1001:null");
  CHECK(events[0].flag);
  events.clear();
  CHECK(ex.do_not_disturb("1001"));
  ex.make_call("1000", "1001", events);
  CHECK(take().back() == "failed 1001 doNotDisturb | 1000:fail");
  ex.set_do_not_disturb("1001", false, events);
  CHECK_FALSE(ex.do_not_disturb("1001"));
  CHECK(ex.set_do_not_disturb("77", true, events).error == errors::operation("invalidDeviceID"));
}

TEST_CASE_FIXTURE(exchange_fixture, "immediate forwarding diverts before anything rings") {
  REQUIRE(ex.set_forwarding("1001", ft::forwardImmediate, true, "1002", 0, events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "forwarding 1001 normal | 1001:null");
  CHECK(events[0].flag);
  CHECK(events[0].forwarding == ft::forwardImmediate);
  CHECK(events[0].other == "1002");
  events.clear();
  auto made = ex.make_call("1000", "1001", events);
  auto seen = take();
  REQUIRE(seen.size() == 4);
  CHECK(seen[2] == "diverted 1001 callForwardImmediate | 1000:connected 1001:null");
  CHECK(seen[3] == "delivered 1002 callForwardImmediate | 1000:connected 1002:alerting");
  CHECK(ex.find_call(made.call)->last_redirection == "1001");
  CHECK(ex.forwarding("1001") ==
        std::vector<sim::forward_setting>{{ft::forwardImmediate, true, "1002", 0}});
}

TEST_CASE_FIXTURE(exchange_fixture, "internal and external variants apply to their callers only") {
  ex.set_forwarding("1001", ft::forwardImmExt, true, "1002", 0, events);
  events.clear();
  ex.make_call("1000", "1001", events);
  CHECK(take().back() == "delivered 1001 newCall | 1000:connected 1001:alerting");
  ex.incoming_call("0701234567", "1001", events);
  auto seen = take();
  CHECK(seen.front() == "diverted 1001 callForwardImmediate | 1001:null");
  CHECK(seen.back() == "delivered 1002 callForwardImmediate | 1002:alerting");
}

TEST_CASE_FIXTURE(exchange_fixture, "busy forwarding") {
  connected("1001", "1003");
  ex.set_forwarding("1001", ft::forwardBusy, true, "1002", 0, events);
  events.clear();
  ex.make_call("1000", "1001", events);
  auto seen = take();
  CHECK(seen[2] == "diverted 1001 callForwardBusy | 1000:connected 1001:null");
  CHECK(seen[3] == "delivered 1002 callForwardBusy | 1000:connected 1002:alerting");
}

TEST_CASE_FIXTURE(exchange_fixture, "DND forwarding") {
  ex.set_do_not_disturb("1001", true, events);
  ex.set_forwarding("1001", ft::forwardDND, true, "1002", 0, events);
  events.clear();
  ex.make_call("1000", "1001", events);
  CHECK(take().back() == "delivered 1002 callForward | 1000:connected 1002:alerting");
}

TEST_CASE_FIXTURE(exchange_fixture, "a forwarding loop is broken where it would close") {
  ex.set_forwarding("1001", ft::forwardImmediate, true, "1002", 0, events);
  ex.set_forwarding("1002", ft::forwardImmediate, true, "1003", 0, events);
  ex.set_forwarding("1003", ft::forwardImmediate, true, "1001", 0, events);
  events.clear();
  ex.make_call("1000", "1001", events);
  CHECK(take() == lines{"service_initiated 1000 makeCall | 1000:initiated",
                        "originated 1000 newCall | 1000:connected",
                        "diverted 1001 callForwardImmediate | 1000:connected 1001:null",
                        "diverted 1002 callForwardImmediate | 1000:connected 1002:null",
                        "delivered 1003 callForwardImmediate | 1000:connected 1003:alerting"});
}

TEST_CASE_FIXTURE(exchange_fixture, "no-answer forwarding after its ring count, on the clock") {
  ex.set_forwarding("1001", ft::forwardNoAns, true, "1002", 2, events);  // 2 rings = 10 s
  events.clear();
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  CHECK(ex.next_timer() == sim::time_point{} + 10s);
  clock.advance(9s);
  ex.tick(events);
  CHECK(events.empty());
  clock.advance(1s);
  ex.tick(events);
  CHECK(take() == lines{"diverted 1001 callForwardNoAnswer | 1000:connected 1001:null",
                        "delivered 1002 callForwardNoAnswer | 1000:connected 1002:alerting"});
  CHECK(ex.find_call(made.call)->find("1001") == nullptr);
}

TEST_CASE_FIXTURE(exchange_fixture, "an answered call stops its ring timer") {
  ex.set_forwarding("1001", ft::forwardNoAns, true, "1002", 1, events);
  auto made = ex.make_call("1000", "1001", events);
  ex.answer_call(made.call, "1001", events);
  events.clear();
  clock.advance(120s);
  ex.tick(events);
  CHECK(events.empty());
  CHECK(state_of(made.call, "1001") == connection_state::connected);
}

TEST_CASE_FIXTURE(exchange_fixture, "a call nobody answers is cleared after the ring limit") {
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  clock.advance(59s);
  ex.tick(events);
  CHECK(events.empty());
  clock.advance(1s);
  ex.tick(events);
  CHECK(take() == lines{"connection_cleared 1001 callNotAnswered | 1000:connected 1001:null",
                        "connection_cleared 1000 callNotAnswered | 1000:null"});
  CHECK(ex.find_call(made.call) == nullptr);
  CHECK_FALSE(ex.next_timer());
}

TEST_CASE_FIXTURE(exchange_fixture, "forwarding settings are checked") {
  CHECK(ex.set_forwarding("1001", ft::forwardImmediate, true, "", 0, events).error ==
        errors::operation("invalidForwardingDestination"));
  CHECK(ex.set_forwarding("1001", ft::forwardImmediate, true, "1001", 0, events).error ==
        errors::operation("invalidForwardingDestination"));
  CHECK(ex.set_forwarding("1001", ft::forwardImmediate, true, "4711", 0, events).error ==
        errors::operation("invalidForwardingDestination"));
  CHECK(ex.set_forwarding("1001", ft::forwardNoAns, true, "1002", -1, events).error ==
        errors::operation("invalidRingCount"));
  CHECK(ex.set_forwarding("1001", ft::forwardImmediate, true, "0701234567", 0, events));
  CHECK(ex.set_forwarding("1001", ft::forwardImmediate, false, "", 0, events));
  CHECK(ex.forwarding("1001").empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "calls to outside numbers leave on the trunk") {
  auto made = ex.make_call("1000", "0701234567", events);
  REQUIRE(made);
  auto seen = take();
  REQUIRE(seen.size() == 4);
  CHECK(seen[2] == "network_reached 0701234567 newCall | 1000:connected");
  CHECK(seen[3] == "delivered 0701234567 newCall | 1000:connected");
  REQUIRE(ex.external_answer(made.call, "0701234567", events));
  CHECK(take() == lines{"established 0701234567 newCall | 1000:connected"});
  REQUIRE(ex.clear_connection(made.call, "1000", events));
  CHECK(take() == lines{"connection_cleared 1000 normalClearing | 1000:null",
                        "connection_cleared 0701234567 normalClearing |"});
  CHECK(ex.call_count() == 0);
}

TEST_CASE_FIXTURE(exchange_fixture, "calls from outside numbers arrive like any other") {
  auto in = ex.incoming_call("+4670123", "1001", events);
  REQUIRE(in);
  CHECK(take() == lines{"delivered 1001 newCall | 1001:alerting"});
  REQUIRE(ex.answer_call(in.call, "1001", events));
  CHECK(take() == lines{"established 1001 newCall | 1001:connected"});
  CHECK(ex.find_call(in.call)->calling == "+4670123");
  REQUIRE(ex.clear_connection(in.call, "1001", events));
  CHECK(ex.call_count() == 0);
  // To a busy device from outside: the trunk is released at once.
  connected("1002", "1003");
  auto busy = ex.incoming_call("0812345", "1002", events);
  CHECK(ex.find_call(busy.call) == nullptr);
  CHECK(ex.incoming_call("1000", "1001", events).error == errors::operation("invalidCallingDeviceID"));
}
