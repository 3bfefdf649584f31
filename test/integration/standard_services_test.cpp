// The standard services of issue 13 over a real socket, as real clients send them:
// SingleStepConferenceCall, AssociateData (CallInformationEvent), Set/GetMessageWaitingIndicator
// (MessageWaitingEvent), Get{Logical,Physical}DeviceInformation and ChangeSystemStatusFilter.
// Each test asserts what the client reads: the response, the exact events with their fields,
// the errors.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

// Avaya's private protocol version (protocol.md 2): answered in it, as any ECMA-323 namespace.
const std::string avaya = "http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv7";

/// Avaya's ConnectionID: deviceID first, with its attributes (protocol.md 3.2, AnswerCall).
std::string avaya_connection(const std::string& element, const std::string& call, const std::string& device) {
  return "<" + element + "><deviceID typeOfNumber=\"other\" mediaClass=\"notKnown\">" + device +
         "</deviceID><callID>" + call + "</callID></" + element + ">";
}

void check_error(const received& r, int invoke, const std::string& ns, const std::string& category,
                 const std::string& value) {
  CHECK(r.invoke_id == invoke);
  CHECK(r.xml.name == "CSTAErrorCode");
  CHECK(r.xml.ns == ns);
  REQUIRE(r.xml.children.size() == 1);
  CHECK(r.xml.children[0].name == category);
  CHECK(r.xml.children[0].text == value);
}

struct call_with_monitors {
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
    REQUIRE(client.events_for(a, 3).size() == 3);
    REQUIRE(client.events_for(b, 1).size() == 1);
    REQUIRE(ask(root("AnswerCall", ed3, connection("callToBeAnswered", call, "1001"))).xml.name ==
            "AnswerCallResponse");
    REQUIRE(client.events_for(a, 1).size() == 1);
    REQUIRE(client.events_for(b, 1).size() == 1);
    return call;
  }
};

void check_joined(const received& e, const std::string& ref, const std::string& call) {
  check_event(e, "ConferencedEvent", ref, "connected", "singleStepConference");
  CHECK(e.xml.ns == ed3);
  CHECK(e.at("primaryOldCall/callID") == call);
  CHECK(e.at("primaryOldCall/deviceID") == "1002");
  CHECK(e.xml.child("secondaryOldCall") == nullptr);
  CHECK(e.at("conferencingDevice/deviceIdentifier") == "1002");
  CHECK(e.at("addedParty/deviceIdentifier") == "1002");
  CHECK(e.at("conferenceConnections/connectionListItem/newConnection/callID") == call);
  CHECK(e.at("conferenceConnections/connectionListItem/newConnection/deviceID") == "1002");
  CHECK(e.xml.child("conferenceConnections")->child("connectionListItem")->child("oldConnection") == nullptr);
}

}  // namespace

TEST_CASE_FIXTURE(call_with_monitors, "SingleStepConferenceCall: a device joins a call, every party's monitor sees it") {
  auto call = connected_call();
  auto r = ask(root("SingleStepConferenceCall", avaya,
                    avaya_connection("activeCall", call, "1001") +
                        "<deviceToJoin typeOfNumber=\"other\" mediaClass=\"notKnown\">1002</deviceToJoin>"
                        "<participationType>active</participationType>"));
  REQUIRE(r.xml.name == "SingleStepConferenceCallResponse");
  CHECK(r.xml.ns == avaya);
  CHECK(r.at("conferencedCall/callID") == call);
  CHECK(r.at("conferencedCall/deviceID") == "1002");
  for (auto& ref : {a, b, c}) {
    auto events = client.events_for(ref, 1);
    REQUIRE(events.size() == 1);
    check_joined(events[0], ref, call);
  }
  // The joined device's connection is an ordinary one: it leaves, the others talk on.
  CHECK(ask(root("ClearConnection", ed3, connection("connectionToBeCleared", call, "1002"))).xml.name ==
        "ClearConnectionResponse");
  check_event(client.events_for(c, 1).at(0), "ConnectionClearedEvent", c, "null", "normalClearing");
  check_event(client.events_for(a, 1).at(0), "ConnectionClearedEvent", a, "connected", "normalClearing");
  auto at_b = client.events_for(b, 1).at(0);
  check_event(at_b, "ConnectionClearedEvent", b, "connected", "normalClearing");
  CHECK(at_b.at("droppedConnection/deviceID") == "1002");
  CHECK(ask(root("HoldCall", ed3, connection("callToBeHeld", call, "1001"))).xml.name == "HoldCallResponse");
}

