// The exchange's services over a real socket: each monitored party sees the CSTA events of
// protocol.md 3.4 from its own point of view, and the connection ids in responses and events
// work in the next request.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

struct three_monitors {
  test_server server;
  csta_client client{server.port()};
  std::string a = start_monitor(client, 1, "1000");
  std::string b = start_monitor(client, 2, "1001");
  std::string c = start_monitor(client, 3, "1002");
  int invoke = 10;

  received ask(const std::string& xml) { return client.request(++invoke, xml); }

  /// 1000 calls 1001 and 1001 answers; the events are consumed; returns the call id.
  std::string connected_call() {
    auto call = ask(make_call("1000", "1001")).at("callingDevice/callID");
    client.events_for(a, 3);
    client.events_for(b, 1);
    REQUIRE(ask(root("AnswerCall", ed3, connection("callToBeAnswered", call, "1001"))).xml.name ==
            "AnswerCallResponse");
    client.events_for(a, 1);
    client.events_for(b, 1);
    return call;
  }

  /// From a connected 1000-1001 call, 1000 consults 1002 and 1002 answers. Returns the
  /// consultation call id.
  std::string consult(const std::string& first) {
    auto r = ask(root("ConsultationCall", ed3,
                      connection("existingCall", first, "1000") + "<consultedDevice>1002</consultedDevice>"));
    REQUIRE(r.xml.name == "ConsultationCallResponse");
    CHECK(r.at("initiatedCall/deviceID") == "1000");
    auto second = r.at("initiatedCall/callID");
    CHECK(second != first);
    auto at_a = client.events_for(a, 4);
    REQUIRE(at_a.size() == 4);
    check_event(at_a[0], "HeldEvent", a, "hold", "consultation");
    CHECK(at_a[0].at("heldConnection/callID") == first);
    check_event(at_a[1], "ServiceInitiatedEvent", a, "initiated", "consultation");
    CHECK(at_a[1].at("initiatedConnection/callID") == second);
    check_event(at_a[2], "OriginatedEvent", a, "connected", "consultation");
    check_event(at_a[3], "DeliveredEvent", a, "connected", "consultation");
    auto at_b = client.events_for(b, 1);
    REQUIRE(at_b.size() == 1);
    check_event(at_b[0], "HeldEvent", b, "connected", "consultation");
    CHECK(at_b[0].at("holdingDevice/deviceIdentifier") == "1000");
    auto at_c = client.events_for(c, 1);
    REQUIRE(at_c.size() == 1);
    check_event(at_c[0], "DeliveredEvent", c, "alerting", "consultation");
    CHECK(at_c[0].at("connection/callID") == second);
    REQUIRE(ask(root("AnswerCall", ed3, connection("callToBeAnswered", second, "1002"))).xml.name ==
            "AnswerCallResponse");
    check_event(client.events_for(a, 1).at(0), "EstablishedEvent", a, "connected", "consultation");
    check_event(client.events_for(c, 1).at(0), "EstablishedEvent", c, "connected", "consultation");
    return second;
  }
};

}  // namespace

TEST_CASE_FIXTURE(three_monitors, "HoldCall and RetrieveCall") {
  auto call = connected_call();
  auto held = ask(root("HoldCall", ed3, connection("callToBeHeld", call, "1000")));
  CHECK(held.xml.name == "HoldCallResponse");
  auto at_a = client.events_for(a, 1);
  auto at_b = client.events_for(b, 1);
  check_event(at_a.at(0), "HeldEvent", a, "hold", "normal");
  check_event(at_b.at(0), "HeldEvent", b, "connected", "normal");
  for (auto* e : {&at_a[0], &at_b[0]}) {
    CHECK(e->at("heldConnection/callID") == call);
    CHECK(e->at("heldConnection/deviceID") == "1000");
    CHECK(e->at("holdingDevice/deviceIdentifier") == "1000");
  }
  CHECK(ask(root("RetrieveCall", ed3, connection("callToBeRetrieved", call, "1000"))).xml.name ==
        "RetrieveCallResponse");
  check_event(client.events_for(a, 1).at(0), "RetrievedEvent", a, "connected", "normal");
  auto r = client.events_for(b, 1).at(0);
  check_event(r, "RetrievedEvent", b, "connected", "normal");
  CHECK(r.at("retrievedConnection/deviceID") == "1000");
  CHECK(r.at("retrievingDevice/deviceIdentifier") == "1000");
  auto again = ask(root("RetrieveCall", ed3, connection("callToBeRetrieved", call, "1000")));
  CHECK(again.at("stateIncompatibility") == "invalidConnectionState");
}

