// Hunt group members and ACD agents on other LIMs: the group's LIM offers the call over a leg to
// the member's LIM, times it and relays it; each LIM reports its own view of one call.

#include <doctest/doctest.h>

#include "inter_lim_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using protocol::connection_state;
namespace errors = protocol::errors;

namespace {

using request = sim::agent_request;

/// Logs agent `id` on at another LIM's device into LIM 1's ACD group 1100 and makes it ready;
/// events forgotten.
void ready_far_agent(three_lims& s, const std::string& device, const std::string& id) {
  REQUIRE(s.a.ex.set_agent_state(device, request::logged_on, id, "1100", s.a.events));
  REQUIRE(s.a.ex.set_agent_state(device, request::ready, id, "1100", s.a.events));
  s.a.events.clear();
}

sim::agent_state state_of(const lim_node& n, const std::string& device) {
  auto a = n.ex.agent_at(device);
  return a == nullptr ? sim::agent_state::logged_off : a->state;
}

}  // namespace

// -- hunt groups --------------------------------------------------------------------------------

TEST_CASE_FIXTURE(three_lims, "a hunt group offers a far caller's call to its member on a third LIM, and relays between them") {
  auto id = a.ex.make_call("1000", "2200", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2200 newCall called=2200",
                                "setup 1:1 1000>3005 distributed called=2200 relay=2200",
                                "alerting 1:1 3005>2200 distributed",
                                "alerting 1:1 3005>1000 distributed relay=2200"});
  CHECK(c.take() == shown{"1:1 delivered 3005 distributed | 3005:alerting"});
  CHECK(c.ex.find_call(id)->calling == "1000");
  CHECK(c.ex.find_call(id)->called == "2200");
  CHECK(c.ex.find_call(id)->last_redirection == "2200");
  // The group's LIM shows its member ringing to the group's monitors, as one of its own.
  CHECK(b.take() == shown{"1:1 delivered 3005 distributed | 2200:null"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2200");
  CHECK(a.take() == shown{"1:1 delivered 3005 distributed | 1000:connected"});

  SUBCASE("the member answers, the caller hangs up") {
    REQUIRE(c.ex.answer_call(id, "3005", c.events));
    CHECK(c.take() == shown{"1:1 established 3005 newCall | 3005:connected"});
    pump();
    CHECK(take_signals() == shown{"answered 1:1 3005>2200 newCall",
                                  "answered 1:1 3005>1000 distributed relay=2200"});
    CHECK(b.take() == shown{"1:1 established 3005 distributed | 2200:null"});
    CHECK(a.take() == shown{"1:1 established 3005 distributed | 1000:connected"});
    // Hold on one side reaches the other through the group's LIM.
    REQUIRE(a.ex.hold_call(id, "1000", a.events));
    pump();
    CHECK(take_signals() == shown{"held 1:1 1000>2200 normal", "held 1:1 1000>3005 normal relay=2200"});
    CHECK(c.take() == shown{"1:1 held 1000 normal | 3005:connected"});
    forget_all();
    REQUIRE(a.ex.clear_connection(id, "1000", a.events));
    CHECK(a.take() == shown{"1:1 connection_cleared 1000 normalClearing | 1000:null",
                            "1:1 connection_cleared 3005 normalClearing |"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>2200 normalClearing",
                                  "released 1:1 1000>3005 normalClearing relay=2200"});
    CHECK(b.take() == shown{"1:1 connection_cleared 1000 normalClearing | 2200:null",
                            "1:1 connection_cleared 3005 normalClearing | 2200:null"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 normalClearing | 3005:connected",
                            "1:1 connection_cleared 3005 normalClearing | 3005:null"});
  }
  SUBCASE("no answer: the group moves on to its next member, then ends the call") {
    clock.advance(14s);
    b.ex.tick(b.events);
    CHECK(b.events.empty());
    clock.advance(1s);
    b.ex.tick(b.events);
    CHECK(b.take() == shown{"1:1 connection_cleared 3005 callNotAnswered | 2200:null",
                            "1:1 delivered 2007 distributed | 2007:alerting 2200:null"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>3005 callNotAnswered relay=2200",
                                  "alerting 1:1 2007>1000 distributed"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 callNotAnswered | 3005:alerting",
                            "1:1 connection_cleared 3005 callNotAnswered | 3005:null"});
    CHECK(a.take() == shown{"1:1 delivered 2007 distributed | 1000:connected"});
    CHECK(a.party(id, "3005") == nullptr);
    CHECK(a.party(id, "2007")->far_address() == "2007");
    clock.advance(15s);
    b.ex.tick(b.events);
    CHECK(b.take() == shown{"1:1 connection_cleared 2007 callNotAnswered | 2007:null 2200:null",
                            "1:1 connection_cleared 1000 callNotAnswered | 2200:null"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 2007>1000 callNotAnswered"});
    CHECK(a.take() == shown{"1:1 connection_cleared 2007 callNotAnswered | 1000:connected",
                            "1:1 connection_cleared 1000 callNotAnswered | 1000:null"});
    // The member's LIM's own ring timer finds nothing left.
    clock.advance(60s);
    c.ex.tick(c.events);
    CHECK(c.events.empty());
  }
  SUBCASE("the caller gives up while the far member rings") {
    REQUIRE(a.ex.clear_connection(id, "1000", a.events));
    a.events.clear();
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>2200 normalClearing",
                                  "released 1:1 1000>3005 normalClearing relay=2200"});
    CHECK(b.take() == shown{"1:1 connection_cleared 1000 normalClearing | 2200:null",
                            "1:1 connection_cleared 3005 normalClearing | 2200:null"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 normalClearing | 3005:alerting",
                            "1:1 connection_cleared 3005 normalClearing | 3005:null"});
  }
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a far member busy on its own LIM is skipped: the hunt moves on") {
  REQUIRE(c.ex.make_call("3005", "3006", c.events));
  c.events.clear();
  auto id = b.ex.make_call("2001", "2200", b.events).call;
  CHECK(b.take() == shown{"2:1 service_initiated 2001 makeCall | 2001:initiated",
                          "2:1 originated 2001 newCall | 2001:connected"});
  pump();
  CHECK(take_signals() == shown{"setup 2:1 2001>3005 distributed called=2200 relay=2200",
                                "failed 2:1 3005>2200 busy"});
  // Skipped as a busy member of the group's own LIM is: no event for it.
  CHECK(b.take() == shown{"2:1 delivered 2007 distributed | 2001:connected 2007:alerting 2200:null"});
  CHECK(b.party(id, "3005") == nullptr);
  CHECK(c.events.empty());
  CHECK(c.ex.call_count() == 1);  // its own call only
  REQUIRE(b.ex.answer_call(id, "2007", b.events));
  CHECK(b.take() == shown{"2:1 established 2007 distributed | 2001:connected 2007:connected 2200:null"});
  pump();
  CHECK(take_signals().empty());
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "ring-all with far members: all ring, the first answer wins, the others are released") {
  auto id = a.ex.make_call("1000", "2300", a.events).call;
  a.events.clear();
  pump();
  // 1007 is on the caller's own LIM, which cannot hold a second side of the call: it fails that
  // leg, and the others ring on.
  CHECK(take_signals() == shown{"setup 1:1 1000>2300 newCall called=2300",
                                "alerting 1:1 2007>1000 distributed",
                                "setup 1:1 1000>3007 distributed called=2300 relay=2300",
                                "setup 1:1 1000>1007 distributed called=2300 relay=2300",
                                "alerting 1:1 3007>2300 distributed",
                                "failed 1:1 1007>2300 networkNotObtainable"});
  CHECK(b.take() == shown{"1:1 delivered 2007 distributed | 2007:alerting 2300:null",
                          "1:1 delivered 3007 distributed | 2007:alerting 2300:null"});
  CHECK(c.take() == shown{"1:1 delivered 3007 distributed | 3007:alerting"});
  // The caller hears one ringing.
  CHECK(a.take() == shown{"1:1 delivered 2007 distributed | 1000:connected"});
  CHECK(a.ex.calls_of("1007").empty());
  SUBCASE("the far member answers first") {
    REQUIRE(c.ex.answer_call(id, "3007", c.events));
    c.events.clear();
    pump();
    CHECK(take_signals() == shown{"answered 1:1 3007>2300 newCall",
                                  "answered 1:1 3007>1000 distributed relay=2300"});
    CHECK(b.take() == shown{"1:1 connection_cleared 2007 normalClearing | 2007:null 2300:null",
                            "1:1 established 3007 distributed | 2300:null"});
    CHECK(a.take() == shown{"1:1 established 3007 distributed | 1000:connected"});
    CHECK(a.party(id, "2007") == nullptr);
    REQUIRE(c.ex.clear_connection(id, "3007", c.events));
    pump();
    CHECK(take_signals() == shown{"released 1:1 3007>2300 normalClearing",
                                  "released 1:1 3007>1000 normalClearing relay=2300"});
    CHECK(b.take() == shown{"1:1 connection_cleared 3007 normalClearing | 2300:null",
                            "1:1 connection_cleared 1000 normalClearing | 2300:null"});
    CHECK(a.take() == shown{"1:1 connection_cleared 3007 normalClearing | 1000:connected",
                            "1:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  SUBCASE("the group's own member answers first: the far leg is released") {
    REQUIRE(b.ex.answer_call(id, "2007", b.events));
    CHECK(b.take() == shown{"1:1 connection_cleared 3007 normalClearing | 2007:connected 2300:null",
                            "1:1 established 2007 distributed | 2007:connected 2300:null"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>3007 normalClearing relay=2300",
                                  "answered 1:1 2007>1000 distributed"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 normalClearing | 3007:alerting",
                            "1:1 connection_cleared 3007 normalClearing | 3007:null"});
    CHECK(a.take() == shown{"1:1 established 2007 distributed | 1000:connected"});
    REQUIRE(a.ex.clear_connection(id, "1000", a.events));
    pump();
  }
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "ring-all with two members on one far LIM: they share its call, each a leg of its own") {
  auto id = a.ex.make_call("1000", "2600", a.events).call;
  a.events.clear();
  SUBCASE("both ring, one answers, the other is withdrawn") {
    pump();
    CHECK(take_signals() == shown{"setup 1:1 1000>2600 newCall called=2600",
                                  "setup 1:1 1000>3007 distributed called=2600 relay=2600",
                                  "setup 1:1 1000>3008 distributed called=2600 relay=2600",
                                  "alerting 1:1 3007>2600 distributed",
                                  "alerting 1:1 3008>2600 distributed",
                                  "alerting 1:1 3007>1000 distributed relay=2600"});
    CHECK(c.take() == shown{"1:1 delivered 3007 distributed | 3007:alerting",
                            "1:1 delivered 3008 distributed | 3007:alerting 3008:alerting"});
    CHECK(b.take() == shown{"1:1 delivered 3007 distributed | 2600:null",
                            "1:1 delivered 3008 distributed | 2600:null"});
    CHECK(a.take() == shown{"1:1 delivered 3007 distributed | 1000:connected"});
    REQUIRE(c.ex.answer_call(id, "3008", c.events));
    pump();
    CHECK(take_signals() == shown{"answered 1:1 3008>2600 newCall",
                                  "released 1:1 1000>3007 normalClearing relay=2600",
                                  "answered 1:1 3008>1000 distributed relay=2600"});
    CHECK(c.take() == shown{"1:1 established 3008 newCall | 3007:alerting 3008:connected",
                            "1:1 connection_cleared 3007 normalClearing | 3007:null 3008:connected"});
    CHECK(b.take() == shown{"1:1 connection_cleared 3007 normalClearing | 2600:null",
                            "1:1 established 3008 distributed | 2600:null"});
    CHECK(a.take() == shown{"1:1 established 3008 distributed | 1000:connected"});
    REQUIRE(a.ex.clear_connection(id, "1000", a.events));
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>2600 normalClearing",
                                  "released 1:1 1000>3008 normalClearing relay=2600"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 normalClearing | 3008:connected",
                            "1:1 connection_cleared 3008 normalClearing | 3008:null"});
  }
  SUBCASE("the second is busy there: the first rings on") {
    auto own = c.ex.make_call("3008", "3009", c.events).call;
    REQUIRE(c.ex.answer_call(own, "3009", c.events));
    c.events.clear();
    pump();
    CHECK(take_signals() == shown{"setup 1:1 1000>2600 newCall called=2600",
                                  "setup 1:1 1000>3007 distributed called=2600 relay=2600",
                                  "setup 1:1 1000>3008 distributed called=2600 relay=2600",
                                  "alerting 1:1 3007>2600 distributed",
                                  "failed 1:1 3008>2600 busy",
                                  "alerting 1:1 3007>1000 distributed relay=2600"});
    CHECK(c.take() == shown{"1:1 delivered 3007 distributed | 3007:alerting"});
    CHECK(b.take() == shown{"1:1 delivered 3007 distributed | 2600:null"});
    CHECK(a.take() == shown{"1:1 delivered 3007 distributed | 1000:connected"});
    CHECK(b.party(id, "3008") == nullptr);
    // The leg rings out on its own LIM: the group's has nobody left to offer the call.
    clock.advance(60s);
    c.ex.tick(c.events);
    CHECK(c.take() == shown{"1:1 connection_cleared 3007 callNotAnswered | 3007:null",
                            "1:1 connection_cleared 1000 callNotAnswered |"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 3007>2600 callNotAnswered",
                                  "released 1:1 3007>1000 callNotAnswered relay=2600"});
    CHECK(b.take() == shown{"1:1 connection_cleared 3007 callNotAnswered | 2600:null",
                            "1:1 connection_cleared 1000 callNotAnswered | 2600:null"});
    CHECK(a.take() == shown{"1:1 connection_cleared 3007 callNotAnswered | 1000:connected",
                            "1:1 connection_cleared 1000 callNotAnswered | 1000:null"});
    b.ex.tick(b.events);
    CHECK(b.events.empty());
    REQUIRE(c.ex.clear_call(own, c.events));
  }
  pump();
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "ring-all: when every member, near and far, fails, the caller fails busy") {
  REQUIRE(b.ex.make_call("2007", "2008", b.events));
  REQUIRE(c.ex.set_do_not_disturb("3007", true, c.events));
  b.events.clear();
  c.events.clear();
  auto id = a.ex.make_call("1000", "2300", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2300 newCall called=2300",
                                "setup 1:1 1000>3007 distributed called=2300 relay=2300",
                                "setup 1:1 1000>1007 distributed called=2300 relay=2300",
                                "failed 1:1 3007>2300 doNotDisturb",
                                "failed 1:1 1007>2300 networkNotObtainable",
                                "failed 1:1 2300>1000 busy"});
  CHECK(a.take() == shown{"1:1 failed 2300 busy | 1000:fail"});
  CHECK(b.events.empty());
  CHECK(c.events.empty());
  CHECK(b.ex.call_count() == 1);  // 2007's own call
  CHECK(c.ex.call_count() == 0);
  CHECK(a.party(id, "1000")->state == connection_state::fail);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "cascade: a far member in the first set, the group's own in the next") {
  auto id = b.ex.make_call("2001", "2400", b.events).call;
  b.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 2:1 2001>3008 distributed called=2400 relay=2400",
                                "alerting 2:1 3008>2400 distributed"});
  CHECK(b.take() == shown{"2:1 delivered 3008 distributed | 2001:connected 2400:null"});
  CHECK(c.take() == shown{"2:1 delivered 3008 distributed | 3008:alerting"});
  clock.advance(10s);
  b.ex.tick(b.events);
  CHECK(b.take() == shown{"2:1 delivered 2008 distributed | 2001:connected 2008:alerting 2400:null"});
  REQUIRE(b.ex.answer_call(id, "2008", b.events));
  CHECK(b.take() == shown{"2:1 connection_cleared 3008 normalClearing | 2001:connected 2008:connected 2400:null",
                          "2:1 established 2008 distributed | 2001:connected 2008:connected 2400:null"});
  pump();
  CHECK(take_signals() == shown{"released 2:1 2001>3008 normalClearing"});
  CHECK(c.take() == shown{"2:1 connection_cleared 2001 normalClearing | 3008:alerting",
                          "2:1 connection_cleared 3008 normalClearing | 3008:null"});
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "circular: the far member takes its turn like the others") {
  auto first = b.ex.make_call("2001", "2500", b.events).call;
  pump();
  CHECK(b.party(first, "3005") != nullptr);
  REQUIRE(b.ex.clear_call(first, b.events));
  pump();
  CHECK(c.ex.call_count() == 0);
  forget_all();
  auto second = b.ex.make_call("2001", "2500", b.events).call;
  pump();
  CHECK(b.party(second, "2007") != nullptr);
  CHECK(take_signals().empty());
  REQUIRE(b.ex.clear_call(second, b.events));
  auto third = b.ex.make_call("2001", "2500", b.events).call;
  pump();
  CHECK(b.party(third, "3005") != nullptr);
  CHECK(refusals.empty());
}