TEST_CASE_FIXTURE(call_with_monitors, "SingleStepConferenceCall silent: the listener goes with the last talker") {
  auto call = connected_call();
  auto r = ask(root("SingleStepConferenceCall", ed3,
                    connection("activeCall", call, "1000") +
                        "<deviceToJoin>1002</deviceToJoin><participationType>silent</participationType>"));
  REQUIRE(r.xml.name == "SingleStepConferenceCallResponse");
  for (auto& ref : {a, b, c})
    check_joined(client.events_for(ref, 1).at(0), ref, call);
  // 1001 hangs up: 1000 is left with a listener only, and the call ends for both.
  CHECK(ask(root("ClearConnection", ed3, connection("connectionToBeCleared", call, "1001"))).xml.name ==
        "ClearConnectionResponse");
  check_event(client.events_for(b, 1).at(0), "ConnectionClearedEvent", b, "null", "normalClearing");
  auto at_a = client.events_for(a, 2);
  REQUIRE(at_a.size() == 2);
  check_event(at_a[0], "ConnectionClearedEvent", a, "connected", "normalClearing");
  CHECK(at_a[0].at("droppedConnection/deviceID") == "1001");
  check_event(at_a[1], "ConnectionClearedEvent", a, "null", "normalClearing");
  CHECK(at_a[1].at("droppedConnection/deviceID") == "1000");
  auto at_c = client.events_for(c, 3);
  REQUIRE(at_c.size() == 3);
  CHECK(at_c[0].at("droppedConnection/deviceID") == "1001");
  CHECK(at_c[1].at("droppedConnection/deviceID") == "1000");
  check_event(at_c[2], "ConnectionClearedEvent", c, "null", "normalClearing");
  CHECK(at_c[2].at("droppedConnection/deviceID") == "1002");
}

TEST_CASE_FIXTURE(call_with_monitors, "SingleStepConferenceCall refusals") {
  auto call = connected_call();
  auto ssc = [&](const std::string& active_call, const std::string& device, const std::string& join,
                 const std::string& extra = "") {
    return ask(root("SingleStepConferenceCall", ed3,
                    connection("activeCall", active_call, device) + "<deviceToJoin>" + join + "</deviceToJoin>" + extra));
  };
  // The answer is taken first, so its invoke id is the one just used.
  auto refused = [&](const received& r, const std::string& category, const std::string& value) {
    check_error(r, invoke, ed3, category, value);
  };
  refused(ssc("4711", "1000", "1002"), "operation", "invalidCallID");
  refused(ssc("x1", "1000", "1002"), "operation", "invalidActiveCallID");
  refused(ssc(call, "1000", "5555"), "operation", "invalidDeviceID");
  refused(ssc(call, "1002", "1003"), "operation", "invalidConnectionID");
  refused(ssc(call, "1000", "1001"), "stateIncompatibility", "invalidDeviceState");
  refused(ssc(call, "1000", "6000"), "operation", "requestIncompatibleWithDevice");
  refused(ssc(call, "1000", "1002", "<participationType>loud</participationType>"), "operation",
          "participationTypeOutOfRange");
  refused(ask(root("SingleStepConferenceCall", ed3, "<deviceToJoin>1002</deviceToJoin>")), "operation",
          "invalidActiveCallID");
  // Nothing happened to the call: a request to the exchange after them brings no event before
  // its answer.
  CHECK(ask(root("GetDoNotDisturb", ed3, "<device>1000</device>")).xml.name == "GetDoNotDisturbResponse");
  CHECK(client.pending_events().empty());
}

