// The walking-skeleton flow over a real socket: monitor two extensions, make a call, answer,
// clear, and check every event each monitor receives, field by field.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;


TEST_CASE("monitor, make call, answer, clear: exact events on both monitors") {
  test_server server;
  csta_client client(server.port());
  auto ref_a = start_monitor(client, 1, "1000");
  auto ref_b = start_monitor(client, 2, "1001");
  CHECK(ref_a != ref_b);

  auto made = client.request(3, root("MakeCall", ed3,
                                     "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001"
                                     "</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate>"));
  REQUIRE(made.xml.name == "MakeCallResponse");
  auto call = made.at("callingDevice/callID");
  REQUIRE_FALSE(call.empty());
  CHECK(made.at("callingDevice/deviceID") == "1000");

  auto a = client.events_for(ref_a, 3);
  REQUIRE(a.size() == 3);
  check_event(a[0], "ServiceInitiatedEvent", ref_a, "initiated", "makeCall");
  CHECK(a[0].at("initiatedConnection/callID") == call);
  CHECK(a[0].at("initiatedConnection/deviceID") == "1000");
  CHECK(a[0].at("initiatingDevice/deviceIdentifier") == "1000");
  check_event(a[1], "OriginatedEvent", ref_a, "connected", "newCall");
  CHECK(a[1].at("originatedConnection/callID") == call);
  CHECK(a[1].at("originatedConnection/deviceID") == "1000");
  CHECK(a[1].at("callingDevice/deviceIdentifier") == "1000");
  CHECK(a[1].at("calledDevice/deviceIdentifier") == "1001");
  check_event(a[2], "DeliveredEvent", ref_a, "connected", "newCall");
  CHECK(a[2].at("connection/callID") == call);
  CHECK(a[2].at("connection/deviceID") == "1001");
  CHECK(a[2].at("alertingDevice/deviceIdentifier") == "1001");
  CHECK(a[2].at("callingDevice/deviceIdentifier") == "1000");
  CHECK(a[2].at("calledDevice/deviceIdentifier") == "1001");
  CHECK(a[2].xml.child("lastRedirectionDevice")->child("notRequired") != nullptr);

  auto b = client.events_for(ref_b, 1);
  REQUIRE(b.size() == 1);
  check_event(b[0], "DeliveredEvent", ref_b, "alerting", "newCall");
  CHECK(b[0].at("connection/callID") == call);
  CHECK(b[0].at("connection/deviceID") == "1001");
  CHECK(b[0].at("alertingDevice/deviceIdentifier") == "1001");
  CHECK(b[0].at("callingDevice/deviceIdentifier") == "1000");

  // Answer at 1001 with the connection id the events gave.
  auto answered = client.request(4, root("AnswerCall", ed3,
                                         connection("callToBeAnswered", call, "1001")));
  CHECK(answered.xml.name == "AnswerCallResponse");
  CHECK(answered.xml.children.empty());
  for (auto& [ref, events] : {std::pair{ref_a, client.events_for(ref_a, 1)},
                              std::pair{ref_b, client.events_for(ref_b, 1)}}) {
    REQUIRE(events.size() == 1);
    check_event(events[0], "EstablishedEvent", ref, "connected", "newCall");
    CHECK(events[0].at("establishedConnection/callID") == call);
    CHECK(events[0].at("establishedConnection/deviceID") == "1001");
    CHECK(events[0].at("answeringDevice/deviceIdentifier") == "1001");
    CHECK(events[0].at("callingDevice/deviceIdentifier") == "1000");
    CHECK(events[0].at("calledDevice/deviceIdentifier") == "1001");
  }

  // 1000 hangs up: it leaves the call, and the two-party call ends for 1001 as well.
  auto cleared = client.request(5, root("ClearConnection", ed3,
                                        connection("connectionToBeCleared", call, "1000")));
  CHECK(cleared.xml.name == "ClearConnectionResponse");
  a = client.events_for(ref_a, 1);
  REQUIRE(a.size() == 1);
  check_event(a[0], "ConnectionClearedEvent", ref_a, "null", "normalClearing");
  CHECK(a[0].at("droppedConnection/callID") == call);
  CHECK(a[0].at("droppedConnection/deviceID") == "1000");
  CHECK(a[0].at("releasingDevice/deviceIdentifier") == "1000");
  b = client.events_for(ref_b, 2);
  REQUIRE(b.size() == 2);
  check_event(b[0], "ConnectionClearedEvent", ref_b, "connected", "normalClearing");
  CHECK(b[0].at("droppedConnection/deviceID") == "1000");
  check_event(b[1], "ConnectionClearedEvent", ref_b, "null", "normalClearing");
  CHECK(b[1].at("droppedConnection/callID") == call);
  CHECK(b[1].at("droppedConnection/deviceID") == "1001");
  CHECK(b[1].at("releasingDevice/deviceIdentifier") == "1001");

  // The call is gone now.
  auto again = client.request(6, root("ClearConnection", ed3,
                                      connection("connectionToBeCleared", call, "1001")));
  CHECK(again.xml.name == "CSTAErrorCode");
  CHECK(again.at("operation") == "invalidCallID");

  // MonitorStop ends the monitor on 1000: a new call shows up on 1001's monitor only.
  auto stopped = client.request(7, root("MonitorStop", ed3,
                                        "<monitorCrossRefID>" + ref_a + "</monitorCrossRefID>"));
  CHECK(stopped.xml.name == "MonitorStopResponse");
  auto second = client.request(8, root("MakeCall", ed3,
                                       "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001"
                                       "</calledDirectoryNumber>"));
  auto call2 = second.at("callingDevice/callID");
  CHECK(call2 != call);
  b = client.events_for(ref_b, 1);
  REQUIRE(b.size() == 1);
  check_event(b[0], "DeliveredEvent", ref_b, "alerting", "newCall");
  CHECK(client.request(9, root("ClearCall", ed3, "<callToBeCleared><callID>" + call2 +
                                                   "</callID></callToBeCleared>"))
            .xml.name == "ClearCallResponse");
  b = client.events_for(ref_b, 2);
  CHECK(b.size() == 2);
  CHECK(client.pending_events().count(ref_a) == 0);

  // A stopped monitor cannot be stopped twice.
  auto twice = client.request(10, root("MonitorStop", ed3,
                                       "<monitorCrossRefID>" + ref_a + "</monitorCrossRefID>"));
  CHECK(twice.at("operation") == "invalidMonitorCrossRefID");
}