TEST_CASE_FIXTURE(three_monitors, "ConsultationCall then TransferCall") {
  auto first = connected_call();
  auto second = consult(first);
  auto r = ask(root("TransferCall", ed3,
                    connection("heldCall", first, "1000") + connection("activeCall", second, "1000")));
  REQUIRE(r.xml.name == "TransferCallResponse");
  CHECK(r.at("transferredCall/callID") == second);
  CHECK(r.at("transferredCall/deviceID") == "1002");
  for (auto& [ref, local] : {std::pair{a, "null"}, std::pair{b, "connected"}, std::pair{c, "connected"}}) {
    auto events = client.events_for(ref, 1);
    REQUIRE(events.size() == 1);
    auto& e = events[0];
    check_event(e, "TransferedEvent", ref, local, "transfer");
    CHECK(e.at("primaryOldCall/callID") == first);
    CHECK(e.at("primaryOldCall/deviceID") == "1000");
    CHECK(e.at("secondaryOldCall/callID") == second);
    CHECK(e.at("transferringDevice/deviceIdentifier") == "1000");
    CHECK(e.at("transferredToDevice/deviceIdentifier") == "1002");
    auto list = e.xml.child("transferredConnections");
    REQUIRE(list != nullptr);
    REQUIRE(list->children.size() == 2);
    CHECK(list->children[0].child("newConnection")->child_text("callID") != nullptr);
    CHECK(*list->children[0].child("newConnection")->child_text("callID") == second);
    CHECK(*list->children[0].child("newConnection")->child_text("deviceID") == "1001");
    CHECK(*list->children[0].child("oldConnection")->child_text("callID") == first);
  }
  // The new connection of 1001 works: it hangs up and the call ends for 1002.
  CHECK(ask(root("ClearConnection", ed3, connection("connectionToBeCleared", second, "1001"))).xml.name ==
        "ClearConnectionResponse");
  auto at_c = client.events_for(c, 2);
  REQUIRE(at_c.size() == 2);
  check_event(at_c[0], "ConnectionClearedEvent", c, "connected", "normalClearing");
  check_event(at_c[1], "ConnectionClearedEvent", c, "null", "normalClearing");
  check_event(client.events_for(b, 1).at(0), "ConnectionClearedEvent", b, "null", "normalClearing");
}

TEST_CASE_FIXTURE(three_monitors, "ConferenceCall, then one party leaves") {
  auto first = connected_call();
  auto second = consult(first);
  auto r = ask(root("ConferenceCall", ed3,
                    connection("heldCall", first, "1000") + connection("activeCall", second, "1000")));
  REQUIRE(r.xml.name == "ConferenceCallResponse");
  CHECK(r.at("conferenceCall/callID") == first);
  for (auto& ref : {a, b, c}) {
    auto e = client.events_for(ref, 1).at(0);
    check_event(e, "ConferencedEvent", ref, "connected", "conference");
    CHECK(e.at("primaryOldCall/callID") == first);
    CHECK(e.at("secondaryOldCall/callID") == second);
    CHECK(e.at("conferencingDevice/deviceIdentifier") == "1000");
    CHECK(e.at("addedParty/deviceIdentifier") == "1002");
    CHECK(e.at("conferenceConnections/connectionListItem/newConnection/callID") == first);
    CHECK(e.at("conferenceConnections/connectionListItem/oldConnection/callID") == second);
  }
  // 1002 leaves with its new connection id; 1000 and 1001 stay connected.
  CHECK(ask(root("ClearConnection", ed3, connection("connectionToBeCleared", first, "1002"))).xml.name ==
        "ClearConnectionResponse");
  check_event(client.events_for(c, 1).at(0), "ConnectionClearedEvent", c, "null", "normalClearing");
  check_event(client.events_for(a, 1).at(0), "ConnectionClearedEvent", a, "connected", "normalClearing");
  auto at_b = client.events_for(b, 1).at(0);
  check_event(at_b, "ConnectionClearedEvent", b, "connected", "normalClearing");
  CHECK(at_b.at("droppedConnection/deviceID") == "1002");
  CHECK(ask(root("HoldCall", ed3, connection("callToBeHeld", first, "1001"))).xml.name ==
        "HoldCallResponse");
}