TEST_CASE("AssociateData: the call's monitors get CallInformationEvent with the data, the call keeps it") {
  test_server server;
  csta_client client(server.port());
  // OpenScape speaks ed4 (its CallInformationEvent in protocol.md 3.4).
  auto a = start_monitor(client, 1, "1000", ed4);
  auto b = start_monitor(client, 2, "1001", ed4);
  auto call = client.request(3, root("MakeCall", ed4, "<callingDevice>1000</callingDevice>"
                                                       "<calledDirectoryNumber>1001</calledDirectoryNumber>"))
                  .at("callingDevice/callID");
  REQUIRE_FALSE(call.empty());
  REQUIRE(client.events_for(a, 3).size() == 3);
  REQUIRE(client.events_for(b, 1).size() == 1);
  auto r = client.request(4, root("AssociateData", ed4,
                                  connection("existingCall", call, "1000") + "<accountCode>4711</accountCode>"
                                  "<correlatorData><string>case 12</string></correlatorData>"));
  CHECK(r.xml.name == "AssociateDataResponse");
  CHECK(r.xml.ns == ed4);
  CHECK(r.xml.children.empty());
  for (auto& ref : {a, b}) {
    auto events = client.events_for(ref, 1);
    REQUIRE(events.size() == 1);
    auto& e = events[0];
    CHECK(e.invoke_id == 9999);
    CHECK(e.xml.name == "CallInformationEvent");
    CHECK(e.xml.ns == ed4);
    CHECK(e.xml.children.front().name == "monitorCrossRefID");
    CHECK(e.at("monitorCrossRefID") == ref);
    CHECK(e.at("connection/callID") == call);
    CHECK(e.at("connection/deviceID") == "1000");
    CHECK(e.at("device/deviceIdentifier") == "1000");
    CHECK(e.at("callingDevice/deviceIdentifier") == "1000");
    CHECK(e.at("accountInfo") == "4711");
    CHECK(e.at("correlatorData/string") == "case 12");
  }
  // The alerting party adds a correlator of its own: the account code stays with the call.
  client.request(5, root("AssociateData", ed4,
                         connection("existingCall", call, "1001") + "<correlatorData><string>case 13</string></correlatorData>"));
  auto again = client.events_for(b, 1).at(0);
  CHECK(again.at("connection/deviceID") == "1001");
  CHECK(again.at("accountInfo") == "4711");
  CHECK(again.at("correlatorData/string") == "case 13");
  REQUIRE(client.events_for(a, 1).size() == 1);

  check_error(client.request(6, root("AssociateData", ed4, connection("existingCall", call, "1000"))), 6, ed4,
              "operation", "atLeastOneConditionalParameterNotProvided");
  check_error(client.request(7, root("AssociateData", ed4, connection("existingCall", call, "1002") +
                                                              "<accountCode>1</accountCode>")),
              7, ed4, "operation", "invalidConnectionID");
  check_error(client.request(8, root("AssociateData", ed4, connection("existingCall", "4711", "1000") +
                                                              "<accountCode>1</accountCode>")),
              8, ed4, "operation", "invalidCallID");
  // A monitor that filters call information out gets none.
  auto quiet = client.request(9, root("MonitorStart", ed4, "<monitorObject><deviceObject>1001</deviceObject></monitorObject>"
                                                           "<requestedMonitorFilter><callAssociated><callInformation>true"
                                                           "</callInformation></callAssociated></requestedMonitorFilter>"));
  REQUIRE(quiet.xml.name == "MonitorStartResponse");
  CHECK(quiet.at("actualMonitorFilter/callAssociated/callInformation") == "true");
  auto quiet_ref = quiet.at("monitorCrossRefID");
  client.request(10, root("AssociateData", ed4, connection("existingCall", call, "1000") + "<accountCode>9</accountCode>"));
  CHECK(client.events_for(b, 1).at(0).at("accountInfo") == "9");
  REQUIRE(client.events_for(a, 1).size() == 1);
  // The next event the quiet monitor gets is the call's end, not the call information.
  client.request(11, root("ClearConnection", ed4, connection("connectionToBeCleared", call, "1000")));
  auto at_quiet = client.events_for(quiet_ref, 1);
  REQUIRE(at_quiet.size() == 1);
  CHECK(at_quiet[0].xml.name == "ConnectionClearedEvent");
}

