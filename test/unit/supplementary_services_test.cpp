// Supplementary services of the exchange: exact event sequences and final states.

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using protocol::connection_state;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(exchange_fixture, "hold and retrieve") {
  auto id = connected("1000", "1001");
  REQUIRE(ex.hold_call(id, "1000", events));
  CHECK(take() == lines{"held 1000 normal | 1000:hold 1001:connected"});
  CHECK(ex.hold_call(id, "1000", events).error == errors::state("invalidConnectionState"));
  REQUIRE(ex.retrieve_call(id, "1000", events));
  CHECK(take() == lines{"retrieved 1000 normal | 1000:connected 1001:connected"});
  CHECK(ex.retrieve_call(id, "1000", events).error == errors::state("invalidConnectionState"));
  CHECK(ex.hold_call(id, "1002", events).error == errors::operation("invalidConnectionID"));
  CHECK(ex.hold_call(99, "1000", events).error == errors::operation("invalidCallID"));
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "consultation call holds the first call and calls the third party") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events);
  REQUIRE(consult);
  CHECK(consult.call != first);
  CHECK(consult.device == "1000");
  CHECK(take() == lines{"held 1000 consultation | 1000:hold 1001:connected",
                        "service_initiated 1000 consultation | 1000:initiated",
                        "originated 1000 consultation | 1000:connected",
                        "delivered 1002 consultation | 1000:connected 1002:alerting"});
  CHECK(ex.calls_of("1000").size() == 2);
}

TEST_CASE_FIXTURE(exchange_fixture, "transfer joins the held party and the consulted party") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  REQUIRE(ex.answer_call(consult, "1002", events));
  events.clear();
  auto done = ex.transfer_call(first, consult, "1000", events);
  REQUIRE(done);
  CHECK(done.call == consult);
  CHECK(done.device == "1002");
  REQUIRE(events.size() == 1);
  auto& e = events[0];
  CHECK(describe(e) == "transferred 1000 transfer | 1002:connected 1001:connected 1000:null");
  CHECK(e.call == first);
  CHECK(e.secondary_call == consult);
  CHECK(e.other == "1002");
  CHECK(e.moves == std::vector<sim::connection_move>{{"1001", first, consult}, {"1002", consult, consult}});
  CHECK(ex.find_call(first) == nullptr);
  CHECK(state_of(consult, "1001") == connection_state::connected);
  CHECK(state_of(consult, "1002") == connection_state::connected);
  CHECK(ex.calls_of("1000").empty());
  events.clear();
  // The transferred call is an ordinary two-party call now.
  REQUIRE(ex.clear_connection(consult, "1001", events));
  CHECK(take() == lines{"connection_cleared 1001 normalClearing | 1002:connected 1001:null",
                        "connection_cleared 1002 normalClearing | 1002:null"});
}

TEST_CASE_FIXTURE(exchange_fixture, "transfer while the consulted party still rings") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  events.clear();
  REQUIRE(ex.transfer_call(first, consult, "1000", events));
  CHECK(take() == lines{"transferred 1000 transfer | 1002:alerting 1001:connected 1000:null"});
  CHECK(state_of(consult, "1002") == connection_state::alerting);
}

TEST_CASE_FIXTURE(exchange_fixture, "transfer refusals") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  events.clear();
  CHECK(ex.transfer_call(consult, first, "1000", events).error ==
        errors::state("invalidHeldConnectionState"));
  CHECK(ex.transfer_call(first, first, "1000", events).error == errors::operation("invalidActiveCallID"));
  CHECK(ex.transfer_call(first, 77, "1000", events).error == errors::operation("invalidCallID"));
  CHECK(ex.transfer_call(first, consult, "1001", events).error == errors::operation("invalidConnectionID"));
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "conference of three, then a party leaves and two stay") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  REQUIRE(ex.answer_call(consult, "1002", events));
  events.clear();
  auto done = ex.conference_call(first, consult, "1000", events);
  REQUIRE(done);
  CHECK(done.call == first);
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) ==
        "conferenced 1000 conference | 1000:connected 1001:connected 1002:connected");
  CHECK(events[0].secondary_call == consult);
  CHECK(events[0].other == "1002");
  CHECK(events[0].moves == std::vector<sim::connection_move>{{"1002", consult, first}});
  CHECK(ex.find_call(consult) == nullptr);
  events.clear();
  REQUIRE(ex.clear_connection(first, "1001", events));
  CHECK(take() == lines{"connection_cleared 1001 normalClearing | 1000:connected 1001:null 1002:connected"});
  CHECK(ex.find_call(first)->parties.size() == 2);
  REQUIRE(ex.clear_connection(first, "1002", events));
  CHECK(take() == lines{"connection_cleared 1002 normalClearing | 1000:connected 1002:null",
                        "connection_cleared 1000 normalClearing | 1000:null"});
  CHECK(ex.call_count() == 0);
}