TEST_CASE_FIXTURE(three_monitors, "DeflectCall redirects an alerting call") {
  auto call = ask(make_call("1000", "1001")).at("callingDevice/callID");
  client.events_for(a, 3);
  client.events_for(b, 1);
  auto r = ask(root("DeflectCall", "",
                    connection("callToBeDiverted", call, "1001") + "<newDestination>1002</newDestination>"));
  CHECK(r.xml.name == "DeflectCallResponse");
  auto at_b = client.events_for(b, 1).at(0);
  check_event(at_b, "DivertedEvent", b, "null", "redirected");
  CHECK(at_b.at("connection/deviceID") == "1001");
  CHECK(at_b.at("divertingDevice/deviceIdentifier") == "1001");
  CHECK(at_b.at("newDestination/deviceIdentifier") == "1002");
  check_event(client.events_for(a, 1).at(0), "DivertedEvent", a, "connected", "redirected");
  auto at_c = client.events_for(c, 1).at(0);
  check_event(at_c, "DeliveredEvent", c, "alerting", "redirected");
  CHECK(at_c.at("lastRedirectionDevice/numberDialed") == "1001");
  CHECK(at_c.at("calledDevice/deviceIdentifier") == "1001");
  check_event(client.events_for(a, 1).at(0), "DeliveredEvent", a, "connected", "redirected");
  // The new destination answers with the call id it was given.
  CHECK(ask(root("AnswerCall", ed3, connection("callToBeAnswered", call, "1002"))).xml.name ==
        "AnswerCallResponse");
}

TEST_CASE_FIXTURE(three_monitors, "SingleStepTransferCall") {
  auto call = connected_call();
  auto r = ask(root("SingleStepTransferCall", ed3,
                    connection("activeCall", call, "1001") + "<transferredTo>1002</transferredTo>"));
  REQUIRE(r.xml.name == "SingleStepTransferCallResponse");
  CHECK(r.at("transferredCall/callID") == call);
  CHECK(r.at("transferredCall/deviceID") == "1002");
  auto at_b = client.events_for(b, 1).at(0);
  check_event(at_b, "TransferedEvent", b, "null", "singleStepTransfer");
  CHECK(at_b.at("transferringDevice/deviceIdentifier") == "1001");
  CHECK(at_b.at("transferredToDevice/deviceIdentifier") == "1002");
  CHECK(at_b.xml.child("secondaryOldCall") == nullptr);
  auto at_a = client.events_for(a, 2);
  REQUIRE(at_a.size() == 2);
  check_event(at_a[0], "TransferedEvent", a, "connected", "singleStepTransfer");
  check_event(at_a[1], "DeliveredEvent", a, "connected", "singleStepTransfer");
  check_event(client.events_for(c, 1).at(0), "DeliveredEvent", c, "alerting", "singleStepTransfer");
}