TEST_CASE("replies and events come in the namespace the client used") {
  test_server server;
  SUBCASE("ed4") {
    csta_client client(server.port());
    auto ref = start_monitor(client, 1, "1000", ed4);
    auto made = client.request(2, root("MakeCall", ed4,
                                       "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001"
                                       "</calledDirectoryNumber>"));
    CHECK(made.xml.ns == ed4);
    for (auto& e : client.events_for(ref, 3))
      CHECK(e.xml.ns == ed4);
  }
  SUBCASE("no namespace: ed3") {
    csta_client client(server.port());
    auto r = client.request(1, monitor_start("1000", ""));
    CHECK(r.xml.name == "MonitorStartResponse");
    CHECK(r.xml.ns == ed3);
  }
}

TEST_CASE("two clients monitoring the same device both see its events") {
  test_server server;
  csta_client one(server.port());
  csta_client two(server.port());
  auto ref1 = start_monitor(one, 1, "1001");
  auto ref2 = start_monitor(two, 1, "1001");
  CHECK(ref1 != ref2);
  one.request(2, root("MakeCall", ed3,
                      "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>"));
  auto e1 = one.events_for(ref1, 1);
  auto e2 = two.events_for(ref2, 1);
  REQUIRE(e1.size() == 1);
  REQUIRE(e2.size() == 1);
  CHECK(e1[0].xml.name == "DeliveredEvent");
  CHECK(e2[0].xml.name == "DeliveredEvent");
  CHECK(e2[0].at("monitorCrossRefID") == ref2);
}

TEST_CASE("a filter suppresses the events it sets to true") {
  test_server server;
  csta_client client(server.port());
  auto r = client.request(1, root("MonitorStart", ed3,
                                  "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"
                                  "<requestedMonitorFilter><callcontrol><serviceInitiated>true</serviceInitiated>"
                                  "<originated>true</originated><delivered>false</delivered></callcontrol>"
                                  "</requestedMonitorFilter>"));
  auto ref = r.at("monitorCrossRefID");
  client.request(2, root("MakeCall", ed3,
                         "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>"));
  auto events = client.events_for(ref, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].xml.name == "DeliveredEvent");
}

