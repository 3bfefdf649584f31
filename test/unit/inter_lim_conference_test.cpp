// Conferences across LIMs: the conferencing LIM keeps the call and relays between the far LIMs;
// each LIM reports the conference and every later change as its own view of one call.

#include <doctest/doctest.h>

#include "inter_lim_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using protocol::connection_state;
namespace errors = protocol::errors;

namespace {

/// 2000 (LIM 2) talked with 3000 (LIM 3) and holds that call (2:1); 1000 (LIM 1) called 2000,
/// which answered (1:1). 2000 conferences the two: events and signals forgotten.
struct three_lim_conference : three_lims {
  sim::call_id x = 0;  // 2000 - 3000, held: the conference keeps its id
  sim::call_id y = 0;  // 1000 - 2000, active

  three_lim_conference() {
    x = b.ex.make_call("2000", "3000", b.events).call;
    pump();
    REQUIRE(c.ex.answer_call(x, "3000", c.events));
    pump();
    REQUIRE(b.ex.hold_call(x, "2000", b.events));
    pump();
    y = connected(a, "1000", b, "2000");
  }

  void conference() {
    REQUIRE(b.ex.conference_call(x, y, "2000", b.events));
    pump();
    REQUIRE(refusals.empty());
    forget_all();
  }

  std::vector<sim::connection_snapshot> snapshot(lim_node& n) { return n.ex.snapshot_call(x).connections; }
};

using snapshot_list = std::vector<sim::connection_snapshot>;

}  // namespace