TEST_CASE("Set/GetMessageWaitingIndicator: the exchange keeps it per device, its monitors get MessageWaitingEvent") {
  test_server server;
  csta_client client(server.port());
  auto m = start_monitor(client, 1, "1000");
  auto quiet = client.request(2, root("MonitorStart", ed3, "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"
                                                           "<requestedMonitorFilter><physicalDeviceFeature><messageWaiting>true"
                                                           "</messageWaiting></physicalDeviceFeature></requestedMonitorFilter>"));
  REQUIRE(quiet.xml.name == "MonitorStartResponse");
  CHECK(quiet.at("actualMonitorFilter/physicalDeviceFeature/messageWaiting") == "true");
  auto quiet_ref = quiet.at("monitorCrossRefID");

  auto set = client.request(3, root("SetMessageWaitingIndicator", ed3,
                                    "<device>1000</device><messageWaitingOn>true</messageWaitingOn>"));
  CHECK(set.xml.name == "SetMessageWaitingIndicatorResponse");
  CHECK(set.xml.children.empty());
  auto events = client.events_for(m, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].invoke_id == 9999);
  CHECK(events[0].xml.name == "MessageWaitingEvent");
  CHECK(events[0].xml.children.front().name == "monitorCrossRefID");
  CHECK(events[0].at("monitorCrossRefID") == m);
  CHECK(events[0].at("targetDevice/deviceIdentifier") == "1000");
  CHECK(events[0].at("messageWaitingOn") == "true");

  // Another client, later, reads what the exchange keeps for the device.
  {
    csta_client other(server.port());
    auto get = other.request(1, root("GetMessageWaitingIndicator", ed3, "<device>tel:+4687001000</device>"));
    CHECK(get.xml.name == "GetMessageWaitingIndicatorResponse");
    CHECK(get.at("messageWaitingOn") == "true");
    CHECK(other.request(2, root("GetMessageWaitingIndicator", ed3, "<device>1001</device>")).at("messageWaitingOn") ==
          "false");
    CHECK(other.request(3, root("SetMessageWaitingIndicator", ed3,
                                "<device>1000</device><messageWaitingOn>false</messageWaitingOn>"))
              .xml.name == "SetMessageWaitingIndicatorResponse");
  }
  auto off = client.events_for(m, 1);
  REQUIRE(off.size() == 1);
  CHECK(off[0].at("messageWaitingOn") == "false");
  CHECK(client.request(4, root("GetMessageWaitingIndicator", ed3, "<device>1000</device>")).at("messageWaitingOn") ==
        "false");
  // The filtering monitor got neither: its first event is the DND change that follows.
  client.request(5, root("SetDoNotDisturb", ed3, "<device>1000</device><doNotDisturbOn>true</doNotDisturbOn>"));
  auto at_quiet = client.events_for(quiet_ref, 1);
  REQUIRE(at_quiet.size() == 1);
  CHECK(at_quiet[0].xml.name == "DoNotDisturbEvent");

  check_error(client.request(6, root("SetMessageWaitingIndicator", ed3,
                                     "<device>5555</device><messageWaitingOn>true</messageWaitingOn>")),
              6, ed3, "operation", "invalidDeviceID");
  check_error(client.request(7, root("SetMessageWaitingIndicator", ed3,
                                     "<device>6000</device><messageWaitingOn>true</messageWaitingOn>")),
              7, ed3, "operation", "requestIncompatibleWithDevice");
  check_error(client.request(8, root("SetMessageWaitingIndicator", ed3,
                                     "<device>1000</device><messageWaitingOn>blinking</messageWaitingOn>")),
              8, ed3, "operation", "invalidMessageWaitingSetting");
  check_error(client.request(9, root("GetMessageWaitingIndicator", ed3, "<device>7000</device>")), 9, ed3,
              "operation", "requestIncompatibleWithDevice");
}