TEST_CASE("a ConnectionID with a deviceID alone names the device's only call: answer, hold, retrieve, hang up") {
  test_server server;
  csta_client client(server.port());
  auto ref_b = start_monitor(client, 1, "1001");
  auto invalid_connection = [](const received& r, int invoke) {
    CHECK(r.invoke_id == invoke);
    CHECK(r.xml.name == "CSTAErrorCode");
    CHECK(r.xml.ns == ed3);
    CHECK(r.at("operation") == "invalidConnectionID");
  };
  // No call at 1000 yet.
  invalid_connection(client.request(2, root("ClearConnection", ed3,
                                            "<connectionToBeCleared><deviceID>1000</deviceID></connectionToBeCleared>")),
                     2);

  auto call = client.request(3, make_call("1000", "1001")).at("callingDevice/callID");
  REQUIRE_FALSE(call.empty());
  REQUIRE(client.events_for(ref_b, 1).size() == 1);  // Delivered

  auto answered = client.request(4, root("AnswerCall", ed3,
                                         "<callToBeAnswered><deviceID>1001</deviceID></callToBeAnswered>"));
  CHECK(answered.invoke_id == 4);
  CHECK(answered.body.find("<AnswerCallResponse") != std::string::npos);
  CHECK(answered.xml.children.empty());
  auto established = client.events_for(ref_b, 1);
  REQUIRE(established.size() == 1);
  check_event(established[0], "EstablishedEvent", ref_b, "connected", "newCall");
  CHECK(established[0].at("establishedConnection/callID") == call);

  auto held = client.request(5, root("HoldCall", ed3, "<callToBeHeld><deviceID>1001</deviceID></callToBeHeld>"));
  CHECK(held.xml.name == "HoldCallResponse");
  auto held_event = client.events_for(ref_b, 1);
  REQUIRE(held_event.size() == 1);
  check_event(held_event[0], "HeldEvent", ref_b, "hold", "normal");
  CHECK(held_event[0].at("heldConnection/callID") == call);
  auto retrieved = client.request(6, root("RetrieveCall", ed3,
                                          "<callToBeRetrieved><deviceID>1001</deviceID></callToBeRetrieved>"));
  CHECK(retrieved.xml.name == "RetrieveCallResponse");
  REQUIRE(client.events_for(ref_b, 1).size() == 1);

  // A consultation (its existing call named by the device alone) gives 1001 two calls: "its
  // call" is ambiguous then, refused, and nothing happens.
  auto consult = client.request(7, root("ConsultationCall", ed3,
                                        "<existingCall><deviceID>1001</deviceID></existingCall>"
                                        "<consultedDevice>1002</consultedDevice>"));
  REQUIRE(consult.xml.name == "ConsultationCallResponse");
  auto second = consult.at("initiatedCall/callID");
  CHECK(second != call);
  invalid_connection(client.request(8, root("ClearConnection", ed3,
                                            "<connectionToBeCleared><deviceID>1001</deviceID></connectionToBeCleared>")),
                     8);
  CHECK(client.request(9, root("ClearConnection", ed3, connection("connectionToBeCleared", second, "1001")))
            .xml.name == "ClearConnectionResponse");
  CHECK(client.request(10, root("RetrieveCall", ed3,
                                "<callToBeRetrieved><deviceID>1001</deviceID></callToBeRetrieved>"))
            .xml.name == "RetrieveCallResponse");

  // "Hang up my call", as clients send it: the only call is cleared.
  auto ref_a = start_monitor(client, 11, "1000");
  auto cleared = client.request(12, root("ClearConnection", ed3,
                                         "<connectionToBeCleared><deviceID>1000</deviceID></connectionToBeCleared>"));
  CHECK(cleared.invoke_id == 12);
  CHECK(cleared.xml.name == "ClearConnectionResponse");
  CHECK(cleared.xml.children.empty());
  auto gone = client.events_for(ref_a, 1);
  REQUIRE(gone.size() == 1);
  check_event(gone[0], "ConnectionClearedEvent", ref_a, "null", "normalClearing");
  CHECK(gone[0].at("droppedConnection/callID") == call);
  CHECK(gone[0].at("droppedConnection/deviceID") == "1000");
}

TEST_CASE("a session gets one call's events in the exchange's order across its monitors") {
  // The caller's ServiceInitiated and Originated come before the called party's Delivered, on
  // one connection monitoring both, every time (one sender per LIM keeps the order).
  test_server server;
  csta_client client(server.port());
  int invoke = 1;
  for (int pair = 0; pair < 25; ++pair) {
    auto caller = std::to_string(1040 + 2 * pair);
    auto called = std::to_string(1041 + 2 * pair);
    auto at_caller = start_monitor(client, invoke++, caller);
    auto at_called = start_monitor(client, invoke++, called);
    client.send(invoke++, root("MakeCall", ed3, "<callingDevice>" + caller + "</callingDevice><calledDirectoryNumber>" +
                                                    called + "</calledDirectoryNumber>"));
    std::vector<std::string> order;
    while (order.size() < 5) {  // the response and four events
      auto r = client.next();
      REQUIRE_MESSAGE(r, "the call's frames stopped after " << order.size());
      auto ref = r->at("monitorCrossRefID");
      order.push_back(r->xml.name + (ref == at_caller ? "@caller" : ref == at_called ? "@called" : ""));
    }
    CHECK(order == std::vector<std::string>{"MakeCallResponse", "ServiceInitiatedEvent@caller", "OriginatedEvent@caller",
                                            "DeliveredEvent@caller", "DeliveredEvent@called"});
  }
}