TEST_CASE("a hunt group's members on other LIMs are listed as remote members in the plan") {
  auto plan = sim::number_plan::from_json(R"({"ranges": [{"first": "2000", "last": "2009"}],
      "hunt_groups": [{"number": "2200", "members": ["3005", "2007"], "remote_members": ["3005"]}]})");
  CHECK(plan.hunt_group("2200")->members() == std::vector<std::string>{"3005", "2007"});
  // Unlisted, a number the plan does not have is still a mistake; a listed one must not be ours.
  CHECK_THROWS_AS(sim::number_plan::from_json(R"({"ranges": [{"first": "2000", "last": "2009"}],
      "hunt_groups": [{"number": "2200", "members": ["3005"]}]})"), std::runtime_error);
  CHECK_THROWS_AS(sim::number_plan::from_json(R"({"ranges": [{"first": "2000", "last": "2009"}],
      "hunt_groups": [{"number": "2200", "members": ["2005"], "remote_members": ["2005"]}]})"),
                  std::runtime_error);
}

// -- ACD groups ---------------------------------------------------------------------------------

TEST_CASE_FIXTURE(three_lims, "agents at other LIMs' devices log on at their ACD group's LIM") {
  REQUIRE(a.ex.set_agent_state("2004", request::logged_on, "a1", "1100", a.events));
  REQUIRE(a.ex.set_agent_state("2004", request::ready, "", "", a.events));
  CHECK(a.take() == shown{"- agent_logged_on 2004 normal | 2004:null 1100:null",
                          "- agent_ready 2004 normal | 2004:null 1100:null"});
  CHECK(state_of(a, "2004") == sim::agent_state::ready);
  CHECK(a.ex.get_agent_state("2004").agents ==
        std::vector<sim::agent_snapshot>{{"a1", "1100", sim::agent_state::ready}});
  // Only a number of the system: another is no device at all.
  CHECK(a.ex.set_agent_state("5000", request::logged_on, "a2", "1100", a.events).error ==
        errors::operation("invalidDeviceID"));
  // The device's own LIM has no such group: requests go to the group's LIM.
  CHECK(b.ex.set_agent_state("2004", request::logged_on, "a1", "1100", b.events).error ==
        errors::operation("invalidAgentGroup"));
  REQUIRE(a.ex.set_agent_state("2004", request::not_ready, "", "", a.events));
  REQUIRE(a.ex.set_agent_state("2004", request::logged_off, "", "", a.events));
  CHECK(a.take() == shown{"- agent_not_ready 2004 normal | 2004:null 1100:null",
                          "- agent_logged_off 2004 normal | 2004:null 1100:null"});
  pump();
  CHECK(take_signals().empty());
  CHECK(b.events.empty());
}

