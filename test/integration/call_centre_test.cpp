// The demo call centre over a real socket: a client monitoring ACD group 6000 and an agent's
// extension sees a call from an outside number queue, be distributed, answered and cleared,
// and the agent events; SetAgentState/GetAgentState work.

#include <doctest/doctest.h>

#include <set>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

std::string set_agent(const std::string& device, const std::string& state, const std::string& extra = "") {
  return root("SetAgentState", ed3,
              "<device>" + device + "</device><requestedAgentState>" + state + "</requestedAgentState>" + extra);
}

void check_agent_event(const received& e, const std::string& name, const std::string& ref,
                       const std::string& device, const std::string& agent) {
  CHECK(e.invoke_id == 9999);
  CHECK(e.xml.name == name);
  CHECK(e.at("monitorCrossRefID") == ref);
  CHECK(e.at("agentDevice/deviceIdentifier") == device);
  CHECK(e.at("agentID") == agent);
  CHECK(e.at("acdGroup") == "6000");
}

}  // namespace

TEST_CASE("a call from outside through ACD group 6000 to an agent, seen by group and agent") {
  test_server server;
  csta_client client(server.port());
  auto group = start_monitor(client, 1, "6000");
  auto agent = start_monitor(client, 2, "1010");

  auto state = client.request(3, root("GetAgentState", ed3, "<device>1010</device>"));
  REQUIRE(state.xml.name == "GetAgentStateResponse");
  CHECK(state.at("agentStateList/agentStateEntry/agentID") == "4010");
  CHECK(state.at("agentStateList/agentStateEntry/loggedOnState") == "true");
  CHECK(state.at("agentStateList/agentStateEntry/agentInfo/agentInfoItem/acdGroup") == "6000");
  CHECK(state.at("agentStateList/agentStateEntry/agentInfo/agentInfoItem/agentState") == "agentReady");

  auto call = server.incoming_call("0701234567", "6000");
  REQUIRE_FALSE(call.empty());
  auto at_group = client.events_for(group, 4);
  REQUIRE(at_group.size() == 4);
  check_event(at_group[0], "QueuedEvent", group, "queued", "enteringDistribution");
  CHECK(at_group[0].at("queuedConnection/callID") == call);
  CHECK(at_group[0].at("queuedConnection/deviceID") == "6000");
  CHECK(at_group[0].at("queue/deviceIdentifier") == "6000");
  CHECK(at_group[0].at("callingDevice/deviceIdentifier") == "0701234567");
  CHECK(at_group[0].at("numberQueued") == "1");
  CHECK(at_group[0].at("callsInFront") == "0");
  check_event(at_group[1], "DivertedEvent", group, "null", "distributed");
  CHECK(at_group[1].at("newDestination/deviceIdentifier") == "1010");
  check_event(at_group[2], "DeliveredEvent", group, "null", "distributed");
  CHECK(at_group[2].at("alertingDevice/deviceIdentifier") == "1010");
  check_agent_event(at_group[3], "AgentBusyEvent", group, "1010", "4010");

  auto at_agent = client.events_for(agent, 2);
  REQUIRE(at_agent.size() == 2);
  check_event(at_agent[0], "DeliveredEvent", agent, "alerting", "distributed");
  CHECK(at_agent[0].at("connection/callID") == call);
  CHECK(at_agent[0].at("callingDevice/deviceIdentifier") == "0701234567");
  CHECK(at_agent[0].at("calledDevice/deviceIdentifier") == "6000");
  CHECK(at_agent[0].at("lastRedirectionDevice/numberDialed") == "6000");
  check_agent_event(at_agent[1], "AgentBusyEvent", agent, "1010", "4010");

  CHECK(client.request(4, root("AnswerCall", ed3, connection("callToBeAnswered", call, "1010"))).xml.name ==
        "AnswerCallResponse");
  check_event(client.events_for(agent, 1).at(0), "EstablishedEvent", agent, "connected", "distributed");
  check_event(client.events_for(group, 1).at(0), "EstablishedEvent", group, "null", "distributed");

  CHECK(client.request(5, root("ClearConnection", ed3, connection("connectionToBeCleared", call, "1010"))).xml.name ==
        "ClearConnectionResponse");
  at_agent = client.events_for(agent, 2);
  REQUIRE(at_agent.size() == 2);
  check_event(at_agent[0], "ConnectionClearedEvent", agent, "null", "normalClearing");
  check_agent_event(at_agent[1], "AgentWorkingAfterCallEvent", agent, "1010", "4010");
  CHECK(at_agent[1].at("pendingAgentState") == "ready");
  at_group = client.events_for(group, 3);
  REQUIRE(at_group.size() == 3);
  check_event(at_group[0], "ConnectionClearedEvent", group, "null", "normalClearing");
  check_agent_event(at_group[1], "AgentWorkingAfterCallEvent", group, "1010", "4010");
  check_event(at_group[2], "ConnectionClearedEvent", group, "null", "normalClearing");
  CHECK(at_group[2].at("droppedConnection/deviceID") == "0701234567");

  // The agent ends after-call work by hand.
  auto set = client.request(6, set_agent("1010", "notReady"));
  CHECK(set.xml.name == "SetAgentStateResponse");
  check_agent_event(client.events_for(agent, 1).at(0), "AgentNotReadyEvent", agent, "1010", "4010");
  check_agent_event(client.events_for(group, 1).at(0), "AgentNotReadyEvent", group, "1010", "4010");
  CHECK(client.request(7, root("GetAgentState", ed3, "<device>1010</device>"))
            .at("agentStateList/agentStateEntry/agentInfo/agentInfoItem/agentState") == "agentNotReady");
}