TEST_CASE_FIXTURE(three_monitors, "do-not-disturb and forwarding: set, get, events, applied to calls") {
  CHECK(ask(root("SetDoNotDisturb", ed3, "<device>1001</device><doNotDisturbOn>true</doNotDisturbOn>")).xml.name ==
        "SetDoNotDisturbResponse");
  auto dnd = client.events_for(b, 1).at(0);
  CHECK(dnd.xml.name == "DoNotDisturbEvent");
  CHECK(dnd.at("device/deviceIdentifier") == "1001");
  CHECK(dnd.at("doNotDisturbOn") == "true");
  CHECK(ask(root("GetDoNotDisturb", ed3, "<device>1001</device>")).at("doNotDisturbOn") == "true");
  auto failed = ask(make_call("1000", "1001"));
  auto at_a = client.events_for(a, 3);
  REQUIRE(at_a.size() == 3);
  check_event(at_a[2], "FailedEvent", a, "fail", "doNotDisturb");
  ask(root("ClearConnection", ed3,
           connection("connectionToBeCleared", failed.at("callingDevice/callID"), "1000")));
  client.events_for(a, 1);
  ask(root("SetDoNotDisturb", ed3, "<device>1001</device><doNotDisturbOn>false</doNotDisturbOn>"));
  client.events_for(b, 1);

  // BroadWorks' order (activateForward before forwardingType) and empty ringCount.
  CHECK(ask(root("SetForwarding", ed3,
                 "<device>1001</device><activateForward>true</activateForward>"
                 "<forwardingType>forwardImmediate</forwardingType><forwardDN>1002</forwardDN><ringCount></ringCount>"))
            .xml.name == "SetForwardingResponse");
  auto fwd = client.events_for(b, 1).at(0);
  CHECK(fwd.xml.name == "ForwardingEvent");
  CHECK(fwd.at("forwardingType") == "forwardImmediate");
  CHECK(fwd.at("forwardStatus") == "true");
  CHECK(fwd.at("forwardTo") == "1002");
  auto list = ask(root("GetForwarding", ed3, "<device>1001</device>"));
  CHECK(list.at("forwardingList/forwardListItem/forwardingType") == "forwardImmediate");
  CHECK(list.at("forwardingList/forwardListItem/forwardStatus") == "true");
  CHECK(list.at("forwardingList/forwardListItem/forwardDN") == "1002");
  ask(make_call("1000", "1001"));
  auto diverted = client.events_for(b, 1).at(0);
  check_event(diverted, "DivertedEvent", b, "null", "callForwardImmediate");
  CHECK(diverted.at("newDestination/deviceIdentifier") == "1002");
  auto at_c = client.events_for(c, 1).at(0);
  check_event(at_c, "DeliveredEvent", c, "alerting", "callForwardImmediate");
  CHECK(at_c.at("lastRedirectionDevice/numberDialed") == "1001");

  auto bad = ask(root("SetForwarding", ed3,
                      "<device>1001</device><forwardingType>forwardSometimes</forwardingType>"
                      "<activateForward>true</activateForward>"));
  CHECK(bad.at("operation") == "invalidForwardingType");
  bad = ask(root("SetForwarding", ed3,
                 "<device>1001</device><forwardingType>forwardBusy</forwardingType>"
                 "<activateForward>true</activateForward><forwardDN>1001</forwardDN>"));
  CHECK(bad.at("operation") == "invalidForwardingDestination");
  CHECK(ask(root("GetDoNotDisturb", ed3, "<device>4711</device>")).at("operation") == "invalidDeviceID");
}

TEST_CASE_FIXTURE(three_monitors, "a call to an outside number reaches the network") {
  auto r = ask(make_call("1000", "0701234567"));
  auto call = r.at("callingDevice/callID");
  auto events = client.events_for(a, 4);
  REQUIRE(events.size() == 4);
  check_event(events[2], "NetworkReachedEvent", a, "connected", "newCall");
  CHECK(events[2].at("outboundConnection/callID") == call);
  CHECK(events[2].at("outboundConnection/deviceID") == "0701234567");
  CHECK(events[2].at("networkInterfaceUsed/deviceIdentifier") == "T0");
  CHECK(events[2].at("calledDevice/deviceIdentifier") == "0701234567");
  check_event(events[3], "DeliveredEvent", a, "connected", "newCall");
}