TEST_CASE_FIXTURE(exchange_fixture, "alternate swaps the held and the active call") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  REQUIRE(ex.answer_call(consult, "1002", events));
  events.clear();
  REQUIRE(ex.alternate_call(first, consult, "1000", events));
  CHECK(take() == lines{"held 1000 alternate | 1000:hold 1002:connected",
                        "retrieved 1000 alternate | 1000:connected 1001:connected"});
  CHECK(state_of(first, "1000") == connection_state::connected);
  CHECK(state_of(consult, "1000") == connection_state::hold);
}

TEST_CASE_FIXTURE(exchange_fixture, "reconnect clears the consultation and retrieves the held call") {
  auto first = connected("1000", "1001");
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  REQUIRE(ex.answer_call(consult, "1002", events));
  events.clear();
  REQUIRE(ex.reconnect_call(first, consult, "1000", events));
  CHECK(take() == lines{"connection_cleared 1000 normalClearing | 1000:null 1002:connected",
                        "connection_cleared 1002 normalClearing | 1002:null",
                        "retrieved 1000 normal | 1000:connected 1001:connected"});
  CHECK(ex.find_call(consult) == nullptr);
}

TEST_CASE_FIXTURE(exchange_fixture, "deflect sends an alerting call on") {
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  REQUIRE(ex.deflect_call(made.call, "1001", "1002", events));
  CHECK(take() == lines{"diverted 1001 redirected | 1000:connected 1001:null",
                        "delivered 1002 redirected | 1000:connected 1002:alerting"});
  CHECK(ex.find_call(made.call)->last_redirection == "1001");
  CHECK(ex.deflect_call(made.call, "1000", "1003", events).error ==
        errors::state("invalidConnectionState"));
  CHECK(ex.deflect_call(made.call, "1002", "77", events).error == errors::operation("invalidDestination"));
}