TEST_CASE_FIXTURE(three_lims, "an ACD call goes to a ready agent on another LIM: it answers, after-call work follows the far hang-up") {
  ready_far_agent(*this, "2004", "a1");
  auto id = a.ex.make_call("1000", "1100", a.events).call;
  CHECK(a.take() == shown{"1:1 service_initiated 1000 makeCall | 1000:initiated",
                          "1:1 originated 1000 newCall | 1000:connected",
                          "1:1 queued 1100 enteringDistribution | 1000:connected 1100:queued",
                          "1:1 diverted 1100 distributed | 1000:connected 1100:null",
                          "- agent_busy 2004 normal | 2004:null 1100:null"});
  CHECK(state_of(a, "2004") == sim::agent_state::busy);
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2004 distributed called=1100 relay=1100",
                                "alerting 1:1 2004>1100 distributed"});
  CHECK(b.take() == shown{"1:1 delivered 2004 distributed | 2004:alerting"});
  CHECK(b.ex.find_call(id)->last_redirection == "1100");
  CHECK(a.take() == shown{"1:1 delivered 2004 distributed | 1000:connected 1100:null"});
  REQUIRE(b.ex.answer_call(id, "2004", b.events));
  b.events.clear();
  pump();
  CHECK(take_signals() == shown{"answered 1:1 2004>1100 newCall"});
  CHECK(a.take() == shown{"1:1 established 2004 distributed | 1000:connected 1100:null"});
  // The agent hangs up on its LIM: the group's LIM starts its after-call work.
  REQUIRE(b.ex.clear_connection(id, "2004", b.events));
  pump();
  CHECK(take_signals() == shown{"released 1:1 2004>1100 normalClearing"});
  CHECK(a.take() == shown{"1:1 connection_cleared 2004 normalClearing | 1000:connected 1100:null",
                          "- agent_working_after_call 2004 normal | 2004:null 1100:null",
                          "1:1 connection_cleared 1000 normalClearing | 1000:null 1100:null"});
  CHECK(state_of(a, "2004") == sim::agent_state::working_after_call);
  clock.advance(10s);
  a.ex.tick(a.events);
  CHECK(a.take() == shown{"- agent_ready 2004 normal | 2004:null 1100:null"});
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a far agent who does not answer is made not ready, and the call goes to the next agent") {
  ready_far_agent(*this, "2004", "a1");
  clock.advance(1s);
  ready_far_agent(*this, "3004", "a2");
  auto id = a.ex.incoming_call("0701", "1100", a.events).call;
  pump();
  CHECK(take_signals() == shown{"setup 1:1 0701>2004 distributed called=1100 relay=1100",
                                "alerting 1:1 2004>1100 distributed"});
  forget_all();
  clock.advance(14s);
  a.ex.tick(a.events);
  CHECK(a.events.empty());
  clock.advance(1s);
  a.ex.tick(a.events);
  CHECK(a.take() == shown{"- agent_not_ready 2004 normal | 2004:null 1100:null",
                          "1:1 connection_cleared 2004 callNotAnswered | 1100:null",
                          "1:1 queued 1100 callNotAnswered | 1100:queued",
                          "1:1 diverted 1100 distributed | 1100:null",
                          "- agent_busy 3004 normal | 3004:null 1100:null"});
  pump();
  CHECK(take_signals() == shown{"released 1:1 0701>2004 callNotAnswered",
                                "setup 1:1 0701>3004 distributed called=1100 relay=1100",
                                "alerting 1:1 3004>1100 distributed"});
  CHECK(b.take() == shown{"1:1 connection_cleared 0701 callNotAnswered | 2004:alerting",
                          "1:1 connection_cleared 2004 callNotAnswered | 2004:null"});
  CHECK(c.take() == shown{"1:1 delivered 3004 distributed | 3004:alerting"});
  CHECK(a.take() == shown{"1:1 delivered 3004 distributed | 1100:null"});
  CHECK(state_of(a, "2004") == sim::agent_state::not_ready);
  CHECK(state_of(a, "3004") == sim::agent_state::busy);
  REQUIRE(c.ex.answer_call(id, "3004", c.events));
  pump();
  CHECK(take_signals() == shown{"answered 1:1 3004>1100 newCall"});
  CHECK(a.take() == shown{"1:1 established 3004 distributed | 1100:null"});
  // The outside caller hangs up on the group's LIM: the agent's LIM is told.
  REQUIRE(a.ex.external_release(id, "0701", a.events));
  CHECK(a.take() == shown{"1:1 connection_cleared 0701 normalClearing | 1100:null",
                          "1:1 connection_cleared 3004 normalClearing | 1100:null",
                          "- agent_working_after_call 3004 normal | 3004:null 1100:null"});
  pump();
  CHECK(take_signals() == shown{"released 1:1 0701>3004 normalClearing"});
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a far agent busy on its own LIM is made not ready, and the call waits in the queue") {
  REQUIRE(b.ex.make_call("2004", "2005", b.events));
  b.events.clear();
  ready_far_agent(*this, "2004", "a1");
  auto id = a.ex.incoming_call("0701", "1100", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 0701>2004 distributed called=1100 relay=1100",
                                "failed 1:1 2004>1100 busy"});
  CHECK(a.take() == shown{"- agent_not_ready 2004 normal | 2004:null 1100:null",
                          "1:1 queued 1100 callNotAnswered | 1100:queued"});
  CHECK(a.ex.queue_length("1100") == 1);
  CHECK(b.events.empty());
  // The next agent to be ready takes it.
  ready_far_agent(*this, "3004", "a2");
  CHECK(a.ex.queue_length("1100") == 0);
  CHECK(a.party(id, "3004") != nullptr);
  pump();
  CHECK(c.take() == shown{"1:1 delivered 3004 distributed | 3004:alerting"});
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a caller on a third LIM, an agent on another: the group's LIM relays and keeps the agent") {
  ready_far_agent(*this, "2004", "a1");
  auto id = c.ex.make_call("3000", "1100", c.events).call;
  c.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 3:1 3000>1100 newCall called=1100",
                                "setup 3:1 3000>2004 distributed called=1100 relay=1100",
                                "alerting 3:1 2004>1100 distributed",
                                "alerting 3:1 2004>3000 distributed relay=1100"});
  CHECK(b.take() == shown{"3:1 delivered 2004 distributed | 2004:alerting"});
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0].last_redirection == "1100");
  CHECK(c.take() == shown{"3:1 delivered 2004 distributed | 3000:connected"});
  REQUIRE(b.ex.answer_call(id, "2004", b.events));
  b.events.clear();
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"answered 3:1 2004>1100 newCall",
                                "answered 3:1 2004>3000 distributed relay=1100"});
  CHECK(a.take() == shown{"3:1 established 2004 distributed | 1100:null"});
  CHECK(c.take() == shown{"3:1 established 2004 distributed | 3000:connected"});
  CHECK(state_of(a, "2004") == sim::agent_state::busy);
  REQUIRE(c.ex.clear_connection(id, "3000", c.events));
  pump();
  CHECK(take_signals() == shown{"released 3:1 3000>1100 normalClearing",
                                "released 3:1 3000>2004 normalClearing relay=1100"});
  CHECK(a.take() == shown{"3:1 connection_cleared 3000 normalClearing | 1100:null",
                          "3:1 connection_cleared 2004 normalClearing | 1100:null",
                          "- agent_working_after_call 2004 normal | 2004:null 1100:null"});
  CHECK(b.take() == shown{"3:1 connection_cleared 3000 normalClearing | 2004:connected",
                          "3:1 connection_cleared 2004 normalClearing | 2004:null"});
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "the far caller transfers a call answered by a member on a third LIM: the group's LIM passes it on") {
  auto id = a.ex.make_call("1000", "2200", a.events).call;
  pump();
  REQUIRE(c.ex.answer_call(id, "3005", c.events));
  pump();
  auto consult = a.ex.consultation_call(id, "1000", "1001", a.events).call;
  REQUIRE(a.ex.answer_call(consult, "1001", a.events));
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2200 newCall called=2200",
                                "setup 1:1 1000>3005 distributed called=2200 relay=2200",
                                "alerting 1:1 3005>2200 distributed",
                                "alerting 1:1 3005>1000 distributed relay=2200",
                                "answered 1:1 3005>2200 newCall",
                                "answered 1:1 3005>1000 distributed relay=2200",
                                "held 1:1 1000>2200 consultation",
                                "held 1:1 1000>3005 consultation relay=2200"});
  forget_all();
  REQUIRE(a.ex.transfer_call(id, consult, "1000", a.events));
  pump();
  CHECK(take_signals() ==
        shown{"transferred 1:1 1000>2200 transfer new=1:2 other=1001:connected",
              "transferred 1:1 1000>3005 transfer new=1:2 other=1001:connected relay=2200"});
  CHECK(b.take() == shown{"1:1 transferred 1000 transfer | 2200:null"});
  CHECK(c.take() == shown{"1:1 transferred 1000 transfer | 3005:connected"});
  CHECK(c.ex.snapshot_call(consult).connections ==
        std::vector<sim::connection_snapshot>{{consult, "1001", connection_state::connected},
                                              {consult, "3005", connection_state::connected}});
  REQUIRE(a.ex.clear_connection(consult, "1001", a.events));
  pump();
  CHECK(take_signals() == shown{"released 1:2 1001>2200 normalClearing",
                                "released 1:2 1001>3005 normalClearing relay=2200"});
  CHECK(c.take() == shown{"1:2 connection_cleared 1001 normalClearing | 3005:connected",
                          "1:2 connection_cleared 3005 normalClearing | 3005:null"});
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "not supported: an agent on the caller's own LIM when the group is on another") {
  ready_far_agent(*this, "3004", "a1");
  auto id = c.ex.make_call("3000", "1100", c.events).call;
  c.events.clear();
  pump();
  // The caller's LIM holds the call already: it fails the leg, and the agent is made not ready
  // as for any leg that fails (the group's LIM cannot tell why), so the call waits in the queue.
  CHECK(take_signals() == shown{"setup 3:1 3000>1100 newCall called=1100",
                                "setup 3:1 3000>3004 distributed called=1100 relay=1100",
                                "failed 3:1 3004>1100 networkNotObtainable"});
  CHECK(state_of(a, "3004") == sim::agent_state::not_ready);
  CHECK(a.ex.queue_length("1100") == 1);
  CHECK(c.events.empty());
  CHECK(c.ex.find_call(id)->parties.size() == 2);  // the caller still waits for the group
  CHECK(refusals.empty());
}