TEST_CASE("the LIM runs the exchange's ring timers: no-answer forwarding, then the ring limit") {
  using namespace std::chrono_literals;
  cstad::sim::exchange_timing timing;
  timing.ring_cycle = 100ms;
  timing.max_ring_time = 400ms;
  test_server server(timing);
  csta_client client(server.port());
  auto a = start_monitor(client, 1, "1000");
  auto b = start_monitor(client, 2, "1001");
  auto c = start_monitor(client, 3, "1002");
  client.request(4, root("SetForwarding", ed3,
                         "<device>1001</device><forwardingType>forwardNoAns</forwardingType>"
                         "<activateForward>true</activateForward><forwardDN>1002</forwardDN>"
                         "<ringCount>2</ringCount>"));
  client.events_for(b, 1);
  client.request(5, make_call("1000", "1001"));
  client.events_for(a, 3);
  check_event(client.events_for(b, 1).at(0), "DeliveredEvent", b, "alerting", "newCall");
  // After two rings 1001 gives the call to 1002 ...
  check_event(client.events_for(b, 1).at(0), "DivertedEvent", b, "null", "callForwardNoAnswer");
  auto at_c = client.events_for(c, 1).at(0);
  check_event(at_c, "DeliveredEvent", c, "alerting", "callForwardNoAnswer");
  CHECK(at_c.at("lastRedirectionDevice/numberDialed") == "1001");
  // ... where nobody answers either, so the ring limit clears the call.
  auto cleared = client.events_for(c, 1).at(0);
  check_event(cleared, "ConnectionClearedEvent", c, "null", "callNotAnswered");
  auto at_a = client.events_for(a, 4);
  REQUIRE(at_a.size() == 4);
  CHECK(at_a[0].xml.name == "DivertedEvent");
  CHECK(at_a[1].xml.name == "DeliveredEvent");
  check_event(at_a[2], "ConnectionClearedEvent", a, "connected", "callNotAnswered");
  check_event(at_a[3], "ConnectionClearedEvent", a, "null", "callNotAnswered");
}

TEST_CASE_FIXTURE(three_monitors, "a client's start-up: system status, features, register, snapshots") {
  auto status = ask(root("RequestSystemStatus", ed3, ""));
  CHECK(status.xml.name == "RequestSystemStatusResponse");
  CHECK(status.at("systemStatus") == "normal");
  auto features = ask(root("GetCSTAFeatures", ed3, ""));
  CHECK(features.at("supportedServices/callControlServList/makeCall") == "true");
  CHECK(features.at("supportedEvents/callControlEvtsList/delivered") == "true");
  auto reg = ask(root("SystemRegister", ed4, "<requestTypes><systemStatus>true</systemStatus></requestTypes>"));
  CHECK(reg.xml.ns == ed4);
  CHECK_FALSE(reg.at("sysStatRegisterID").empty());
  CHECK(ask(root("SystemStatus", ed4, "<systemStatus>normal</systemStatus>")).xml.name ==
        "SystemStatusResponse");

  auto call = connected_call();
  auto snap = ask(root("SnapshotDevice", ed3, "<snapshotObject>1000</snapshotObject>"));
  REQUIRE(snap.xml.name == "SnapshotDeviceResponse");
  auto info = "crossRefIDorSnapshotData/snapshotData/snapshotDeviceResponseInfo/";
  CHECK(snap.at(std::string(info) + "connectionIdentifier/callID") == call);
  CHECK(snap.at(std::string(info) + "localCallState/compoundCallState/localConnectionState") == "connected");
  auto idle = ask(root("SnapshotDevice", ed3, "<snapshotObject>1005</snapshotObject>"));
  CHECK(idle.xml.child("crossRefIDorSnapshotData")->child("snapshotData")->children.empty());
  auto whole = ask(root("SnapshotCall", ed3, connection("snapshotObject", call, "1000")));
  auto data = whole.xml.child("crossRefIDorSnapshotData")->child("snapshotData");
  REQUIRE(data->children.size() == 2);
  CHECK(*data->children[1].child("deviceOnCall")->child_text("deviceIdentifier") == "1001");
  CHECK(*data->children[1].child_text("localConnectionInfo") == "connected");
  CHECK(ask(root("SnapshotDevice", ed3, "<snapshotObject>4711</snapshotObject>")).at("operation") ==
        "invalidDeviceID");
  CHECK(ask(root("SnapshotCall", ed3, connection("snapshotObject", "999", "1000"))).at("operation") ==
        "invalidCallID");
}

