// ACD groups: agents, queueing, longest-idle distribution, after-call work, overflow, abandon.

#include <doctest/doctest.h>

#include "call_centre_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using sim::agent_request;
using sim::agent_state;
using protocol::connection_state;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(call_centre_fixture, "log on, ready, not ready, log off: events on agent and group") {
  REQUIRE(ex.set_agent_state("1001", agent_request::logged_on, "4711", "6000", events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "agent_logged_on 1001 normal | 1001:null 6000:null");
  CHECK(events[0].agent_id == "4711");
  CHECK(events[0].group == "6000");
  events.clear();
  CHECK(state_of("1001") == agent_state::not_ready);
  REQUIRE(ex.set_agent_state("1001", agent_request::ready, "", "", events));
  CHECK(take() == lines{"agent_ready 1001 normal | 1001:null 6000:null"});
  REQUIRE(ex.set_agent_state("1001", agent_request::not_ready, "", "", events));
  CHECK(take() == lines{"agent_not_ready 1001 normal | 1001:null 6000:null"});
  CHECK(ex.get_agent_state("1001").agents ==
        std::vector<sim::agent_snapshot>{{"4711", "6000", agent_state::not_ready}});
  REQUIRE(ex.set_agent_state("1001", agent_request::logged_off, "", "", events));
  CHECK(take() == lines{"agent_logged_off 1001 normal | 1001:null 6000:null"});
  CHECK(state_of("1001") == agent_state::logged_off);
  CHECK(ex.get_agent_state("1001").agents.empty());
}

TEST_CASE_FIXTURE(call_centre_fixture, "agent state refusals") {
  CHECK(ex.set_agent_state("1001", agent_request::ready, "", "", events).error ==
        errors::operation("invalidAgentState"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_off, "", "", events).error ==
        errors::operation("invalidAgentState"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "", "6000", events).error ==
        errors::operation("invalidAgentIdentifier"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "4711", "7000", events).error ==
        errors::operation("invalidAgentGroup"));
  CHECK(ex.set_agent_state("6000", agent_request::logged_on, "4711", "6000", events).error ==
        errors::operation("invalidDeviceID"));
  REQUIRE(ex.set_agent_state("1001", agent_request::logged_on, "4711", "6000", events));
  CHECK(ex.set_agent_state("1002", agent_request::logged_on, "4711", "6000", events).error ==
        errors::operation("invalidAgentIdentifier"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "4712", "6000", events).error ==
        errors::operation("invalidAgentIdentifier"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_off, "", "6001", events).error ==
        errors::operation("invalidAgentGroup"));
}

TEST_CASE_FIXTURE(call_centre_fixture, "a call with a ready agent is queued and distributed at once") {
  ready_agent("1001", "a1");
  auto in = ex.incoming_call("0701234567", "6000", events);
  REQUIRE(in);
  CHECK(take() == lines{"queued 6000 enteringDistribution | 6000:queued",
                        "diverted 6000 distributed | 6000:null",
                        "delivered 1001 distributed | 1001:alerting 6000:null",
                        "agent_busy 1001 normal | 1001:null 6000:null"});
  CHECK(ex.queue_length("6000") == 0);
  REQUIRE(ex.answer_call(in.call, "1001", events));
  CHECK(take() == lines{"established 1001 distributed | 1001:connected 6000:null"});
  CHECK(ex.find_call(in.call)->called == "6000");
  CHECK(ex.find_call(in.call)->last_redirection == "6000");
}

TEST_CASE_FIXTURE(call_centre_fixture, "queued calls go, first come first served, to agents as they become ready") {
  ready_agent("1001", "a1");
  clock.advance(5s);
  ready_agent("1002", "a2");
  clock.advance(5s);
  ready_agent("1003", "a3");
  ex.set_agent_state("1001", agent_request::not_ready, "", "", events);
  ex.set_agent_state("1002", agent_request::not_ready, "", "", events);
  ex.set_agent_state("1003", agent_request::not_ready, "", "", events);
  events.clear();
  auto c1 = ex.incoming_call("0701", "6000", events).call;
  auto c2 = ex.incoming_call("0702", "6000", events).call;
  REQUIRE(events.size() == 2);
  CHECK(describe(events[1]) == "queued 6000 enteringDistribution | 6000:queued");
  CHECK(events[1].number_queued == 2);
  CHECK(events[1].calls_in_front == 1);
  events.clear();
  CHECK(ex.queue_length("6000") == 2);
  // 1003 becomes ready first and takes the first call in the queue, 1002 the second.
  clock.advance(1s);
  ex.set_agent_state("1003", agent_request::ready, "", "", events);
  clock.advance(1s);
  ex.set_agent_state("1002", agent_request::ready, "", "", events);
  CHECK(ex.find_call(c1)->find("1003") != nullptr);
  CHECK(ex.find_call(c2)->find("1002") != nullptr);
  CHECK(ex.queue_length("6000") == 0);
  events.clear();
  // An agent in after-call work takes no call: the next one goes to the ready agent.
  ex.answer_call(c1, "1003", events);
  ex.clear_connection(c1, "1003", events);  // 1003 into after-call work
  ex.set_agent_state("1001", agent_request::ready, "", "", events);
  clock.advance(1s);
  events.clear();
  auto c3 = ex.incoming_call("0703", "6000", events).call;
  CHECK(ex.find_call(c3)->find("1001") != nullptr);
  CHECK(state_of("1003") == agent_state::working_after_call);
}

// Longest idle wins: of two ready agents, the call goes to the one that became ready first,
// whichever extension that is (so neither "most recently idle" nor "lowest extension" passes).
TEST_CASE_FIXTURE(call_centre_fixture, "longest idle wins: 1001 ready before 1002 takes the call") {
  ready_agent("1001", "a1");
  clock.advance(5s);
  ready_agent("1002", "a2");
  clock.advance(5s);
  auto in = ex.incoming_call("0701", "6000", events).call;
  CHECK(take() == lines{"queued 6000 enteringDistribution | 6000:queued",
                        "diverted 6000 distributed | 6000:null",
                        "delivered 1001 distributed | 1001:alerting 6000:null",
                        "agent_busy 1001 normal | 1001:null 6000:null"});
  CHECK(ex.find_call(in)->find("1001") != nullptr);
  CHECK(ex.find_call(in)->find("1002") == nullptr);
  CHECK(state_of("1001") == agent_state::busy);
  CHECK(state_of("1002") == agent_state::ready);
}

TEST_CASE_FIXTURE(call_centre_fixture, "longest idle wins: 1002 ready before 1001 takes the call") {
  ready_agent("1002", "a2");
  clock.advance(5s);
  ready_agent("1001", "a1");
  clock.advance(5s);
  auto in = ex.incoming_call("0701", "6000", events).call;
  CHECK(take() == lines{"queued 6000 enteringDistribution | 6000:queued",
                        "diverted 6000 distributed | 6000:null",
                        "delivered 1002 distributed | 1002:alerting 6000:null",
                        "agent_busy 1002 normal | 1002:null 6000:null"});
  CHECK(ex.find_call(in)->find("1002") != nullptr);
  CHECK(ex.find_call(in)->find("1001") == nullptr);
  CHECK(state_of("1002") == agent_state::busy);
  CHECK(state_of("1001") == agent_state::ready);
}

TEST_CASE_FIXTURE(call_centre_fixture, "after-call work ends on its timer, in ready or not ready") {
  ready_agent("1001", "a1");
  auto in = ex.incoming_call("0701", "6000", events).call;
  ex.answer_call(in, "1001", events);
  events.clear();
  ex.clear_connection(in, "1001", events);
  CHECK(take() == lines{"connection_cleared 1001 normalClearing | 1001:null 6000:null",
                        "agent_working_after_call 1001 normal | 1001:null 6000:null",
                        "connection_cleared 0701 normalClearing | 6000:null"});
  CHECK(state_of("1001") == agent_state::working_after_call);
  clock.advance(9s);
  ex.tick(events);
  CHECK(events.empty());
  clock.advance(1s);
  ex.tick(events);
  CHECK(take() == lines{"agent_ready 1001 normal | 1001:null 6000:null"});
  // Group 6001: no after-call work, and agents go not ready after each call.
  ready_agent("1002", "a2", "6001");
  auto other = ex.incoming_call("0702", "6001", events).call;
  ex.answer_call(other, "1002", events);
  ex.clear_connection(other, "1002", events);
  CHECK(state_of("1002") == agent_state::not_ready);
}

TEST_CASE_FIXTURE(call_centre_fixture, "a ready request during a call takes effect after it") {
  ready_agent("1001", "a1");
  auto in = ex.incoming_call("0701", "6000", events).call;
  ex.answer_call(in, "1001", events);
  auto pending = ex.set_agent_state("1001", agent_request::not_ready, "", "", events);
  CHECK(pending.pending == "agentNotReady");
  CHECK(state_of("1001") == agent_state::busy);
  events.clear();
  ex.clear_connection(in, "1001", events);
  REQUIRE(events.size() == 3);
  CHECK(describe(events[1]) == "agent_working_after_call 1001 normal | 1001:null 6000:null");
  CHECK(events[1].pending == "notReady");
  events.clear();
  clock.advance(10s);
  ex.tick(events);
  CHECK(state_of("1001") == agent_state::not_ready);
}

TEST_CASE_FIXTURE(call_centre_fixture, "a caller who hangs up while queued leaves the queue") {
  auto in = ex.incoming_call("0701", "6000", events).call;
  events.clear();
  CHECK(ex.queue_length("6000") == 1);
  // The outside caller gives up: the trunk clears (the exchange side of a network release).
  REQUIRE(ex.clear_call(in, events));
  CHECK(take() == lines{"connection_cleared 6000 normalClearing | 6000:null"});
  CHECK(ex.queue_length("6000") == 0);
  ready_agent("1001", "a1");
  CHECK(ex.calls_of("1001").empty());
}

TEST_CASE_FIXTURE(call_centre_fixture, "an internal caller abandons a queued call by clearing it") {
  auto in = ex.make_call("1000", "6000", events).call;
  events.clear();
  REQUIRE(ex.clear_connection(in, "1000", events));
  CHECK(take() == lines{"connection_cleared 1000 normalClearing | 1000:null 6000:queued",
                        "connection_cleared 6000 normalClearing | 6000:null"});
  CHECK(ex.queue_length("6000") == 0);
}

TEST_CASE_FIXTURE(call_centre_fixture, "a full queue overflows to its overflow destination") {
  ex.incoming_call("0701", "6000", events);
  ex.incoming_call("0702", "6000", events);
  events.clear();
  auto third = ex.incoming_call("0703", "6000", events).call;
  auto seen = take();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == "diverted 6000 overflow | 6000:null");
  CHECK(seen[1] == "delivered 1005 distributed | 1005:alerting 7002:null");
  CHECK(ex.queue_length("6000") == 2);
  CHECK(ex.find_call(third)->group == "7002");
}

