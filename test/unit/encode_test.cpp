// Encoded documents, compared byte for byte: this is what a client receives.

#include <doctest/doctest.h>

#include "protocol/csta_event.hpp"
#include "protocol/csta_error.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/responses.hpp"
#include "protocol/xml_parser.hpp"
#include "protocol/xml_writer.hpp"

using namespace cstad::protocol;

namespace {
const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
const std::string ed3 = R"( xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3")";
}  // namespace

TEST_CASE("positive responses") {
  CHECK(encode_monitor_start_response("7", ns_ed3) ==
        decl + "<MonitorStartResponse" + ed3 + "><monitorCrossRefID>7</monitorCrossRefID></MonitorStartResponse>");
  CHECK(encode_empty_response("MonitorStop", ns_ed3) == decl + "<MonitorStopResponse" + ed3 + "/>");
  CHECK(encode_connection_response("MakeCallResponse", "callingDevice", {"42", "1000"}, ns_ed4) ==
        decl + R"(<MakeCallResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><callingDevice><callID>42</callID><deviceID>1000</deviceID></callingDevice></MakeCallResponse>)");
}

TEST_CASE("CSTAErrorCode keeps the schema's spelling of each category") {
  CHECK(encode_csta_error(errors::operation("invalidDeviceID"), ns_ed3) ==
        decl + "<CSTAErrorCode" + ed3 + "><operation>invalidDeviceID</operation></CSTAErrorCode>");
  CHECK(encode_csta_error(errors::system_resource("overallMonitorLimitExceeded"), ns_ed5) ==
        decl + R"(<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><systemResourceAvailibility>overallMonitorLimitExceeded</systemResourceAvailibility></CSTAErrorCode>)");
  CHECK(encode_csta_error(errors::state("invalidConnectionState"), ns_ed3) ==
        decl + "<CSTAErrorCode" + ed3 + "><stateIncompatibility>invalidConnectionState</stateIncompatibility></CSTAErrorCode>");
  CHECK(encode_csta_error({}, ns_ed3) == decl + "<CSTAErrorCode" + ed3 + "><unspecified/></CSTAErrorCode>");
}

TEST_CASE("call events in schema order") {
  csta_event e;
  e.cross_ref = "7";
  e.connection = {"42", "2001"};
  e.subject = "2001";
  e.calling = "0701234567";
  e.called = "6000";
  e.last_redirection = "6000";
  e.local = connection_state::connected;
  e.cause = event_cause::newCall;
  SUBCASE("EstablishedEvent matches protocol.md 3.4") {
    e.type = event_type::established;
    CHECK(encode_event(e, ns_ed3) ==
          decl + R"(<EstablishedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><establishedConnection><callID>42</callID><deviceID>2001</deviceID></establishedConnection><answeringDevice><deviceIdentifier>2001</deviceIdentifier></answeringDevice><callingDevice><deviceIdentifier>0701234567</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>6000</deviceIdentifier></calledDevice><lastRedirectionDevice><numberDialed>6000</numberDialed></lastRedirectionDevice><localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause></EstablishedEvent>)");
  }
  SUBCASE("DeliveredEvent without redirection says notRequired") {
    e.type = event_type::delivered;
    e.last_redirection.clear();
    e.local = connection_state::alerting;
    CHECK(encode_event(e, ns_ed3) ==
          decl + "<DeliveredEvent" + ed3 + "><monitorCrossRefID>7</monitorCrossRefID><connection><callID>42</callID><deviceID>2001</deviceID></connection><alertingDevice><deviceIdentifier>2001</deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>0701234567</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>6000</deviceIdentifier></calledDevice><lastRedirectionDevice><notRequired/></lastRedirectionDevice><localConnectionInfo>alerting</localConnectionInfo><cause>newCall</cause></DeliveredEvent>");
  }
  SUBCASE("ConnectionClearedEvent matches protocol.md 3.4") {
    e.type = event_type::connection_cleared;
    e.connection = {"42", "0701234567"};
    e.subject = "0701234567";
    e.local = connection_state::null;
    e.cause = event_cause::normalClearing;
    CHECK(encode_event(e, ns_ed3) ==
          decl + "<ConnectionClearedEvent" + ed3 + "><monitorCrossRefID>7</monitorCrossRefID><droppedConnection><callID>42</callID><deviceID>0701234567</deviceID></droppedConnection><releasingDevice><deviceIdentifier>0701234567</deviceIdentifier></releasingDevice><localConnectionInfo>null</localConnectionInfo><cause>normalClearing</cause></ConnectionClearedEvent>");
  }
  SUBCASE("ServiceInitiatedEvent and OriginatedEvent") {
    e.type = event_type::service_initiated;
    e.local = connection_state::initiated;
    e.cause = event_cause::makeCall;
    CHECK(encode_event(e, ns_ed3) ==
          decl + "<ServiceInitiatedEvent" + ed3 + "><monitorCrossRefID>7</monitorCrossRefID><initiatedConnection><callID>42</callID><deviceID>2001</deviceID></initiatedConnection><initiatingDevice><deviceIdentifier>2001</deviceIdentifier></initiatingDevice><localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause></ServiceInitiatedEvent>");
    e.type = event_type::originated;
    e.local = connection_state::connected;
    e.cause = event_cause::newCall;
    CHECK(encode_event(e, ns_ed3) ==
          decl + "<OriginatedEvent" + ed3 + "><monitorCrossRefID>7</monitorCrossRefID><originatedConnection><callID>42</callID><deviceID>2001</deviceID></originatedConnection><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>6000</deviceIdentifier></calledDevice><localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause></OriginatedEvent>");
  }
}