TEST_CASE_FIXTURE(three_monitors, "GetSwitchingFunctionDevices lists the plan in segments") {
  auto r = ask(root("GetSwitchingFunctionDevices", ed3, "<requestedDeviceCategory>station</requestedDeviceCategory>"));
  REQUIRE(r.xml.name == "GetSwitchingFunctionDevicesResponse");
  auto ref = r.at("serviceCrossRefID");
  auto segment = client.next();
  REQUIRE(segment);
  CHECK(segment->invoke_id == 9999);
  CHECK(segment->xml.name == "SwitchingFunctionDevices");
  CHECK(segment->at("serviceCrossRefID") == ref);
  CHECK(segment->at("segmentID") == "1");
  CHECK(segment->at("lastSegment") == "true");
  CHECK(segment->xml.child("deviceList")->children.size() == 100);
  CHECK(segment->at("deviceList/device/deviceID") == "1000");
  CHECK(segment->at("deviceList/device/deviceCategory") == "station");

  ask(root("GetSwitchingFunctionDevices", ed3, ""));
  auto first = client.next();
  auto second = client.next();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->at("lastSegment") == "false");
  CHECK(second->at("segmentID") == "2");
  CHECK(second->at("lastSegment") == "true");
  REQUIRE(second->xml.child("deviceList")->children.size() == 4);
  CHECK(*second->xml.child("deviceList")->children[0].child_text("deviceID") == "6000");
  CHECK(*second->xml.child("deviceList")->children[0].child_text("deviceCategory") == "acd");
  CHECK(*second->xml.child("deviceList")->children[1].child_text("deviceID") == "6100");
  CHECK(*second->xml.child("deviceList")->children[1].child_text("deviceCategory") == "acd");
  CHECK(*second->xml.child("deviceList")->children[2].child_text("deviceCategory") == "group");

  CHECK(ask(root("GetSwitchingFunctionDevices", ed3, "<requestedDeviceID>4711</requestedDeviceID>")).at("operation") ==
        "invalidDeviceID");
}

TEST_CASE_FIXTURE(three_monitors, "ChangeMonitorFilter changes what a monitor receives") {
  auto changed = ask(root("ChangeMonitorFilter", ed3,
                          "<monitorCrossRefID>" + a + "</monitorCrossRefID><requestedFilterList><callcontrol>"
                          "<serviceInitiated>true</serviceInitiated><originated>true</originated></callcontrol></requestedFilterList>"));
  CHECK(changed.xml.name == "ChangeMonitorFilterResponse");
  ask(make_call("1000", "1001"));
  auto events = client.events_for(a, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].xml.name == "DeliveredEvent");
  CHECK(ask(root("ChangeMonitorFilter", ed3, "<monitorCrossRefID>nope</monitorCrossRefID><requestedFilterList/>"))
            .at("operation") == "invalidMonitorCrossRefID");
}

TEST_CASE_FIXTURE(three_monitors, "a call monitor sees the whole call, follows a transfer, ends with CallCleared") {
  auto first = connected_call();
  auto r = ask(root("MonitorStart", ed3,
                    "<monitorObject>" + connection("callObject", first, "1000") +
                        "</monitorObject><monitorType>call</monitorType>"));
  REQUIRE(r.xml.name == "MonitorStartResponse");
  auto watch = r.at("monitorCrossRefID");
  auto second = consult(first);  // 1000 consults 1002, who answers
  auto seen = client.events_for(watch, 1);
  REQUIRE(seen.size() == 1);
  check_event(seen[0], "HeldEvent", watch, "hold", "consultation");  // the first call's events only
  REQUIRE(ask(root("TransferCall", ed3, connection("heldCall", first, "1000") +
                                            connection("activeCall", second, "1000")))
              .xml.name == "TransferCallResponse");
  auto transferred = client.events_for(watch, 1).at(0);
  check_event(transferred, "TransferedEvent", watch, "null", "transfer");
  // Now on the call that goes on: 1001 hangs up, the call ends.
  ask(root("ClearConnection", ed3, connection("connectionToBeCleared", second, "1001")));
  auto end = client.events_for(watch, 3);
  REQUIRE(end.size() == 3);
  check_event(end[0], "ConnectionClearedEvent", watch, "null", "normalClearing");
  check_event(end[1], "ConnectionClearedEvent", watch, "null", "normalClearing");
  CHECK(end[2].xml.name == "CallClearedEvent");
  CHECK(end[2].at("clearedCall/callID") == second);
  CHECK(end[2].at("cause") == "normalClearing");
  // The monitor ended with its call.
  CHECK(ask(root("MonitorStop", ed3, "<monitorCrossRefID>" + watch + "</monitorCrossRefID>")).at("operation") ==
        "invalidMonitorCrossRefID");
  auto missing = ask(root("MonitorStart", ed3, "<monitorObject>" + connection("callObject", "4711", "1000") + "</monitorObject>"));
  CHECK(missing.at("operation") == "invalidCallID");
}

