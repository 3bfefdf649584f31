// The one table of services: what it lists is what is decoded, dispatched and offered in
// GetCSTAFeaturesResponse.

#include <doctest/doctest.h>

#include <set>

#include "protocol/decode_request.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/requests.hpp"
#include "service/service_table.hpp"

using namespace cstad;
using namespace cstad::service;

TEST_CASE("every request the codec knows is in the table, once") {
  std::set<std::string_view> names;
  for (auto& s : services()) {
    CHECK_MESSAGE(protocol::is_request_name(s.request), s.request);
    CHECK_MESSAGE(names.insert(s.request).second, s.request);
    CHECK(find_service(s.request) == &s);
  }
  CHECK(names.size() == std::variant_size_v<protocol::request>);
  CHECK(find_service("FooBar") == nullptr);
}

TEST_CASE("only the ECMA-354 requests work without an application session") {
  for (auto& s : services()) {
    bool ecma354 = s.request == "StartApplicationSession" || s.request == "StopApplicationSession" ||
                   s.request == "ResetApplicationSessionTimer";
    CHECK_MESSAGE(s.needs_session == !ecma354, s.request);
  }
}

TEST_CASE("GetCSTAFeaturesResponse: the table's services and the events sent, in schema order") {
  auto doc = protocol::encode_get_csta_features_response(protocol::ns_ed3, supported_features());
  CHECK(doc ==
        R"(<?xml version="1.0" encoding="UTF-8"?><GetCSTAFeaturesResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><supportedServices>)"
        "<capExchangeServList><getCSTAFeatures>true</getCSTAFeatures><getLogicalDeviceInformation>true</getLogicalDeviceInformation><getPhysicalDeviceInformation>true</getPhysicalDeviceInformation><getSwitchingFunctionDevices>true</getSwitchingFunctionDevices><switchingFunctionDevices>true</switchingFunctionDevices></capExchangeServList>"
        "<systemStatServList><changeSystemStatusFilter>true</changeSystemStatusFilter><systemRegister>true</systemRegister><requestSystemStatus>true</requestSystemStatus><systemStatus>true</systemStatus></systemStatServList>"
        "<monitoringServList><changeMonitorFilter>true</changeMonitorFilter><monitorStart>true</monitorStart><monitorStop>true</monitorStop></monitoringServList>"
        "<snapshotServList><snapshotCall>true</snapshotCall><snapshotDevice>true</snapshotDevice></snapshotServList>"
        "<callControlServList><alternateCall>true</alternateCall><answerCall>true</answerCall><clearCall>true</clearCall><clearConnection>true</clearConnection><conferenceCall>true</conferenceCall><consultationCall>true</consultationCall><deflectCall>true</deflectCall><holdCall>true</holdCall><makeCall>true</makeCall><reconnectCall>true</reconnectCall><retrieveCall>true</retrieveCall><singleStepConference>true</singleStepConference><singleStepTransfer>true</singleStepTransfer><transferCall>true</transferCall></callControlServList>"
        "<callAssociatedServList><associateData>true</associateData><generateDigits>true</generateDigits></callAssociatedServList>"
        "<routeingServList><routeRegister>true</routeRegister><routeRegisterCancel>true</routeRegisterCancel><routeEnd>true</routeEnd><routeRequest>true</routeRequest><routeSelect>true</routeSelect></routeingServList>"
        "<physDevServList><getMessageWaitingIndicator>true</getMessageWaitingIndicator><setMessageWaitingIndicator>true</setMessageWaitingIndicator></physDevServList>"
        "<logicalServList><getAgentState>true</getAgentState><getDoNotDisturb>true</getDoNotDisturb><getForwarding>true</getForwarding><setAgentState>true</setAgentState><setDoNotDisturb>true</setDoNotDisturb><setForwarding>true</setForwarding></logicalServList>"
        "</supportedServices><supportedEvents>"
        "<callControlEvtsList><callCleared>true</callCleared><conferenced>true</conferenced><connectionCleared>true</connectionCleared><delivered>true</delivered><diverted>true</diverted><established>true</established><failed>true</failed><held>true</held><netwReached>true</netwReached><originated>true</originated><queued>true</queued><retrieved>true</retrieved><serviceInitiated>true</serviceInitiated><transferred>true</transferred></callControlEvtsList>"
        "<callAssociatedEvtsList><callInformation>true</callInformation><digitsGenerated>true</digitsGenerated></callAssociatedEvtsList>"
        "<physDevEvtsList><messageWaiting>true</messageWaiting></physDevEvtsList>"
        "<logicalEvtsList><agentBusy>true</agentBusy><agentLoggedOff>true</agentLoggedOff><agentLoggedOn>true</agentLoggedOn><agentNotReady>true</agentNotReady><agentReady>true</agentReady><agentWorkingAfterCall>true</agentWorkingAfterCall><doNotDisturb>true</doNotDisturb><forwarding>true</forwarding></logicalEvtsList>"
        "<deviceMaintEvtsList><backInService>true</backInService><outOfService>true</outOfService></deviceMaintEvtsList>"
        "</supportedEvents></GetCSTAFeaturesResponse>");
}

TEST_CASE("every capability of the table is one the schema has, in that list") {
  for (auto& s : services())
    for (auto& [list, entry] : s.capabilities)
      CHECK_MESSAGE(protocol::capability_position(protocol::capability_kind::service, list, entry),
                    list << "/" << entry);
}