TEST_CASE("text and attribute values are escaped") {
  xml_writer w("a", "urn:x&y");
  w.leaf("b", "N<1>&'\"");
  CHECK(w.finish() == decl + R"(<a xmlns="urn:x&amp;y"><b>N&lt;1&gt;&amp;&apos;&quot;</b></a>)");
}

TEST_CASE("every event cause and connection state round-trips through its name") {
  for (int i = 0; i < 120; ++i) {
    auto c = static_cast<event_cause>(i);
    CHECK(parse_event_cause(to_string(c)) == c);
  }
  CHECK(to_string(event_cause::aCDBusy) == "aCDBusy");
  CHECK(to_string(event_cause::makeConnection) == "makeConnection");
  CHECK_FALSE(parse_event_cause("NewCall"));
  for (int i = 0; i < 7; ++i) {
    auto s = static_cast<connection_state>(i);
    CHECK(parse_connection_state(to_string(s)) == s);
  }
}

TEST_CASE("system status, registration and snapshot responses as in protocol.md") {
  CHECK(encode_request_system_status_response("normal", ns_ed3) ==
        decl + "<RequestSystemStatusResponse" + ed3 + "><systemStatus>normal</systemStatus></RequestSystemStatusResponse>");
  CHECK(encode_system_register_response("27ss", ns_ed4) ==
        decl + R"(<SystemRegisterResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><sysStatRegisterID>27ss</sysStatRegisterID></SystemRegisterResponse>)");
  CHECK(encode_snapshot_device_response({}, ns_ed4) ==
        decl + R"(<SnapshotDeviceResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><crossRefIDorSnapshotData><snapshotData/></crossRefIDorSnapshotData></SnapshotDeviceResponse>)");
  CHECK(encode_snapshot_device_response({{{"42", "2001"}, connection_state::connected}}, ns_ed3) ==
        decl + "<SnapshotDeviceResponse" + ed3 + "><crossRefIDorSnapshotData><snapshotData><snapshotDeviceResponseInfo><connectionIdentifier><callID>42</callID><deviceID>2001</deviceID></connectionIdentifier><localCallState><compoundCallState><localConnectionState>connected</localConnectionState></compoundCallState></localCallState></snapshotDeviceResponseInfo></snapshotData></crossRefIDorSnapshotData></SnapshotDeviceResponse>");
  CHECK(encode_snapshot_call_response({{{"42", "2001"}, connection_state::connected}}, ns_ed3) ==
        decl + "<SnapshotCallResponse" + ed3 + "><crossRefIDorSnapshotData><snapshotData><snapshotCallResponseInfo><deviceOnCall><deviceIdentifier>2001</deviceIdentifier></deviceOnCall><callIdentifier><callID>42</callID><deviceID>2001</deviceID></callIdentifier><localConnectionInfo>connected</localConnectionInfo></snapshotCallResponseInfo></snapshotData></crossRefIDorSnapshotData></SnapshotCallResponse>");
}

