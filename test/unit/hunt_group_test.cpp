// Hunt groups: linear, circular, ring-all and cascade, skipping busy, DND and absent members.

#include <doctest/doctest.h>

#include "call_centre_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using protocol::connection_state;

TEST_CASE_FIXTURE(call_centre_fixture, "linear: first free member, the next one on no answer") {
  ex.make_call("1006", "1008", events);  // 1006 busy
  events.clear();
  auto in = ex.make_call("1000", "7000", events).call;
  CHECK(take().back() == "delivered 1005 distributed | 1000:connected 1005:alerting 7000:null");
  clock.advance(15s);
  ex.tick(events);
  CHECK(take() == lines{"connection_cleared 1005 callNotAnswered | 1000:connected 1005:null 7000:null",
                        "delivered 1007 distributed | 1000:connected 1007:alerting 7000:null"});
  clock.advance(15s);
  ex.tick(events);
  // Nobody left to try: the call ends.
  CHECK(take() == lines{"connection_cleared 1007 callNotAnswered | 1000:connected 1007:null 7000:null",
                        "connection_cleared 1000 callNotAnswered | 1000:null 7000:null"});
  CHECK(ex.find_call(in) == nullptr);
  // Linear always starts at the first member.
  ex.make_call("1001", "7000", events);
  CHECK(take().back() == "delivered 1005 distributed | 1001:connected 1005:alerting 7000:null");
}

TEST_CASE_FIXTURE(call_centre_fixture, "circular: each call starts after the member that got the last one") {
  auto a = ex.make_call("1000", "7001", events).call;
  CHECK(ex.find_call(a)->find("1005") != nullptr);
  ex.clear_call(a, events);
  auto b = ex.make_call("1000", "7001", events).call;
  CHECK(ex.find_call(b)->find("1006") != nullptr);
  ex.clear_call(b, events);
  ex.set_do_not_disturb("1007", true, events);  // skipped
  auto c = ex.make_call("1000", "7001", events).call;
  CHECK(ex.find_call(c)->find("1005") != nullptr);
}

TEST_CASE_FIXTURE(call_centre_fixture, "ring-all: every free member rings, the first to answer takes it") {
  ex.set_do_not_disturb("1006", true, events);
  events.clear();
  auto in = ex.make_call("1000", "7002", events).call;
  auto seen = take();
  REQUIRE(seen.size() == 4);
  CHECK(seen[2] == "delivered 1005 distributed | 1000:connected 1005:alerting 7002:null");
  CHECK(seen[3] == "delivered 1007 distributed | 1000:connected 1005:alerting 1007:alerting 7002:null");
  REQUIRE(ex.answer_call(in, "1007", events));
  CHECK(take() == lines{"connection_cleared 1005 normalClearing | 1000:connected 1005:null 1007:connected 7002:null",
                        "established 1007 distributed | 1000:connected 1007:connected 7002:null"});
}

TEST_CASE_FIXTURE(call_centre_fixture, "ring-all: the caller hangs up while members ring") {
  auto in = ex.make_call("1000", "7002", events).call;
  events.clear();
  REQUIRE(ex.clear_connection(in, "1000", events));
  CHECK(take().size() == 4);
  CHECK(ex.find_call(in) == nullptr);
  CHECK(ex.calls_of("1005").empty());
}

TEST_CASE_FIXTURE(call_centre_fixture, "cascade: the next set joins after the step time") {
  auto in = ex.make_call("1000", "7003", events).call;
  CHECK(take().back() == "delivered 1005 distributed | 1000:connected 1005:alerting 7003:null");
  clock.advance(9s);
  ex.tick(events);
  CHECK(events.empty());
  clock.advance(1s);
  ex.tick(events);
  CHECK(take() == lines{"delivered 1006 distributed | 1000:connected 1005:alerting 1006:alerting 7003:null",
                        "delivered 1007 distributed | 1000:connected 1005:alerting 1006:alerting 1007:alerting 7003:null"});
  REQUIRE(ex.answer_call(in, "1005", events));
  auto seen = take();
  CHECK(seen.back() == "established 1005 distributed | 1000:connected 1005:connected 7003:null");
  CHECK(ex.find_call(in)->parties.size() == 2);
}

TEST_CASE_FIXTURE(call_centre_fixture, "absent (virtual) and busy members are skipped, and all busy fails") {
  auto in = ex.make_call("1000", "7004", events).call;
  CHECK(ex.find_call(in)->find("1006") != nullptr);
  ex.answer_call(in, "1006", events);
  events.clear();
  ex.make_call("1001", "7004", events);
  CHECK(take().back() == "failed 7004 busy | 1001:fail 7004:null");
}