TEST_CASE("no agent ready: the call waits in the queue until an agent logs on and is ready") {
  test_server server;
  csta_client client(server.port());
  auto group = start_monitor(client, 1, "6000");
  int invoke = 10;
  for (int n = 1010; n <= 1019; ++n)
    CHECK(client.request(++invoke, set_agent(std::to_string(n), "loggedOff")).xml.name == "SetAgentStateResponse");
  client.events_for(group, 10);
  auto call = server.incoming_call("0812345", "6000");
  check_event(client.events_for(group, 1).at(0), "QueuedEvent", group, "queued", "enteringDistribution");

  auto refused = client.request(++invoke, set_agent("1025", "ready"));
  CHECK(refused.at("operation") == "invalidAgentState");
  CHECK(client.request(++invoke, set_agent("1025", "loggedOn", "<agentID>77</agentID><password>31323334</password><group>6000</group>"))
            .xml.name == "SetAgentStateResponse");
  check_agent_event(client.events_for(group, 1).at(0), "AgentLoggedOnEvent", group, "1025", "77");
  CHECK(client.request(++invoke, set_agent("1025", "ready")).xml.name == "SetAgentStateResponse");
  auto seen = client.events_for(group, 4);
  REQUIRE(seen.size() == 4);
  check_agent_event(seen[0], "AgentReadyEvent", group, "1025", "77");
  check_event(seen[1], "DivertedEvent", group, "null", "distributed");
  check_event(seen[2], "DeliveredEvent", group, "null", "distributed");
  CHECK(seen[2].at("connection/callID") == call);
  CHECK(seen[2].at("alertingDevice/deviceIdentifier") == "1025");
  CHECK(client.request(++invoke, set_agent("1025", "dancing")).at("operation") == "agentStateOutOfRange");
}

TEST_CASE("traffic with simulated agents: events flow on the group's monitor, counters grow") {
  using cstad::sim::time_distribution;
  cstad::sim::simulation_config world;
  cstad::sim::behaviour_profile quick;
  quick.ring = time_distribution::fixed(0.05);
  quick.talk = time_distribution::fixed(0.1);
  for (int n = 1010; n <= 1019; ++n)
    world.people[std::to_string(n)] = quick;
  cstad::sim::traffic_config t;
  t.target = "6000";
  t.calls_per_hour = 36000;  // ten a second
  t.seed = 7;
  world.traffic = {t};
  test_server server({}, {}, world);
  csta_client client(server.port());
  auto group = start_monitor(client, 1, "6000");
  // A call's life on the group's monitor: Queued, Diverted, Delivered, AgentBusy, Established,
  // cleared; collect a good number of events and look for each kind.
  auto events = client.events_for(group, 60);
  REQUIRE(events.size() == 60);
  std::set<std::string> kinds;
  for (auto& e : events)
    kinds.insert(e.xml.name);
  for (auto kind : {"QueuedEvent", "DivertedEvent", "DeliveredEvent", "EstablishedEvent",
                    "ConnectionClearedEvent", "AgentBusyEvent"})
    CHECK(kinds.count(kind) == 1);
  auto counters = server.traffic();
  CHECK(counters.offered > 0);
  CHECK(counters.answered > 0);
}