TEST_CASE_FIXTURE(three_monitors, "MonitorStop ends a call monitor") {
  auto call = connected_call();
  auto watch = ask(root("MonitorStart", ed3, "<monitorObject>" + connection("callObject", call, "1001") + "</monitorObject>"))
                   .at("monitorCrossRefID");
  CHECK(ask(root("MonitorStop", ed3, "<monitorCrossRefID>" + watch + "</monitorCrossRefID>")).xml.name ==
        "MonitorStopResponse");
  ask(root("HoldCall", ed3, connection("callToBeHeld", call, "1000")));
  client.events_for(a, 1);
  client.events_for(b, 1);
  CHECK(client.pending_events().count(watch) == 0);
}

TEST_CASE("Avaya's inverted monitor filter: only the events listed are reported, and the response says what is in force") {
  test_server server;
  csta_client client(server.port());
  // What an Avaya client sends: the ECMA-269 filter listing what to REPORT, flipped by
  // invertFilter in its private data (the MonitorStartPrivateData wrapper is inferred).
  auto avaya = client.request(1, root("MonitorStart", ed3,
      "<monitorObject><deviceObject>1001</deviceObject></monitorObject>"
      "<requestedMonitorFilter><callcontrol><delivered>true</delivered><established>true</established></callcontrol>"
      "<logicalDeviceFeature/></requestedMonitorFilter>"
      "<extensions><privateData><private><ns1:MonitorStartPrivateData xmlns:ns1=\"http://www.avaya.com/csta\">"
      "<ns1:invertFilter>true</ns1:invertFilter></ns1:MonitorStartPrivateData></private></privateData></extensions>"));
  CHECK(avaya.invoke_id == 1);
  REQUIRE(avaya.xml.name == "MonitorStartResponse");
  auto ref = avaya.at("monitorCrossRefID");
  REQUIRE_FALSE(ref.empty());
  // actualMonitorFilter in ECMA polarity: every modelled event of the groups sent, but the two.
  auto actual = avaya.xml.child("actualMonitorFilter");
  REQUIRE(actual != nullptr);
  REQUIRE(actual->children.size() == 2);
  auto& control = actual->children[0];
  CHECK(control.name == "callcontrol");
  CHECK(control.children.size() == 16);
  CHECK(control.child("delivered") == nullptr);
  CHECK(control.child("established") == nullptr);
  CHECK(*control.child_text("connectionCleared") == "true");
  CHECK(*control.child_text("originated") == "true");
  CHECK(actual->children[1].name == "logicalDeviceFeature");
  CHECK(actual->children[1].children.size() == 14);
  CHECK(*actual->children[1].child_text("doNotDisturb") == "true");

  // A standard filter is echoed as it is; no filter, no actualMonitorFilter (today's response).
  auto standard = client.request(2, root("MonitorStart", ed3,
      "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"
      "<requestedMonitorFilter><callcontrol><delivered>true</delivered></callcontrol></requestedMonitorFilter>"));
  auto standard_ref = standard.at("monitorCrossRefID");
  CHECK(standard.body.find("<actualMonitorFilter><callcontrol><delivered>true</delivered></callcontrol>"
                           "</actualMonitorFilter></MonitorStartResponse>") != std::string::npos);
  auto plain = client.request(3, monitor_start("1002"));
  CHECK(plain.body.find("<MonitorStartResponse xmlns=\"" + ed3 + "\"><monitorCrossRefID>" +
                        plain.at("monitorCrossRefID") + "</monitorCrossRefID></MonitorStartResponse>") !=
        std::string::npos);
  CHECK(plain.xml.child("actualMonitorFilter") == nullptr);

  // 1000 calls 1001, 1001 answers, 1000 hangs up, then calls again: the Avaya monitor sees
  // Delivered and Established only (no ConnectionCleared), then the next Delivered.
  auto call = client.request(4, make_call("1000", "1001")).at("callingDevice/callID");
  CHECK(client.request(5, root("AnswerCall", ed3, connection("callToBeAnswered", call, "1001"))).xml.name ==
        "AnswerCallResponse");
  CHECK(client.request(6, root("ClearConnection", ed3, connection("connectionToBeCleared", call, "1000"))).xml.name ==
        "ClearConnectionResponse");
  auto again = client.request(7, make_call("1000", "1001")).at("callingDevice/callID");
  auto seen = client.events_for(ref, 3);
  REQUIRE(seen.size() == 3);
  check_event(seen[0], "DeliveredEvent", ref, "alerting", "newCall");
  CHECK(seen[0].at("connection/callID") == call);
  check_event(seen[1], "EstablishedEvent", ref, "connected", "newCall");
  check_event(seen[2], "DeliveredEvent", ref, "alerting", "newCall");
  CHECK(seen[2].at("connection/callID") == again);
  // The standard filter on 1000 suppressed its Delivered events, nothing else.
  auto at_1000 = client.events_for(standard_ref, 2);
  REQUIRE(at_1000.size() == 2);
  CHECK(at_1000[0].xml.name == "ServiceInitiatedEvent");
  CHECK(at_1000[1].xml.name == "OriginatedEvent");
  auto next = client.events_for(standard_ref, 1);
  REQUIRE(next.size() == 1);
  CHECK(next[0].xml.name == "EstablishedEvent");
}