TEST_CASE_FIXTURE(three_lim_conference, "conference of parties on three LIMs: one call, one id, a ConferencedEvent on each LIM") {
  CHECK(x == sim::first_id_of(2));
  CHECK(y == sim::first_id_of(1));
  REQUIRE(b.ex.conference_call(x, y, "2000", b.events));
  REQUIRE(b.events.size() == 1);
  CHECK(b.events[0].secondary_call == y);
  CHECK(b.events[0].other == "1000");
  CHECK(b.events[0].moves == std::vector<sim::connection_move>{{"1000", y, x}});
  CHECK(b.take() == shown{"2:1 conferenced 2000 conference | 2000:connected"});
  CHECK(b.ex.find_call(y) == nullptr);
  pump();
  // The hub tells each far LIM once, with the parties it is to show from now on.
  CHECK(take_signals() == shown{"conferenced 2:1 2000>3000 conference new=2:1 secondary=1:1 "
                                "added=1000 parties=1000:connected",
                                "conferenced 1:1 2000>1000 conference new=2:1 secondary=1:1 "
                                "added=1000 parties=3000:connected"});
  // The same conference on every LIM: conferencing device, added party, connection list.
  for (auto* n : {&a, &c}) {
    REQUIRE(n->events.size() == 1);
    CHECK(n->events[0].call == x);
    CHECK(n->events[0].secondary_call == y);
    CHECK(n->events[0].other == "1000");
    CHECK(n->events[0].moves == std::vector<sim::connection_move>{{"1000", y, x}});
  }
  CHECK(c.take() == shown{"2:1 conferenced 2000 conference | 3000:connected"});
  CHECK(a.take() == shown{"2:1 conferenced 2000 conference | 1000:connected"});
  // LIM 1's call took the conference's id.
  CHECK(a.ex.find_call(y) == nullptr);
  CHECK(a.ex.calls_of("1000") == std::vector<sim::call_id>{x});
  CHECK(snapshot(a) == snapshot_list{{x, "1000", connection_state::connected},
                                     {x, "2000", connection_state::connected},
                                     {x, "3000", connection_state::connected}});
  CHECK(snapshot(b) == snapshot_list{{x, "2000", connection_state::connected},
                                     {x, "3000", connection_state::connected},
                                     {x, "1000", connection_state::connected}});
  CHECK(snapshot(c) == snapshot_list{{x, "2000", connection_state::connected},
                                     {x, "3000", connection_state::connected},
                                     {x, "1000", connection_state::connected}});
  // The far LIMs reach the third LIM's party through the hub only.
  CHECK(a.party(x, "3000")->far->behind);
  CHECK(c.party(x, "1000")->far->behind);
  CHECK_FALSE(a.party(x, "2000")->far->behind);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lim_conference, "a far party leaves the conference: ConnectionCleared on every LIM, the call goes on with two") {
  conference();
  SUBCASE("the party on LIM 1") {
    REQUIRE(a.ex.clear_connection(x, "1000", a.events));
    // LIM 1 keeps nothing: the others stay on the call elsewhere.
    CHECK(a.take() == shown{"2:1 connection_cleared 1000 normalClearing | 1000:null"});
    CHECK(a.ex.call_count() == 0);
    pump();
    CHECK(take_signals() == shown{"released 2:1 1000>2000 normalClearing",
                                  "released 2:1 1000>3000 normalClearing relay=2000"});
    CHECK(b.take() == shown{"2:1 connection_cleared 1000 normalClearing | 2000:connected"});
    CHECK(c.take() == shown{"2:1 connection_cleared 1000 normalClearing | 3000:connected"});
    // A two-party call between LIM 2 and LIM 3 again.
    REQUIRE(c.ex.clear_connection(x, "3000", c.events));
    pump();
    CHECK(take_signals() == shown{"released 2:1 3000>2000 normalClearing"});
    CHECK(b.take() == shown{"2:1 connection_cleared 3000 normalClearing | 2000:connected",
                            "2:1 connection_cleared 2000 normalClearing | 2000:null"});
  }
  SUBCASE("the party on LIM 3") {
    REQUIRE(c.ex.clear_connection(x, "3000", c.events));
    CHECK(c.take() == shown{"2:1 connection_cleared 3000 normalClearing | 3000:null"});
    CHECK(c.ex.call_count() == 0);
    pump();
    CHECK(take_signals() == shown{"released 2:1 3000>2000 normalClearing",
                                  "released 2:1 3000>1000 normalClearing relay=2000"});
    CHECK(b.take() == shown{"2:1 connection_cleared 3000 normalClearing | 2000:connected"});
    CHECK(a.take() == shown{"2:1 connection_cleared 3000 normalClearing | 1000:connected"});
    REQUIRE(b.ex.clear_connection(x, "2000", b.events));
    pump();
    CHECK(take_signals() == shown{"released 2:1 2000>1000 normalClearing"});
    CHECK(a.take() == shown{"2:1 connection_cleared 2000 normalClearing | 1000:connected",
                            "2:1 connection_cleared 1000 normalClearing | 1000:null"});
  }
  CHECK(a.ex.call_count() == 0);
  CHECK(b.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lim_conference, "the conferencing party leaves: the hub points the far LIMs at each other and drops out") {
  conference();
  REQUIRE(b.ex.clear_connection(x, "2000", b.events));
  CHECK(b.take() == shown{"2:1 connection_cleared 2000 normalClearing | 2000:null"});
  CHECK(b.ex.call_count() == 0);
  pump();
  CHECK(take_signals() == shown{"released 2:1 2000>3000 normalClearing other=1000:connected",
                                "released 2:1 2000>1000 normalClearing other=3000:connected"});
  CHECK(c.take() == shown{"2:1 connection_cleared 2000 normalClearing | 3000:connected"});
  CHECK(a.take() == shown{"2:1 connection_cleared 2000 normalClearing | 1000:connected"});
  CHECK(snapshot(a) == snapshot_list{{x, "1000", connection_state::connected},
                                     {x, "3000", connection_state::connected}});
  CHECK(snapshot(c) == snapshot_list{{x, "3000", connection_state::connected},
                                     {x, "1000", connection_state::connected}});
  CHECK_FALSE(a.party(x, "3000")->far->behind);
  // From now on LIM 1 and LIM 3 signal each other directly.
  REQUIRE(a.ex.hold_call(x, "1000", a.events));
  pump();
  CHECK(take_signals() == shown{"held 2:1 1000>3000 normal"});
  CHECK(c.take() == shown{"2:1 held 1000 normal | 3000:connected"});
  REQUIRE(c.ex.clear_connection(x, "3000", c.events));
  pump();
  CHECK(take_signals() == shown{"released 2:1 3000>1000 normalClearing"});
  CHECK(a.take() == shown{"2:1 held 1000 normal | 1000:hold",
                          "2:1 connection_cleared 3000 normalClearing | 1000:hold",
                          "2:1 connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(b.events.empty());
  CHECK(a.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lim_conference, "hold and retrieve of a conference party reach every LIM") {
  conference();
  REQUIRE(a.ex.hold_call(x, "1000", a.events));
  CHECK(a.take() == shown{"2:1 held 1000 normal | 1000:hold"});
  pump();
  CHECK(take_signals() == shown{"held 2:1 1000>2000 normal", "held 2:1 1000>3000 normal relay=2000"});
  CHECK(b.take() == shown{"2:1 held 1000 normal | 2000:connected"});
  CHECK(c.take() == shown{"2:1 held 1000 normal | 3000:connected"});
  CHECK(c.party(x, "1000")->state == connection_state::hold);
  REQUIRE(a.ex.retrieve_call(x, "1000", a.events));
  pump();
  CHECK(take_signals() == shown{"retrieved 2:1 1000>2000 normal",
                                "retrieved 2:1 1000>3000 normal relay=2000"});
  CHECK(c.take() == shown{"2:1 retrieved 1000 normal | 3000:connected"});
  // The hub's own party: each far LIM hears it as before.
  forget_all();
  REQUIRE(b.ex.hold_call(x, "2000", b.events));
  pump();
  CHECK(take_signals() == shown{"held 2:1 2000>3000 normal", "held 2:1 2000>1000 normal"});
  CHECK(a.take() == shown{"2:1 held 2000 normal | 1000:connected"});
  CHECK(c.take() == shown{"2:1 held 2000 normal | 3000:connected"});
  // A client clears the whole call on the hub: the far LIMs end it with what they showed.
  REQUIRE(b.ex.clear_call(x, b.events));
  pump();
  CHECK(take_signals() == shown{"released 2:1 2000>3000 normalClearing",
                                "released 2:1 2000>1000 normalClearing"});
  CHECK(a.take() == shown{"2:1 connection_cleared 2000 normalClearing | 1000:connected",
                          "2:1 connection_cleared 3000 normalClearing | 1000:connected",
                          "2:1 connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(c.take() == shown{"2:1 connection_cleared 2000 normalClearing | 3000:connected",
                          "2:1 connection_cleared 1000 normalClearing | 3000:connected",
                          "2:1 connection_cleared 3000 normalClearing | 3000:null"});
  CHECK(a.ex.call_count() == 0);
  CHECK(c.ex.call_count() == 0);
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lim_conference, "a fourth party joins the conference on the hub: every far LIM shows it") {
  conference();
  auto consult = b.ex.consultation_call(x, "2000", "2001", b.events).call;
  REQUIRE(b.ex.answer_call(consult, "2001", b.events));
  pump();
  CHECK(take_signals() == shown{"held 2:1 2000>3000 consultation", "held 2:1 2000>1000 consultation"});
  forget_all();
  // Transfers out of a conference across LIMs are not supported.
  CHECK(b.ex.transfer_call(x, consult, "2000", b.events).error ==
        errors::operation("requestIncompatibleWithObject"));
  REQUIRE(b.ex.conference_call(x, consult, "2000", b.events));
  CHECK(b.take() == shown{"2:1 conferenced 2000 conference | 2000:connected 2001:connected"});
  pump();
  CHECK(take_signals() ==
        shown{"conferenced 2:1 2000>3000 conference new=2:1 secondary=2:2 added=2001 "
              "parties=1000:connected,2001:connected",
              "conferenced 2:1 2000>1000 conference new=2:1 secondary=2:2 added=2001 "
              "parties=3000:connected,2001:connected"});
  CHECK(a.take() == shown{"2:1 conferenced 2000 conference | 1000:connected"});
  CHECK(c.take() == shown{"2:1 conferenced 2000 conference | 3000:connected"});
  CHECK(a.party(x, "2001") != nullptr);
  CHECK(c.party(x, "2001") != nullptr);
  // The new party leaves again: a party of the hub's own, shown on the far LIMs.
  REQUIRE(b.ex.clear_connection(x, "2001", b.events));
  pump();
  CHECK(take_signals() == shown{"released 2:1 2001>3000 normalClearing",
                                "released 2:1 2001>1000 normalClearing"});
  CHECK(a.take() == shown{"2:1 connection_cleared 2001 normalClearing | 1000:connected"});
  CHECK(c.take() == shown{"2:1 connection_cleared 2001 normalClearing | 3000:connected"});
  CHECK(refusals.empty());
}

TEST_CASE_FIXTURE(three_lim_conference, "a LIM that shows a far conference cannot join or transfer it") {
  conference();
  auto consult = a.ex.consultation_call(x, "1000", "1001", a.events).call;
  REQUIRE(a.ex.answer_call(consult, "1001", a.events));
  a.events.clear();
  CHECK(a.ex.conference_call(x, consult, "1000", a.events).error ==
        errors::operation("requestIncompatibleWithObject"));
  CHECK(a.ex.transfer_call(x, consult, "1000", a.events).error ==
        errors::operation("requestIncompatibleWithObject"));
  CHECK(a.ex.single_step_transfer(consult, "1000", "1002", a.events));  // not the conference
  CHECK(a.events.size() == 2);
  a.events.clear();
  REQUIRE(a.ex.retrieve_call(x, "1000", a.events));
  CHECK(a.ex.single_step_transfer(x, "1000", "1003", a.events).error ==
        errors::operation("requestIncompatibleWithObject"));
}

TEST_CASE_FIXTURE(three_lim_conference, "a lost LIM takes its conference parties with it") {
  conference();
  SUBCASE("LIM 1 loses the hub: the parties behind it go too") {
    a.ex.far_lim_lost([&](const std::string& n) { return owner(n) == &b; }, a.events);
    CHECK(a.take() == shown{"2:1 connection_cleared 2000 networkOutOfOrder | 1000:connected",
                            "2:1 connection_cleared 3000 networkOutOfOrder | 1000:connected",
                            "2:1 connection_cleared 1000 networkOutOfOrder | 1000:null"});
    pump();
    CHECK(take_signals().empty());
    CHECK(a.ex.call_count() == 0);
  }
  SUBCASE("the hub loses LIM 3: LIM 1 is told") {
    b.ex.far_lim_lost([&](const std::string& n) { return owner(n) == &c; }, b.events);
    CHECK(b.take() == shown{"2:1 connection_cleared 3000 networkOutOfOrder | 2000:connected"});
    pump();
    CHECK(take_signals() == shown{"released 2:1 3000>1000 networkOutOfOrder relay=2000"});
    CHECK(a.take() == shown{"2:1 connection_cleared 3000 networkOutOfOrder | 1000:connected"});
    CHECK(snapshot(a) == snapshot_list{{x, "1000", connection_state::connected},
                                       {x, "2000", connection_state::connected}});
  }
  CHECK(refusals.empty());
}