TEST_CASE("GetLogicalDeviceInformation and GetPhysicalDeviceInformation: what each device of the plan is") {
  test_server server;
  csta_client client(server.port());
  auto logical = [&](int invoke, const std::string& device) {
    return client.request(invoke, root("GetLogicalDeviceInformation", ed3, "<device>" + device + "</device>"));
  };
  auto physical = [&](int invoke, const std::string& device) {
    return client.request(invoke, root("GetPhysicalDeviceInformation", ed3, "<device>" + device + "</device>"));
  };
  auto station = logical(1, "1000");
  REQUIRE(station.xml.name == "GetLogicalDeviceInformationResponse");
  CHECK(station.at("deviceCategory") == "station");
  CHECK(station.xml.child("groupDeviceAttributes") == nullptr);
  CHECK(station.at("hasPhysicalElement") == "true");
  CHECK(station.at("acdModels/visibleACDRelatedDevices") == "true");
  CHECK(station.at("appearanceAddressable") == "false");
  CHECK(station.at("appearanceType") == "selectedStandard");
  auto acd = logical(2, "6000");
  CHECK(acd.at("deviceCategory") == "acd");
  CHECK(acd.at("hasPhysicalElement") == "false");
  auto hunt = logical(3, "7000");
  CHECK(hunt.at("deviceCategory") == "group");
  CHECK(hunt.at("groupDeviceAttributes/hunt") == "true");
  CHECK(hunt.at("hasPhysicalElement") == "false");

  auto set = physical(4, "1000");
  REQUIRE(set.xml.name == "GetPhysicalDeviceInformationResponse");
  CHECK(set.at("deviceCategory") == "station");
  CHECK(set.at("hasLogicalElement") == "true");
  CHECK(set.at("deviceModelName") == "MX-ONE IP extension");

  check_error(logical(5, "5555"), 5, ed3, "operation", "invalidDeviceID");
  check_error(physical(6, "5555"), 6, ed3, "operation", "invalidDeviceID");
  check_error(physical(7, "6000"), 7, ed3, "operation", "requestIncompatibleWithDevice");
  check_error(client.request(8, root("GetPhysicalDeviceInformation", ed3, "")), 8, ed3, "operation", "invalidDeviceID");
}

TEST_CASE("ChangeSystemStatusFilter: the filter in force comes back, another registration is refused") {
  test_server server;
  csta_client client(server.port());
  // OpenScape's SystemRegister (protocol.md 3.2), then the filter for its registration.
  auto reg = client.request(1, root("SystemRegister", ed4, "<requestTypes><systemStatus>true</systemStatus>"
                                                           "<requestSystemStatus>false</requestSystemStatus></requestTypes>"));
  REQUIRE(reg.xml.name == "SystemRegisterResponse");
  auto id = reg.at("sysStatRegisterID");
  REQUIRE_FALSE(id.empty());
  auto r = client.request(2, root("ChangeSystemStatusFilter", ed4,
                                  "<sysStatRegisterID>" + id + "</sysStatRegisterID><requestedStatusFilter>"
                                  "<partiallyDisabled>true</partiallyDisabled><initializing>true</initializing>"
                                  "<normal>false</normal></requestedStatusFilter>"));
  REQUIRE(r.xml.name == "ChangeSystemStatusFilterResponse");
  CHECK(r.xml.ns == ed4);
  auto actual = r.xml.child("actualStatusFilter");
  REQUIRE(actual != nullptr);
  REQUIRE(actual->children.size() == 2);
  CHECK(actual->children[0].name == "initializing");  // schema order
  CHECK(actual->children[0].text == "true");
  CHECK(actual->children[1].name == "partiallyDisabled");
  CHECK(actual->children[1].text == "true");

  // Another connection's registration is not this one's to change.
  csta_client other(server.port());
  check_error(other.request(1, root("ChangeSystemStatusFilter", ed4,
                                    "<sysStatRegisterID>" + id + "</sysStatRegisterID><requestedStatusFilter>"
                                    "<normal>true</normal></requestedStatusFilter>")),
              1, ed4, "operation", "invalidCrossRefID");
  check_error(client.request(3, root("ChangeSystemStatusFilter", ed4,
                                     "<requestedStatusFilter><tired>true</tired></requestedStatusFilter>")),
              3, ed4, "operation", "systemStatusOutOfRange");
  check_error(client.request(4, root("ChangeSystemStatusFilter", ed4, "")), 4, ed4, "operation",
              "invalidParameterValue");
  // Without a registration: the session's own filter, emptied again.
  auto cleared = client.request(5, root("ChangeSystemStatusFilter", ed4, "<requestedStatusFilter/>"));
  REQUIRE(cleared.xml.name == "ChangeSystemStatusFilterResponse");
  REQUIRE(cleared.xml.child("actualStatusFilter") != nullptr);
  CHECK(cleared.xml.child("actualStatusFilter")->children.empty());
}