TEST_CASE("GetCSTAFeaturesResponse writes the lists it is given, in the order given") {
  csta_features f{{{"capExchangeServList", {"getCSTAFeatures"}}, {"monitoringServList", {"monitorStart", "monitorStop"}}},
                  {{"callControlEvtsList", {"delivered"}}}};
  CHECK(encode_get_csta_features_response(ns_ed3, f) ==
        decl + "<GetCSTAFeaturesResponse" + ed3 + "><supportedServices><capExchangeServList><getCSTAFeatures>true</getCSTAFeatures></capExchangeServList><monitoringServList><monitorStart>true</monitorStart><monitorStop>true</monitorStop></monitoringServList></supportedServices><supportedEvents><callControlEvtsList><delivered>true</delivered></callControlEvtsList></supportedEvents></GetCSTAFeaturesResponse>");
}

TEST_CASE("capability lists are put into the schema's order, unknown entries left out") {
  auto f = features_in_schema_order(
      {{"systemStatServList", "systemStatus"}, {"capExchangeServList", "switchingFunctionDevices"},
       {"systemStatServList", "systemRegister"}, {"capExchangeServList", "getCSTAFeatures"},
       {"systemStatServList", "requestSystemStatus"}, {"monitoringServList", "makeCall"},
       {"capExchangeServList", "getCSTAFeatures"}},
      {{"logicalEvtsList", "forwarding"}, {"callControlEvtsList", "netwReached"},
       {"callControlEvtsList", "callCleared"}, {"callControlEvtsList", "networkReached"}});
  using lists = std::vector<std::pair<std::string, std::vector<std::string>>>;
  CHECK(f.services == lists{{"capExchangeServList", {"getCSTAFeatures", "switchingFunctionDevices"}},
                            {"systemStatServList", {"systemRegister", "requestSystemStatus", "systemStatus"}}});
  CHECK(f.events == lists{{"callControlEvtsList", {"callCleared", "netwReached"}},
                          {"logicalEvtsList", {"forwarding"}}});
  CHECK(capability_position(capability_kind::service, "capExchangeServList", "getSwitchingFunctionDevices"));
  CHECK_FALSE(capability_position(capability_kind::service, "systemStatServList", "getSwitchingFunctionDevices"));
}

TEST_CASE("agent state responses") {
  CHECK(encode_set_agent_state_response("", ns_ed3) == decl + "<SetAgentStateResponse" + ed3 + "/>");
  CHECK(encode_set_agent_state_response("agentNotReady", ns_ed3) ==
        decl + "<SetAgentStateResponse" + ed3 + "><pendingAgentState>agentNotReady</pendingAgentState></SetAgentStateResponse>");
  // As in protocol.md (constructed full response), the path Avaya clients read.
  CHECK(encode_get_agent_state_response({{"4711", "6000", "agentReady"}}, ns_ed3) ==
        decl + "<GetAgentStateResponse" + ed3 + "><agentStateList><agentStateEntry><agentID>4711</agentID><loggedOnState>true</loggedOnState><agentInfo><agentInfoItem><acdGroup>6000</acdGroup><agentState>agentReady</agentState></agentInfoItem></agentInfo></agentStateEntry></agentStateList></GetAgentStateResponse>");
  CHECK(encode_get_agent_state_response({}, ns_ed3) ==
        decl + "<GetAgentStateResponse" + ed3 + "><agentStateList><agentStateEntry><loggedOnState>false</loggedOnState></agentStateEntry></agentStateList></GetAgentStateResponse>");
}

TEST_CASE("GetSwitchingFunctionDevicesResponse and SwitchingFunctionDevices as in protocol.md") {
  CHECK(encode_get_switching_function_devices_response("1", ns_ed3) ==
        decl + "<GetSwitchingFunctionDevicesResponse" + ed3 + "><serviceCrossRefID>1</serviceCrossRefID></GetSwitchingFunctionDevicesResponse>");
  CHECK(encode_switching_function_devices("1", 1, true, {{"2001", "station"}, {"6000", "acd"}}, ns_ed3) ==
        decl + "<SwitchingFunctionDevices" + ed3 + "><serviceCrossRefID>1</serviceCrossRefID><segmentID>1</segmentID><lastSegment>true</lastSegment><deviceList><device><deviceID>2001</deviceID><deviceCategory>station</deviceCategory></device><device><deviceID>6000</deviceID><deviceCategory>acd</deviceCategory></device></deviceList></SwitchingFunctionDevices>");
}