TEST_CASE_FIXTURE(exchange_fixture, "single-step transfer puts the new party in the leaver's place") {
  auto id = connected("1000", "1001");
  auto done = ex.single_step_transfer(id, "1001", "1002", events);
  REQUIRE(done);
  CHECK(done.call == id);
  CHECK(done.device == "1002");
  REQUIRE(events.size() == 2);
  CHECK(describe(events[0]) == "transferred 1001 singleStepTransfer | 1000:connected 1001:null");
  CHECK(events[0].other == "1002");
  CHECK(describe(events[1]) == "delivered 1002 singleStepTransfer | 1000:connected 1002:alerting");
  CHECK(events[1].last_redirection == "1001");
  CHECK(ex.calls_of("1001").empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "call pickup takes over a call ringing elsewhere") {
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  REQUIRE(ex.pickup_call(made.call, "1002", events));
  CHECK(take() == lines{"diverted 1001 callPickup | 1000:connected 1001:null",
                        "established 1002 callPickup | 1000:connected 1002:connected"});
  CHECK(ex.pickup_call(made.call, "1003", events).error == errors::state("noCallToAnswer"));
}

TEST_CASE_FIXTURE(exchange_fixture, "DTMF digits on a connected call") {
  auto id = connected("1000", "1001");
  REQUIRE(ex.generate_digits(id, "1000", "12#*", events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "digits_generated 1000 normal | 1000:connected 1001:connected");
  CHECK(events[0].text == "12#*");
  events.clear();
  CHECK(ex.generate_digits(id, "1000", "12x", events).error == errors::operation("invalidParameterValue"));
  CHECK(ex.generate_digits(id, "1000", "", events).error == errors::operation("invalidParameterValue"));
  ex.hold_call(id, "1000", events);
  CHECK(ex.generate_digits(id, "1000", "1", events).error == errors::state("invalidConnectionState"));
}

TEST_CASE_FIXTURE(exchange_fixture, "kinds: analog and CAS cannot be answered remotely, virtual cannot call") {
  auto to_analog = ex.make_call("1000", "2000", events);
  CHECK(ex.answer_call(to_analog.call, "2000", events).error ==
        errors::operation("requestIncompatibleWithDevice"));
  auto to_cas = ex.make_call("1001", "2001", events);
  CHECK(ex.answer_call(to_cas.call, "2001", events).error ==
        errors::operation("requestIncompatibleWithDevice"));
  auto to_dect = ex.make_call("1002", "2003", events);
  CHECK(ex.answer_call(to_dect.call, "2003", events));
  CHECK(ex.make_call("2002", "1003", events).error ==
        errors::operation("requestIncompatibleWithCallingDevice"));
  events.clear();
  auto to_virtual = ex.make_call("1004", "2002", events);
  CHECK(take().back() == "failed 2002 destNotObtainable | 1004:fail");
  CHECK(state_of(to_virtual.call, "1004") == connection_state::fail);
}

TEST_CASE_FIXTURE(exchange_fixture, "snapshots of a device and of a call") {
  auto first = connected("1000", "1001");
  auto second = ex.consultation_call(first, "1000", "1002", events).call;
  auto dev = ex.snapshot_device("1000");
  REQUIRE(dev);
  CHECK(dev.connections == std::vector<sim::connection_snapshot>{
                               {first, "1000", connection_state::hold},
                               {second, "1000", connection_state::connected}});
  auto call = ex.snapshot_call(second);
  CHECK(call.connections == std::vector<sim::connection_snapshot>{
                                {second, "1000", connection_state::connected},
                                {second, "1002", connection_state::alerting}});
  CHECK(ex.snapshot_device("1009").connections.empty());
  CHECK(ex.snapshot_device("77").error == errors::operation("invalidDeviceID"));
  CHECK(ex.snapshot_call(77).error == errors::operation("invalidCallID"));
}

TEST_CASE_FIXTURE(exchange_fixture, "single-step conference: the device joins the call at once, one ConferencedEvent for all") {
  auto id = connected("1000", "1001");
  auto done = ex.single_step_conference(id, "1001", "1002", false, events);
  REQUIRE(done);
  CHECK(done.call == id);
  CHECK(done.device == "1002");
  REQUIRE(events.size() == 1);
  auto& e = events[0];
  CHECK(describe(e) == "conferenced 1002 singleStepConference | 1000:connected 1001:connected 1002:connected");
  CHECK(e.call == id);
  CHECK(e.secondary_call == 0);
  CHECK(e.other == "1002");
  CHECK(e.moves == std::vector<sim::connection_move>{{"1002", 0, id}});
  events.clear();
  CHECK(state_of(id, "1002") == connection_state::connected);
  CHECK(ex.calls_of("1002") == std::vector<sim::call_id>{id});
  // An active participant keeps the call going with one other party.
  REQUIRE(ex.clear_connection(id, "1000", events));
  CHECK(take() == lines{"connection_cleared 1000 normalClearing | 1000:null 1001:connected 1002:connected"});
  CHECK(state_of(id, "1001") == connection_state::connected);
}

TEST_CASE_FIXTURE(exchange_fixture, "a silent participant listens: it keeps no call going once the talkers are gone") {
  auto id = connected("1000", "1001");
  REQUIRE(ex.single_step_conference(id, "1000", "1003", true, events));
  events.clear();
  REQUIRE(ex.clear_connection(id, "1001", events));
  CHECK(take() == lines{"connection_cleared 1001 normalClearing | 1000:connected 1001:null 1003:connected",
                        "connection_cleared 1000 normalClearing | 1000:null 1003:connected",
                        "connection_cleared 1003 normalClearing | 1003:null"});
  CHECK(ex.find_call(id) == nullptr);
  CHECK(ex.calls_of("1003").empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "single-step conference refusals") {
  auto id = connected("1000", "1001");
  CHECK(ex.single_step_conference(99, "1000", "1002", false, events).error == errors::operation("invalidCallID"));
  CHECK(ex.single_step_conference(id, "1005", "1002", false, events).error ==
        errors::operation("invalidConnectionID"));
  CHECK(ex.single_step_conference(id, "1000", "1001", false, events).error == errors::state("invalidDeviceState"));
  CHECK(ex.single_step_conference(id, "1000", "9999", false, events).error == errors::operation("invalidDeviceID"));
  CHECK(ex.single_step_conference(id, "1000", "2002", false, events).error ==
        errors::operation("requestIncompatibleWithDevice"));  // virtual: no terminal to join with
  auto other = connected("1004", "1005");
  CHECK(ex.single_step_conference(id, "1000", "1004", false, events).error == errors::state("invalidDeviceState"));
  REQUIRE(ex.hold_call(other, "1004", events));
  events.clear();
  CHECK(ex.single_step_conference(other, "1004", "1002", false, events).error ==
        errors::state("invalidActiveConnectionState"));
  CHECK(events.empty());
}