TEST_CASE("GetCSTAFeatures offers the new services and their events") {
  test_server server;
  csta_client client(server.port());
  auto r = client.request(1, root("GetCSTAFeatures", ed3, ""));
  REQUIRE(r.xml.name == "GetCSTAFeaturesResponse");
  CHECK(r.at("supportedServices/capExchangeServList/getLogicalDeviceInformation") == "true");
  CHECK(r.at("supportedServices/capExchangeServList/getPhysicalDeviceInformation") == "true");
  CHECK(r.at("supportedServices/systemStatServList/changeSystemStatusFilter") == "true");
  CHECK(r.at("supportedServices/callControlServList/singleStepConference") == "true");
  CHECK(r.at("supportedServices/callAssociatedServList/associateData") == "true");
  CHECK(r.at("supportedServices/physDevServList/setMessageWaitingIndicator") == "true");
  CHECK(r.at("supportedServices/physDevServList/getMessageWaitingIndicator") == "true");
  CHECK(r.at("supportedEvents/callAssociatedEvtsList/callInformation") == "true");
  CHECK(r.at("supportedEvents/physDevEvtsList/messageWaiting") == "true");
}

TEST_CASE("routeing by an application over the socket: RouteRegister, RouteRequest, RouteSelect, RouteEnd") {
  test_server server;
  csta_client app(server.port());
  csta_client desk(server.port());
  auto features = app.request(1, root("GetCSTAFeatures", ed3, ""));
  CHECK(features.at("supportedServices/routeingServList/routeRegister") == "true");
  CHECK(features.at("supportedServices/routeingServList/routeSelect") == "true");

  // Only groups configured to route via an application take a registration, one each.
  check_error(app.request(2, root("RouteRegister", ed3, "<routeingDevice>6000</routeingDevice>")), 2, ed3,
              "operation", "requestIncompatibleWithDevice");
  check_error(app.request(3, root("RouteRegister", ed3, "<routeingDevice>5555</routeingDevice>")), 3, ed3,
              "operation", "invalidDeviceID");
  auto registered = app.request(4, root("RouteRegister", ed3, "<routeingDevice>6100</routeingDevice>"));
  REQUIRE(registered.xml.name == "RouteRegisterResponse");
  auto reg = registered.at("routeRegisterReqID");
  REQUIRE_FALSE(reg.empty());
  check_error(desk.request(1, root("RouteRegister", ed3, "<routeingDevice>6100</routeingDevice>")), 1, ed3,
              "subscribedResourceAvailability", "objectRegistrationLimitExceeded");

  auto agent = start_monitor(desk, 2, "1000");
  auto call = server.incoming_call("0812345", "6100");
  // The exchange asks the registered application where the call goes.
  auto ask = app.next();
  REQUIRE(ask);
  CHECK(ask->invoke_id == 9999);
  REQUIRE(ask->xml.name == "RouteRequest");
  CHECK(ask->at("routeRegisterReqID") == reg);
  CHECK(ask->at("currentRoute/deviceIdentifier") == "6100");
  CHECK(ask->at("callingDevice/deviceIdentifier") == "0812345");
  CHECK(ask->at("routedCall/callID") == call);
  auto dialogue = ask->at("routingCrossRefID");
  REQUIRE_FALSE(dialogue.empty());

  // Another connection cannot answer for the application.
  check_error(desk.request(3, root("RouteSelect", ed3, "<routeRegisterReqID>" + reg + "</routeRegisterReqID><routingCrossRefID>" +
                                                        dialogue + "</routingCrossRefID><routeSelected>1000</routeSelected>")),
              3, ed3, "operation", "invalidRouteingCrossRefID");
  // RouteSelect has no positive answer: the call goes to 1000, then RouteEnd closes the dialogue.
  app.send(5, root("RouteSelect", ed3, "<routeRegisterReqID>" + reg + "</routeRegisterReqID><routingCrossRefID>" +
                                           dialogue + "</routingCrossRefID><routeSelected>1000</routeSelected>"));
  auto end = app.next();
  REQUIRE(end);
  CHECK(end->invoke_id == 9999);
  REQUIRE(end->xml.name == "RouteEnd");
  CHECK(end->at("routeRegisterReqID") == reg);
  CHECK(end->at("routingCrossRefID") == dialogue);
  CHECK(end->xml.child("errorValue") == nullptr);
  auto delivered = desk.events_for(agent, 1);
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].xml.name == "DeliveredEvent");
  CHECK(delivered[0].at("connection/callID") == call);
  CHECK(delivered[0].at("alertingDevice/deviceIdentifier") == "1000");
  CHECK(delivered[0].at("cause") == "redirected");
  check_error(app.request(6, root("RouteEnd", ed3, "<routingCrossRefID>" + dialogue + "</routingCrossRefID>")), 6, ed3,
              "operation", "invalidRouteingCrossRefID");

  // Cancelled, the group queues its calls for its agents (1018, 1019 in the demo) as any other.
  auto cancelled = app.request(7, root("RouteRegisterCancel", ed3, "<routeRegisterReqID>" + reg + "</routeRegisterReqID>"));
  CHECK(cancelled.xml.name == "RouteRegisterCancelResponse");
  check_error(app.request(8, root("RouteRegisterCancel", ed3, "<routeRegisterReqID>" + reg + "</routeRegisterReqID>")),
              8, ed3, "operation", "invalidRouteRegistrationCrossRefID");
  auto group = start_monitor(desk, 4, "6100");
  auto second = server.incoming_call("0812346", "6100");
  std::string offered_to;
  for (int seen = 0; seen < 4 && offered_to.empty(); ++seen) {
    auto e = desk.events_for(group, 1);
    REQUIRE(e.size() == 1);
    desk.pending_events()[group].clear();
    if (e[0].xml.name == "DeliveredEvent") {
      CHECK(e[0].at("connection/callID") == second);
      offered_to = e[0].at("alertingDevice/deviceIdentifier");
    }
  }
  CHECK((offered_to == "1018" || offered_to == "1019"));
  CHECK_FALSE(app.next(std::chrono::milliseconds(200)));
}

TEST_CASE("routeing: a registration ends with its connection, and its group routes no more") {
  test_server server;
  auto reg = [&] {
    csta_client app(server.port());
    auto r = app.request(1, root("RouteRegister", ed3, "<routeingDevice>6100</routeingDevice>"));
    REQUIRE(r.xml.name == "RouteRegisterResponse");
    return r.at("routeRegisterReqID");
  }();
  // Once the LIM sees the session end (asynchronously), another application may register for
  // the group; until then the group is taken.
  csta_client next(server.port());
  received again;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (int attempt = 1; std::chrono::steady_clock::now() < deadline; ++attempt) {
    again = next.request(attempt, root("RouteRegister", ed3, "<routeingDevice>6100</routeingDevice>"));
    if (again.xml.name == "RouteRegisterResponse")
      break;
    CHECK(again.at("subscribedResourceAvailability") == "objectRegistrationLimitExceeded");
  }
  REQUIRE(again.xml.name == "RouteRegisterResponse");
  CHECK(again.at("routeRegisterReqID") != reg);
}
