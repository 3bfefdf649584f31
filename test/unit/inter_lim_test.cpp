// Calls between LIMs: three exchanges on one manual clock, each owning a number range and
// holding the others' parties as remote parties, with a pump that carries every signal to the
// LIM owning its `to` number. Each side's events are its own view of one call with one id.

#include <functional>
#include <optional>
#include <ostream>

#include <doctest/doctest.h>

#include "inter_lim_fixture.hpp"
#include "sim/simulation.hpp"
#include "sim/system_ids.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using protocol::connection_state;
using protocol::event_cause;
using ft = protocol::forwarding_type;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(three_lims, "a call to another LIM: one call id, each LIM reports its own view") {
  auto made = a.ex.make_call("1000", "2000", a.events);
  REQUIRE(made);
  auto id = made.call;
  CHECK(id == sim::first_id_of(1));
  // The far party is added without an event: nothing is known of it yet.
  CHECK(a.take() == shown{"1:1 service_initiated 1000 makeCall | 1000:initiated",
                          "1:1 originated 1000 newCall | 1000:connected"});
  REQUIRE(a.party(id, "2000") != nullptr);
  CHECK(a.party(id, "2000")->remote());
  CHECK(a.party(id, "2000")->state == connection_state::null);
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2000 newCall called=2000",
                                "alerting 1:1 2000>1000 newCall"});
  CHECK(b.take() == shown{"1:1 delivered 2000 newCall | 2000:alerting"});
  CHECK(a.take() == shown{"1:1 delivered 2000 newCall | 1000:connected"});
  CHECK(a.party(id, "2000")->state == connection_state::alerting);
  REQUIRE(b.party(id, "1000") != nullptr);
  CHECK(b.party(id, "1000")->remote());
  CHECK(b.party(id, "1000")->state == connection_state::connected);
  CHECK(b.ex.find_call(id)->calling == "1000");
  CHECK(b.ex.find_call(id)->called == "2000");
  // The call id came from LIM 1's block: LIM 2's own numbering is untouched.
  CHECK(b.ex.make_call("2001", "2002", b.events).call == sim::first_id_of(2));
  b.events.clear();
  pump();
  CHECK(take_signals().empty());

  REQUIRE(b.ex.answer_call(id, "2000", b.events));
  CHECK(b.take() == shown{"1:1 established 2000 newCall | 2000:connected"});
  pump();
  CHECK(take_signals() == shown{"answered 1:1 2000>1000 newCall"});
  CHECK(a.take() == shown{"1:1 established 2000 newCall | 1000:connected"});
  CHECK(a.ex.snapshot_call(id).connections ==
        std::vector<sim::connection_snapshot>{{id, "1000", connection_state::connected},
                                              {id, "2000", connection_state::connected}});

  SUBCASE("the called party hangs up") {
    REQUIRE(b.ex.clear_connection(id, "2000", b.events));
    CHECK(b.take() == shown{"1:1 connection_cleared 2000 normalClearing | 2000:null",
                            "1:1 connection_cleared 1000 normalClearing |"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 2000>1000 normalClearing"});
    CHECK(a.take() == shown{"1:1 connection_cleared 2000 normalClearing | 1000:connected",
                            "1:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  SUBCASE("the caller hangs up") {
    REQUIRE(a.ex.clear_connection(id, "1000", a.events));
    CHECK(a.take() == shown{"1:1 connection_cleared 1000 normalClearing | 1000:null",
                            "1:1 connection_cleared 2000 normalClearing |"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>2000 normalClearing"});
    CHECK(b.take() == shown{"1:1 connection_cleared 1000 normalClearing | 2000:connected",
                            "1:1 connection_cleared 2000 normalClearing | 2000:null"});
  }
  SUBCASE("a client clears the whole call on the called side") {
    REQUIRE(b.ex.clear_call(id, b.events));
    CHECK(b.take() == shown{"1:1 connection_cleared 2000 normalClearing | 2000:null"});
    pump();
    CHECK(take_signals() == shown{"released 1:1 2000>1000 normalClearing"});
    CHECK(a.take() == shown{"1:1 connection_cleared 2000 normalClearing | 1000:connected",
                            "1:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  CHECK(a.ex.find_call(id) == nullptr);
  CHECK(b.ex.find_call(id) == nullptr);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "the caller gives up while the far party rings") {
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  pump();
  forget_all();
  REQUIRE(a.ex.clear_connection(id, "1000", a.events));
  CHECK(a.take() == shown{"1:1 connection_cleared 1000 normalClearing | 1000:null",
                          "1:1 connection_cleared 2000 normalClearing |"});
  pump();
  CHECK(take_signals() == shown{"released 1:1 1000>2000 normalClearing"});
  CHECK(b.take() == shown{"1:1 connection_cleared 1000 normalClearing | 2000:alerting",
                          "1:1 connection_cleared 2000 normalClearing | 2000:null"});
  CHECK(b.ex.call_count() == 0);
  // The far side's ring timer finds nothing left to do.
  clock.advance(60s);
  b.ex.tick(b.events);
  pump();
  CHECK(b.events.empty());
  CHECK(take_signals().empty());
}

TEST_CASE_FIXTURE(three_lims, "the far side cannot take the call: the caller fails as on its own LIM") {
  std::string number = "2001";
  shown expected_signals;
  std::string expected_failure;
  SUBCASE("busy") {
    b.ex.make_call("2001", "2002", b.events);
    expected_signals = {"setup 1:1 1000>2001 newCall called=2001", "failed 1:1 2001>1000 busy"};
    expected_failure = "1:1 failed 2001 busy | 1000:fail";
  }
  SUBCASE("do not disturb") {
    b.ex.set_do_not_disturb("2001", true, b.events);
    expected_signals = {"setup 1:1 1000>2001 newCall called=2001",
                        "failed 1:1 2001>1000 doNotDisturb"};
    expected_failure = "1:1 failed 2001 doNotDisturb | 1000:fail";
  }
  SUBCASE("a number the far LIM does not have") {
    number = "2099";
    expected_signals = {"setup 1:1 1000>2099 newCall called=2099",
                        "failed 1:1 2099>1000 numberUnallocated"};
    expected_failure = "1:1 failed 2099 numberUnallocated | 1000:fail";
  }
  auto calls_on_b = b.ex.call_count();
  b.events.clear();
  auto id = a.ex.make_call("1000", number, a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == expected_signals);
  CHECK(a.take() == shown{expected_failure});
  CHECK(b.events.empty());
  CHECK(b.ex.call_count() == calls_on_b);  // nothing of the call stays there
  CHECK(a.party(id, "1000")->state == connection_state::fail);
  CHECK(a.ex.find_call(id)->parties.size() == 1);
  // The caller hangs up: only its own connection, nothing to signal.
  REQUIRE(a.ex.clear_connection(id, "1000", a.events));
  CHECK(a.take() == shown{"1:1 connection_cleared 1000 normalClearing | 1000:null"});
  pump();
  CHECK(take_signals().empty());
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "the far LIM times the ringing out, the calling LIM has no timer of its own") {
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  pump();
  forget_all();
  CHECK_FALSE(a.ex.next_timer().has_value());
  clock.advance(59s);
  b.ex.tick(b.events);
  CHECK(b.events.empty());
  clock.advance(1s);
  a.ex.tick(a.events);
  CHECK(a.events.empty());
  b.ex.tick(b.events);
  CHECK(b.take() == shown{"1:1 connection_cleared 2000 callNotAnswered | 2000:null",
                          "1:1 connection_cleared 1000 callNotAnswered |"});
  pump();
  CHECK(take_signals() == shown{"released 1:1 2000>1000 callNotAnswered"});
  CHECK(a.take() == shown{"1:1 connection_cleared 2000 callNotAnswered | 1000:connected",
                          "1:1 connection_cleared 1000 callNotAnswered | 1000:null"});
  CHECK(a.ex.find_call(id) == nullptr);
}

TEST_CASE_FIXTURE(three_lims, "a diversion on the far LIM: the caller's LIM follows the new device") {
  REQUIRE(b.ex.set_forwarding("2000", ft::forwardImmediate, true, "2001", 0, b.events));
  b.events.clear();
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2000 newCall called=2000",
                                "alerting 1:1 2001>1000 callForwardImmediate"});
  CHECK(b.take() == shown{"1:1 diverted 2000 callForwardImmediate | 2000:null",
                          "1:1 delivered 2001 callForwardImmediate | 2001:alerting"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2000");
  CHECK(a.take() == shown{"1:1 delivered 2001 callForwardImmediate | 1000:connected"});
  CHECK(a.party(id, "2000") == nullptr);
  REQUIRE(a.party(id, "2001") != nullptr);
  CHECK(a.party(id, "2001")->state == connection_state::alerting);
  REQUIRE(b.ex.answer_call(id, "2001", b.events));
  pump();
  CHECK(take_signals() == shown{"answered 1:1 2001>1000 newCall"});
  CHECK(a.take() == shown{"1:1 established 2001 newCall | 1000:connected"});
}

TEST_CASE_FIXTURE(three_lims, "forwarded to a third LIM: the middle LIM hands the call on and keeps nothing") {
  REQUIRE(b.ex.set_forwarding("2000", ft::forwardImmediate, true, "3000", 0, b.events));
  b.events.clear();
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2000 newCall called=2000",
                                "setup 1:1 1000>3000 callForwardImmediate called=2000",
                                "alerting 1:1 3000>1000 callForwardImmediate"});
  CHECK(b.take() == shown{"1:1 diverted 2000 callForwardImmediate | 2000:null"});
  CHECK(b.ex.call_count() == 0);
  CHECK(c.take() == shown{"1:1 delivered 3000 callForwardImmediate | 3000:alerting"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2000");
  CHECK(a.take() == shown{"1:1 delivered 3000 callForwardImmediate | 1000:connected"});
  // From now on the first and the third LIM signal each other directly.
  REQUIRE(c.ex.answer_call(id, "3000", c.events));
  REQUIRE(a.ex.clear_connection(id, "1000", a.events));
  pump();
  CHECK(take_signals() == shown{"released 1:1 1000>3000 normalClearing",
                                "answered 1:1 3000>1000 newCall"});
  CHECK(c.take() == shown{"1:1 established 3000 newCall | 3000:connected",
                          "1:1 connection_cleared 1000 normalClearing | 3000:connected",
                          "1:1 connection_cleared 3000 normalClearing | 3000:null"});
  // The answer crossed the release: the calling LIM no longer knows the call.
  CHECK(refusals == shown{"answered 1:1 3000>1000 newCall: invalidCallID"});
  CHECK(a.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
}

TEST_CASE_FIXTURE(three_lims, "forwardings in a circle between LIMs: the call fails instead of going round for ever") {
  REQUIRE(b.ex.set_forwarding("2000", ft::forwardImmediate, true, "3000", 0, b.events));
  REQUIRE(c.ex.set_forwarding("3000", ft::forwardImmediate, true, "2000", 0, c.events));
  b.events.clear();
  c.events.clear();
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  a.events.clear();
  pump();  // fails the test if the LIMs kept signalling
  auto sent = take_signals();
  REQUIRE(sent.size() == sim::max_lim_hops + 1);
  CHECK(sent.back() == "failed 1:1 2000>1000 networkNotObtainable");
  CHECK(a.take() == shown{"1:1 failed 2000 networkNotObtainable | 1000:fail"});
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  REQUIRE(a.ex.clear_connection(id, "1000", a.events));
  CHECK(a.ex.call_count() == 0);
}

TEST_CASE_FIXTURE(three_lims, "no answer on the far LIM, forwarded to a third: the caller's LIM follows") {
  REQUIRE(b.ex.set_forwarding("2000", ft::forwardNoAns, true, "3000", 2, b.events));
  b.events.clear();
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  pump();
  forget_all();
  clock.advance(10s);  // two rings of 5 s
  b.ex.tick(b.events);
  CHECK(b.take() == shown{"1:1 diverted 2000 callForwardNoAnswer | 2000:null"});
  CHECK(b.ex.call_count() == 0);
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>3000 callForwardNoAnswer called=2000",
                                "alerting 1:1 3000>1000 callForwardNoAnswer"});
  CHECK(c.take() == shown{"1:1 delivered 3000 callForwardNoAnswer | 3000:alerting"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2000");
  CHECK(a.take() == shown{"1:1 delivered 3000 callForwardNoAnswer | 1000:connected"});
  CHECK(a.party(id, "3000") != nullptr);
}

TEST_CASE_FIXTURE(three_lims, "forwarded back to the calling LIM: the call comes home") {
  REQUIRE(b.ex.set_forwarding("2000", ft::forwardImmediate, true, "1001", 0, b.events));
  b.events.clear();
  auto id = a.ex.make_call("1000", "2000", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2000 newCall called=2000",
                                "setup 1:1 1000>1001 callForwardImmediate called=2000"});
  CHECK(b.ex.call_count() == 0);
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2000");
  CHECK(a.take() == shown{"1:1 delivered 1001 callForwardImmediate | 1000:connected 1001:alerting"});
  CHECK(a.ex.find_call(id)->parties.size() == 2);
  CHECK(a.party(id, "2000") == nullptr);
  REQUIRE(a.ex.answer_call(id, "1001", a.events));
  pump();
  CHECK(take_signals().empty());
}

TEST_CASE_FIXTURE(three_lims, "a far ring-all hunt group: one alerting for the caller, then who answered") {
  auto id = a.ex.make_call("1000", "2100", a.events).call;
  a.events.clear();
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2100 newCall called=2100",
                                "alerting 1:1 2005>1000 distributed"});
  CHECK(b.take() == shown{"1:1 delivered 2005 distributed | 2005:alerting 2100:null",
                          "1:1 delivered 2006 distributed | 2005:alerting 2006:alerting 2100:null"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].last_redirection == "2100");
  CHECK(a.take() == shown{"1:1 delivered 2005 distributed | 1000:connected"});
  REQUIRE(b.ex.answer_call(id, "2006", b.events));
  b.events.clear();
  pump();
  CHECK(take_signals() == shown{"answered 1:1 2006>1000 distributed"});
  CHECK(a.take() == shown{"1:1 established 2006 distributed | 1000:connected"});
  CHECK(a.party(id, "2006") != nullptr);
  CHECK(a.party(id, "2005") == nullptr);
}

TEST_CASE_FIXTURE(three_lims, "hold and retrieve are seen on the far side, as the far party's") {
  auto id = connected(a, "1000", b, "2000");
  REQUIRE(a.ex.hold_call(id, "1000", a.events));
  CHECK(a.take() == shown{"1:1 held 1000 normal | 1000:hold"});
  pump();
  CHECK(take_signals() == shown{"held 1:1 1000>2000 normal"});
  CHECK(b.take() == shown{"1:1 held 1000 normal | 2000:connected"});
  CHECK(b.party(id, "1000")->state == connection_state::hold);
  REQUIRE(a.ex.retrieve_call(id, "1000", a.events));
  pump();
  CHECK(take_signals() == shown{"retrieved 1:1 1000>2000 normal"});
  CHECK(b.take() == shown{"1:1 retrieved 1000 normal | 2000:connected"});
  CHECK(b.party(id, "1000")->state == connection_state::connected);

  // The called side consults: its hold reaches the caller's LIM with the consultation cause.
  a.events.clear();
  auto consult = b.ex.consultation_call(id, "2000", "2001", b.events);
  REQUIRE(consult);
  pump();
  CHECK(take_signals() == shown{"held 1:1 2000>1000 consultation"});
  CHECK(a.take() == shown{"1:1 held 2000 consultation | 1000:connected"});
  REQUIRE(b.ex.answer_call(consult.call, "2001", b.events));
  REQUIRE(b.ex.alternate_call(id, consult.call, "2000", b.events));
  pump();
  CHECK(take_signals() == shown{"retrieved 1:1 2000>1000 alternate"});
  CHECK(a.take() == shown{"1:1 retrieved 2000 alternate | 1000:connected"});
  CHECK(a.party(id, "2000")->state == connection_state::connected);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "transfer joining two other LIMs: the middle LIM drops out, they signal each other") {
  auto x = b.ex.make_call("2000", "3000", b.events).call;
  CHECK(x == sim::first_id_of(2));
  pump();
  REQUIRE(c.ex.answer_call(x, "3000", c.events));
  pump();
  forget_all();
  REQUIRE(b.ex.hold_call(x, "2000", b.events));
  pump();
  CHECK(take_signals() == shown{"held 2:1 2000>3000 normal"});
  CHECK(c.take() == shown{"2:1 held 2000 normal | 3000:connected"});
  auto y = connected(a, "1000", b, "2000");
  CHECK(y == sim::first_id_of(1));

  REQUIRE(b.ex.transfer_call(x, y, "2000", b.events));
  REQUIRE(b.events.size() == 1);
  CHECK(b.events[0].secondary_call == y);
  CHECK(b.events[0].other == "1000");
  CHECK(b.events[0].moves == std::vector<sim::connection_move>{{"3000", x, y}, {"1000", y, y}});
  CHECK(b.take() == shown{"2:1 transferred 2000 transfer | 2000:null"});
  CHECK(b.ex.call_count() == 0);
  pump();
  CHECK(take_signals() ==
        shown{"transferred 1:1 2000>1000 transfer new=1:1 other=3000:connected",
              "transferred 2:1 2000>3000 transfer new=1:1 other=1000:connected"});
  // The third LIM's call takes the first LIM's id; its far party is 1000 now.
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0].secondary_call == y);
  CHECK(c.events[0].other == "1000");
  CHECK(c.events[0].moves == std::vector<sim::connection_move>{{"1000", y, y}, {"3000", x, y}});
  CHECK(c.take() == shown{"2:1 transferred 2000 transfer | 3000:connected"});
  CHECK(c.ex.find_call(x) == nullptr);
  CHECK(c.ex.snapshot_call(y).connections ==
        std::vector<sim::connection_snapshot>{{y, "1000", connection_state::connected},
                                              {y, "3000", connection_state::connected}});
  CHECK(c.ex.calls_of("3000") == std::vector<sim::call_id>{y});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].secondary_call == y);
  CHECK(a.events[0].other == "3000");
  CHECK(a.take() == shown{"1:1 transferred 2000 transfer | 1000:connected"});
  CHECK(a.ex.snapshot_call(y).connections ==
        std::vector<sim::connection_snapshot>{{y, "1000", connection_state::connected},
                                              {y, "3000", connection_state::connected}});

  SUBCASE("a later clear goes from the first LIM to the third directly") {
    REQUIRE(a.ex.clear_connection(y, "1000", a.events));
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>3000 normalClearing"});
    CHECK(c.take() == shown{"1:1 connection_cleared 1000 normalClearing | 3000:connected",
                            "1:1 connection_cleared 3000 normalClearing | 3000:null"});
  }
  SUBCASE("and the other way round") {
    REQUIRE(c.ex.hold_call(y, "3000", c.events));
    REQUIRE(c.ex.clear_connection(y, "3000", c.events));
    pump();
    CHECK(take_signals() == shown{"held 1:1 3000>1000 normal",
                                  "released 1:1 3000>1000 normalClearing"});
    CHECK(a.take() == shown{"1:1 held 3000 normal | 1000:connected",
                            "1:1 connection_cleared 3000 normalClearing | 1000:connected",
                            "1:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  CHECK(b.events.empty());
  CHECK(a.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "transfer of a local call to a far party: the LIM keeps the joined call") {
  SUBCASE("the far party's call is the active one and keeps its id") {
    auto x = b.ex.make_call("2000", "2001", b.events).call;
    REQUIRE(b.ex.answer_call(x, "2001", b.events));
    REQUIRE(b.ex.hold_call(x, "2000", b.events));
    auto y = connected(a, "1000", b, "2000");
    REQUIRE(b.ex.transfer_call(x, y, "2000", b.events));
    CHECK(b.take() == shown{"2:1 transferred 2000 transfer | 2001:connected 2000:null"});
    pump();
    CHECK(take_signals() == shown{"transferred 1:1 2000>1000 transfer new=1:1 other=2001:connected"});
    REQUIRE(a.events.size() == 1);
    CHECK(a.events[0].moves == std::vector<sim::connection_move>{{"1000", y, y}, {"2001", y, y}});
    CHECK(a.take() == shown{"1:1 transferred 2000 transfer | 1000:connected"});
    REQUIRE(a.party(y, "2001") != nullptr);
    CHECK(a.party(y, "2001")->remote());
    CHECK(b.ex.snapshot_call(y).connections ==
          std::vector<sim::connection_snapshot>{{y, "1000", connection_state::connected},
                                                {y, "2001", connection_state::connected}});
    REQUIRE(a.ex.clear_connection(y, "1000", a.events));
    pump();
    CHECK(take_signals() == shown{"released 1:1 1000>2001 normalClearing"});
    CHECK(b.take() == shown{"1:1 connection_cleared 1000 normalClearing | 2001:connected",
                            "1:1 connection_cleared 2001 normalClearing | 2001:null"});
  }
  SUBCASE("the far party's call is the held one: it moves to the local call's id") {
    auto y = connected(a, "1000", b, "2000");
    auto consult = b.ex.consultation_call(y, "2000", "2001", b.events);
    REQUIRE(consult);
    auto x = consult.call;
    CHECK(x == sim::first_id_of(2));
    REQUIRE(b.ex.answer_call(x, "2001", b.events));
    pump();
    forget_all();
    REQUIRE(b.ex.transfer_call(y, x, "2000", b.events));
    CHECK(b.take() == shown{"1:1 transferred 2000 transfer | 2001:connected 2000:null"});
    pump();
    CHECK(take_signals() == shown{"transferred 1:1 2000>1000 transfer new=2:1 other=2001:connected"});
    REQUIRE(a.events.size() == 1);
    CHECK(a.events[0].call == y);
    CHECK(a.events[0].secondary_call == x);
    CHECK(a.events[0].moves == std::vector<sim::connection_move>{{"1000", y, x}, {"2001", x, x}});
    CHECK(a.take() == shown{"1:1 transferred 2000 transfer | 1000:connected"});
    CHECK(a.ex.find_call(y) == nullptr);
    CHECK(a.ex.calls_of("1000") == std::vector<sim::call_id>{x});
    REQUIRE(a.party(x, "2001") != nullptr);
    CHECK(a.party(x, "2001")->state == connection_state::connected);
    REQUIRE(b.ex.clear_connection(x, "2001", b.events));
    CHECK(b.take() == shown{"2:1 connection_cleared 2001 normalClearing | 2001:null",
                            "2:1 connection_cleared 1000 normalClearing |"});
    pump();
    CHECK(take_signals() == shown{"released 2:1 2001>1000 normalClearing"});
    CHECK(a.take() == shown{"2:1 connection_cleared 2001 normalClearing | 1000:connected",
                            "2:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "an outside caller transferred to another LIM: the trunk's LIM stays in between") {
  auto trunk = b.ex.incoming_call("0123", "2000", b.events).call;
  REQUIRE(b.ex.answer_call(trunk, "2000", b.events));
  auto consult = b.ex.consultation_call(trunk, "2000", "1000", b.events).call;
  pump();
  REQUIRE(a.ex.answer_call(consult, "1000", a.events));
  pump();
  forget_all();
  REQUIRE(b.ex.transfer_call(trunk, consult, "2000", b.events));
  pump();
  CHECK(take_signals() == shown{"transferred 2:2 2000>1000 transfer new=2:2 other=0123:connected"});
  CHECK(a.take() == shown{"2:2 transferred 2000 transfer | 1000:connected"});
  // The first LIM shows the outside number, and still signals the LIM that has its trunk.
  REQUIRE(a.party(consult, "0123") != nullptr);
  CHECK(a.party(consult, "0123")->remote());
  SUBCASE("the far party hangs up") {
    REQUIRE(a.ex.clear_connection(consult, "1000", a.events));
    pump();
    CHECK(take_signals() == shown{"released 2:2 1000>2000 normalClearing"});
    CHECK(b.take() == shown{"2:1 transferred 2000 transfer | 2000:null",
                            "2:2 connection_cleared 1000 normalClearing |",
                            "2:2 connection_cleared 0123 normalClearing |"});
  }
  SUBCASE("the outside caller hangs up") {
    REQUIRE(b.ex.external_release(consult, "0123", b.events));
    pump();
    CHECK(take_signals() == shown{"released 2:2 0123>1000 normalClearing"});
    CHECK(a.take() == shown{"2:2 connection_cleared 0123 normalClearing | 1000:connected",
                            "2:2 connection_cleared 1000 normalClearing | 1000:null"});
  }
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a far device transfers two calls of ours to each other: they become one local call") {
  auto first = connected(a, "1000", b, "2000");
  REQUIRE(b.ex.hold_call(first, "2000", b.events));
  pump();
  auto second = connected(a, "1001", b, "2000");
  REQUIRE(b.ex.transfer_call(first, second, "2000", b.events));
  CHECK(b.ex.call_count() == 0);
  pump();
  CHECK(take_signals() ==
        shown{"transferred 1:2 2000>1001 transfer new=1:2 other=1000:connected",
              "transferred 1:1 2000>1000 transfer new=1:2 other=1001:connected"});
  REQUIRE(a.events.size() == 1);
  CHECK(a.events[0].call == first);
  CHECK(a.events[0].secondary_call == second);
  CHECK(a.events[0].moves ==
        std::vector<sim::connection_move>{{"1000", first, second}, {"1001", second, second}});
  CHECK(a.take() == shown{"1:1 transferred 2000 transfer | 1001:connected 1000:connected"});
  // The second signal is about a call that no longer exists here.
  CHECK(refusals == shown{"transferred 1:1 2000>1000 transfer new=1:2 other=1001:connected: invalidCallID"});
  CHECK(a.ex.find_call(first) == nullptr);
  CHECK(a.ex.snapshot_call(second).connections ==
        std::vector<sim::connection_snapshot>{{second, "1001", connection_state::connected},
                                              {second, "1000", connection_state::connected}});
  REQUIRE(a.ex.clear_connection(second, "1000", a.events));
  pump();
  CHECK(take_signals().empty());
  CHECK(a.ex.call_count() == 0);
}

TEST_CASE_FIXTURE(three_lims, "single-step transfer of a far party to a local device") {
  auto id = connected(a, "1000", b, "2000");
  REQUIRE(b.ex.single_step_transfer(id, "2000", "2001", b.events));
  CHECK(b.take() == shown{"1:1 transferred 2000 singleStepTransfer | 2000:null",
                          "1:1 delivered 2001 singleStepTransfer | 2001:alerting"});
  pump();
  CHECK(take_signals() ==
        shown{"transferred 1:1 2000>1000 singleStepTransfer new=1:1 other=2001:null",
              "alerting 1:1 2001>1000 singleStepTransfer"});
  CHECK(a.take() == shown{"1:1 transferred 2000 singleStepTransfer | 1000:connected",
                          "1:1 delivered 2001 singleStepTransfer | 1000:connected"});
  REQUIRE(b.ex.answer_call(id, "2001", b.events));
  pump();
  CHECK(take_signals() == shown{"answered 1:1 2001>1000 newCall"});
  CHECK(a.party(id, "2001")->state == connection_state::connected);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "conference with a far party on the held or the active call: the far LIM shows the added party") {
  auto far = connected(a, "1000", b, "2000");
  auto local = a.ex.consultation_call(far, "1000", "1001", a.events);
  REQUIRE(local);
  REQUIRE(a.ex.answer_call(local.call, "1001", a.events));
  pump();
  CHECK(take_signals() == shown{"held 1:1 1000>2000 consultation"});
  forget_all();
  sim::call_id result = 0;
  SUBCASE("the far party's call is the held one: it keeps its id") {
    REQUIRE(a.ex.conference_call(far, local.call, "1000", a.events));
    CHECK(a.take() == shown{"1:1 conferenced 1000 conference | 1000:connected 1001:connected"});
    pump();
    CHECK(take_signals() == shown{"conferenced 1:1 1000>2000 conference new=1:1 secondary=1:2 "
                                  "added=1001 parties=1001:connected"});
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].secondary_call == local.call);
    CHECK(b.events[0].other == "1001");
    CHECK(b.events[0].moves == std::vector<sim::connection_move>{{"1001", local.call, far}});
    CHECK(b.take() == shown{"1:1 conferenced 1000 conference | 2000:connected"});
    result = far;
  }
  SUBCASE("the far party's call is the active one: it takes the held call's id") {
    REQUIRE(a.ex.alternate_call(far, local.call, "1000", a.events));
    pump();
    forget_all();
    REQUIRE(a.ex.conference_call(local.call, far, "1000", a.events));
    CHECK(a.take() == shown{"1:2 conferenced 1000 conference | 1000:connected 1001:connected"});
    pump();
    CHECK(take_signals() == shown{"conferenced 1:1 1000>2000 conference new=1:2 secondary=1:1 "
                                  "added=2000 parties=1001:connected"});
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].call == local.call);
    CHECK(b.events[0].secondary_call == far);
    CHECK(b.events[0].other == "2000");
    CHECK(b.events[0].moves == std::vector<sim::connection_move>{{"2000", far, local.call}});
    CHECK(b.take() == shown{"1:2 conferenced 1000 conference | 2000:connected"});
    CHECK(b.ex.find_call(far) == nullptr);
    CHECK(b.ex.calls_of("2000") == std::vector<sim::call_id>{local.call});
    result = local.call;
  }
  CHECK(a.ex.call_count() == 1);
  // The far LIM shows the conference's three parties, the one it does not know behind the
  // conferencing LIM's.
  CHECK(b.ex.snapshot_call(result).connections ==
        std::vector<sim::connection_snapshot>{{result, "1000", connection_state::connected},
                                              {result, "2000", connection_state::connected},
                                              {result, "1001", connection_state::connected}});
  REQUIRE(b.party(result, "1001") != nullptr);
  CHECK(b.party(result, "1001")->far->behind);
  // The added party leaves: both LIMs see it, and the call goes on with two.
  REQUIRE(a.ex.clear_connection(result, "1001", a.events));
  CHECK(a.take() == shown{id_text(result) + " connection_cleared 1001 normalClearing | 1000:connected 1001:null"});
  pump();
  CHECK(take_signals() == shown{"released " + id_text(result) + " 1001>2000 normalClearing"});
  CHECK(b.take() == shown{id_text(result) + " connection_cleared 1001 normalClearing | 2000:connected"});
  REQUIRE(b.ex.clear_connection(result, "2000", b.events));
  pump();
  CHECK(take_signals() == shown{"released " + id_text(result) + " 2000>1000 normalClearing"});
  CHECK(a.take() == shown{id_text(result) + " connection_cleared 2000 normalClearing | 1000:connected",
                          id_text(result) + " connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lims, "a lost LIM: its parties are released with networkOutOfOrder, nothing is signalled") {
  auto to_b = connected(a, "1000", b, "2000");
  auto to_c = a.ex.make_call("1001", "3000", a.events).call;
  pump();
  forget_all();
  a.ex.far_lim_lost([&](const std::string& n) { return owner(n) == &b; }, a.events);
  CHECK(a.take() == shown{"1:1 connection_cleared 2000 networkOutOfOrder | 1000:connected",
                          "1:1 connection_cleared 1000 networkOutOfOrder | 1000:null"});
  CHECK(a.ex.find_call(to_b) == nullptr);
  REQUIRE(a.party(to_c, "3000") != nullptr);
  CHECK(a.party(to_c, "3000")->state == connection_state::alerting);
  // And the other way round, on the LIM that lost the caller's.
  b.ex.far_lim_lost([&](const std::string& n) { return owner(n) == &a; }, b.events);
  CHECK(b.take() == shown{"1:1 connection_cleared 1000 networkOutOfOrder | 2000:connected",
                          "1:1 connection_cleared 2000 networkOutOfOrder | 2000:null"});
  pump();
  CHECK(take_signals().empty());
  CHECK(c.ex.call_count() == 1);
}

TEST_CASE_FIXTURE(three_lims, "signals that do not fit are refused and change nothing") {
  auto id = connected(a, "1000", b, "2000");
  sim::inter_lim_signal s;
  s.what = sim::inter_lim_signal::kind::answered;
  s.call = 4711;
  s.from = "2000";
  s.to = "1000";
  CHECK(a.ex.receive(s, a.events).error == errors::operation("invalidCallID"));
  // A setup for a call id the LIM has already, that is not its own call coming back.
  s.what = sim::inter_lim_signal::kind::setup;
  s.call = id;
  s.from = "1005";
  s.to = "2001";
  CHECK(b.ex.receive(s, b.events).error == errors::operation("invalidCallID"));
  // A setup from a device of the receiving LIM itself.
  s.call = 99;
  s.from = "2002";
  CHECK(b.ex.receive(s, b.events).error == errors::operation("invalidCallingDeviceID"));
  CHECK(a.events.empty());
  CHECK(b.events.empty());
  CHECK(b.ex.call_count() == 1);
  pump();
  CHECK(take_signals().empty());
}

TEST_CASE_FIXTURE(three_lims, "numbers of other LIMs are valid destinations for forwarding, deflect and single-step transfer") {
  CHECK(a.ex.is_remote("2000"));
  CHECK_FALSE(a.ex.is_remote("1000"));
  CHECK_FALSE(a.ex.is_remote("0123"));
  CHECK(a.ex.set_forwarding("1001", ft::forwardBusy, true, "3000", 0, a.events));
  CHECK(a.ex.set_forwarding("1001", ft::forwardBusy, true, "4000", 0, a.events).error ==
        errors::operation("invalidForwardingDestination"));
  auto id = a.ex.make_call("1000", "1002", a.events).call;
  a.events.clear();
  REQUIRE(a.ex.deflect_call(id, "1002", "2003", a.events));
  CHECK(a.take() == shown{"1:1 diverted 1002 redirected | 1000:connected 1002:null"});
  pump();
  CHECK(take_signals() == shown{"setup 1:1 1000>2003 redirected called=1002",
                                "alerting 1:1 2003>1000 redirected"});
  CHECK(a.take() == shown{"1:1 delivered 2003 redirected | 1000:connected"});
}

TEST_CASE("people on the far LIM answer and hang up calls that arrive from another LIM") {
  sim::manual_clock clock;
  sim::simulation_config first_config;
  first_config.outside = sim::behaviour_profile{};  // outside numbers answer; 2000 is not one
  sim::simulation first(sim::number_plan::from_json(
                            R"({"ranges": [{"first": "1000", "last": "1009", "kind": "ip"}]})"),
                        first_config, clock, {}, sim::first_id_of(1));
  sim::simulation_config second_config;
  sim::behaviour_profile person;
  person.ring = sim::time_distribution::fixed(3);
  person.talk = sim::time_distribution::fixed(10);
  second_config.people["2000"] = person;
  sim::simulation second(sim::number_plan::from_json(
                             R"({"ranges": [{"first": "2000", "last": "2009", "kind": "ip"}]})"),
                         second_config, clock, {}, sim::first_id_of(2));
  first.switching().set_remote_numbers([](const std::string& n) { return n.front() == '2'; });
  second.switching().set_remote_numbers([](const std::string& n) { return n.front() == '1'; });
  std::vector<sim::domain_event> first_events, second_events;
  auto pump = [&] {
    for (bool carried = true; carried;) {
      carried = false;
      std::vector<sim::inter_lim_signal> out;
      first.switching().take_signals(out);
      for (auto& s : out)
        CHECK(second.receive(s, second_events));
      carried = !out.empty();
      out.clear();
      second.switching().take_signals(out);
      for (auto& s : out)
        CHECK(first.receive(s, first_events));
      carried = carried || !out.empty();
    }
  };
  sim::operation call;
  call.device = "1000";
  call.other = "2000";
  auto made = first.apply(call, first_events);
  REQUIRE(made);
  pump();
  first_events.clear();
  // Only the far LIM's person acts on 2000: the calling LIM schedules nothing for it.
  CHECK_FALSE(first.next_timer().has_value());
  CHECK(second.next_timer() == sim::time_point{} + 3s);
  clock.advance(3s);
  second.tick(second_events);
  pump();
  CHECK(take_with_ids(first_events) == shown{"1:1 established 2000 newCall | 1000:connected"});
  clock.advance(10s);
  second.tick(second_events);
  pump();
  CHECK(take_with_ids(first_events) ==
        shown{"1:1 connection_cleared 2000 normalClearing | 1000:connected",
              "1:1 connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(first.switching().call_count() == 0);
  CHECK(second.switching().call_count() == 0);
}