TEST_CASE_FIXTURE(call_centre_fixture, "an agent who does not answer is made not ready, and the call goes back to the queue") {
  ready_agent("1001", "a1");
  clock.advance(1s);
  ready_agent("1002", "a2");
  auto in = ex.incoming_call("0701", "6000", events).call;
  CHECK(ex.find_call(in)->find("1001") != nullptr);
  events.clear();
  clock.advance(15s);
  ex.tick(events);
  auto seen = take();
  REQUIRE(seen.size() == 6);
  CHECK(seen[0] == "agent_not_ready 1001 normal | 1001:null 6000:null");
  CHECK(seen[1] == "connection_cleared 1001 callNotAnswered | 1001:null 6000:null");
  CHECK(seen[2] == "queued 6000 callNotAnswered | 6000:queued");
  CHECK(seen[4] == "delivered 1002 distributed | 1002:alerting 6000:null");
  CHECK(state_of("1001") == agent_state::not_ready);
  CHECK(state_of("1002") == agent_state::busy);
}

TEST_CASE_FIXTURE(call_centre_fixture, "a ready agent who joins a second group takes that group's calls too") {
  ready_agent("1001", "a1");
  REQUIRE(ex.set_agent_state("1001", agent_request::logged_on, "a1", "6001", events));
  events.clear();
  auto in = ex.incoming_call("0701", "6001", events).call;
  CHECK(ex.find_call(in)->find("1001") != nullptr);
  CHECK(ex.get_agent_state("1001").agents ==
        std::vector<sim::agent_snapshot>{{"a1", "6000", agent_state::busy}, {"a1", "6001", agent_state::busy}});
}

TEST_CASE_FIXTURE(call_centre_fixture, "an agent account with a password needs it at log-on (hexBinary or plain)") {
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "secure", "6000", events).error ==
        errors::operation("invalidAgentPassword"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "secure", "6000", events, "9999").error ==
        errors::operation("invalidAgentPassword"));
  CHECK(events.empty());
  CHECK(ex.set_agent_state("1001", agent_request::logged_on, "secure", "6000", events, "31323334"));
  CHECK(ex.set_agent_state("1001", agent_request::logged_off, "", "", events));
  CHECK(ex.set_agent_state("1002", agent_request::logged_on, "secure", "6000", events, "1234"));
  // Agent ids without an account need no password.
  CHECK(ex.set_agent_state("1003", agent_request::logged_on, "anyone", "6000", events));
}