TEST_CASE("an OpenScape-style client: the server speaks first when told to, the client's answer is taken") {
  {
    // By default the server waits for the client.
    test_server server;
    csta_client quiet(server.port());
    CHECK_FALSE(quiet.next(std::chrono::milliseconds(300)));
  }
  cstad::service::session_policy announce;
  announce.status_on_connect = true;
  test_server server({}, announce);
  csta_client client(server.port());
  auto first = client.next();
  REQUIRE(first);
  CHECK(first->invoke_id == 9999);
  CHECK(first->xml.name == "SystemStatus");
  CHECK(first->xml.ns == ed3);
  CHECK(first->at("systemStatus") == "normal");
  // The client answers with the same invoke id, as OpenScape clients do, then registers: the
  // answer gets no reply and no error.
  client.send(first->invoke_id, root("SystemStatusResponse", ed4, ""));
  auto registered = client.request(1, root("SystemRegister", ed4, "<requestTypes><systemStatus>true</systemStatus>"
                                                                  "<requestSystemStatus>false</requestSystemStatus>"
                                                                  "</requestTypes>"));
  CHECK(registered.xml.name == "SystemRegisterResponse");
  CHECK(registered.xml.ns == ed4);
  CHECK_FALSE(registered.at("sysStatRegisterID").empty());
  CHECK_FALSE(client.next(std::chrono::milliseconds(300)));
}

TEST_CASE("a monitor's events stay in the namespace of its MonitorStart") {
  test_server server;
  csta_client client(server.port());
  const std::string ed5 = "http://www.ecma-international.org/standards/ecma-323/csta/ed5";
  auto in_ed5 = start_monitor(client, 1, "1000", ed5);
  auto in_ed3 = start_monitor(client, 2, "1001", ed3);
  // A later request in another edition is answered in its own, and changes no monitor's.
  auto features = client.request(3, root("GetCSTAFeatures", ed4, ""));
  CHECK(features.xml.ns == ed4);
  client.request(4, make_call("1000", "1001"));
  auto a = client.events_for(in_ed5, 3);
  REQUIRE(a.size() == 3);
  for (auto& e : a)
    CHECK(e.xml.ns == ed5);
  auto b = client.events_for(in_ed3, 1);
  REQUIRE(b.size() == 1);
  CHECK(b[0].xml.ns == ed3);
}