TEST_CASE("every CSTAErrorCode value of every category, as the schema spells it") {
  CHECK(error_values(error_category::operation).size() == 193);
  CHECK(error_values(error_category::state_incompatibility).size() == 28);
  CHECK(error_values(error_category::system_resource_availability).size() == 31);
  CHECK(error_values(error_category::subscribed_resource_availability).size() == 5);
  CHECK(error_values(error_category::performance_management).size() == 2);
  CHECK(error_values(error_category::security).size() == 4);
  CHECK(error_values(error_category::private_data).size() == 1);
  CHECK(is_known(errors::operation("ringVolumnOutOfRange")));  // sic
  CHECK(is_known(errors::operation("connectionReservoationOutOfRange")));  // sic
  CHECK(is_known(errors::system_resource("maxDevicesExceeded")));  // ed6
  CHECK_FALSE(is_known(errors::operation("invalidDevice")));
  CHECK_FALSE(is_known(errors::state("invalidDeviceID")));  // wrong category
  CHECK(is_known({error_category::private_error_code, "E4711"}));
  CHECK(is_known({}));
  // Every value of every category round-trips through the document.
  for (auto c : {error_category::operation, error_category::state_incompatibility,
                 error_category::system_resource_availability,
                 error_category::subscribed_resource_availability,
                 error_category::performance_management, error_category::security,
                 error_category::private_data})
    for (auto v : error_values(c))
      for (auto ns : {ns_ed3, ns_ed6}) {
        csta_error e{c, std::string{v}};
        auto doc = parse_xml(encode_csta_error(e, ns));
        auto back = decode_csta_error(std::get<xml_element>(doc));
        REQUIRE(back);
        CHECK(*back == e);
      }
  auto mitel = parse_xml(R"(<csta:CSTAErrorCode xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed5">
<csta:systemResourceAvailibility>overallMonitorLimitExceeded</csta:systemResourceAvailibility>
</csta:CSTAErrorCode>)");
  CHECK(decode_csta_error(std::get<xml_element>(mitel)) ==
        errors::system_resource("overallMonitorLimitExceeded"));
  auto bogus = parse_xml("<CSTAErrorCode><operation>noSuchThing</operation></CSTAErrorCode>");
  CHECK_FALSE(decode_csta_error(std::get<xml_element>(bogus)));
}

TEST_CASE("responses of the device information, message waiting and system status filter services") {
  logical_device_information hunt{"group", "hunt", false, true, false, "selectedStandard"};
  CHECK(encode_get_logical_device_information_response(hunt, ns_ed3) ==
        decl + "<GetLogicalDeviceInformationResponse" + ed3 +
            "><deviceCategory>group</deviceCategory><groupDeviceAttributes><hunt>true</hunt></groupDeviceAttributes>"
            "<hasPhysicalElement>false</hasPhysicalElement><acdModels><visibleACDRelatedDevices>true"
            "</visibleACDRelatedDevices></acdModels><appearanceAddressable>false</appearanceAddressable>"
            "<appearanceType>selectedStandard</appearanceType></GetLogicalDeviceInformationResponse>");
  physical_device_information set{"station", "", true, "MX-ONE IP extension"};
  CHECK(encode_get_physical_device_information_response(set, ns_ed3) ==
        decl + "<GetPhysicalDeviceInformationResponse" + ed3 +
            "><deviceCategory>station</deviceCategory><hasLogicalElement>true</hasLogicalElement>"
            "<deviceModelName>MX-ONE IP extension</deviceModelName></GetPhysicalDeviceInformationResponse>");
  CHECK(encode_get_message_waiting_indicator_response(true, ns_ed3) ==
        decl + "<GetMessageWaitingIndicatorResponse" + ed3 +
            "><messageWaitingOn>true</messageWaitingOn></GetMessageWaitingIndicatorResponse>");
  // The filter's values in the schema's order, whatever the set's.
  CHECK(encode_change_system_status_filter_response({"partiallyDisabled", "normal", "initializing"}, ns_ed3) ==
        decl + "<ChangeSystemStatusFilterResponse" + ed3 +
            "><actualStatusFilter><initializing>true</initializing><normal>true</normal>"
            "<partiallyDisabled>true</partiallyDisabled></actualStatusFilter></ChangeSystemStatusFilterResponse>");
}
