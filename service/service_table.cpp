#include "service/service_table.hpp"

#include <unordered_map>
#include <variant>

#include "service/event_view.hpp"

namespace cstad::service {
namespace {

using protocol::capability_list;
namespace p = protocol;

// An entry for request type T: its root name, and a runner that hands the decoded request to
// T's handler.
template <class T>
service serve(capability_list capabilities, bool needs_session = true) {
  return {T::root, needs_session, std::move(capabilities),
          [](session_core& s, const incoming& in, p::request& r) { handle(s, in, std::get<T>(r)); }};
}

// ECMA-354 requests are not CSTA services: no capability, and allowed before a session.
template <class T>
service serve_session_request() {
  return serve<T>({}, false);
}

}  // namespace

const std::vector<service>& services() {
  static const std::vector<service> table = {
      serve_session_request<p::start_application_session_request>(),
      serve_session_request<p::reset_application_session_timer_request>(),
      serve_session_request<p::stop_application_session_request>(),
      // The device list follows the response in SwitchingFunctionDevices segments.
      serve<p::get_csta_features_request>({{"capExchangeServList", "getCSTAFeatures"}}),
      serve<p::get_logical_device_information_request>(
          {{"capExchangeServList", "getLogicalDeviceInformation"}}),
      serve<p::get_physical_device_information_request>(
          {{"capExchangeServList", "getPhysicalDeviceInformation"}}),
      serve<p::get_switching_function_devices_request>(
          {{"capExchangeServList", "getSwitchingFunctionDevices"},
           {"capExchangeServList", "switchingFunctionDevices"}}),
      serve<p::change_system_status_filter_request>({{"systemStatServList", "changeSystemStatusFilter"}}),
      serve<p::system_register_request>({{"systemStatServList", "systemRegister"}}),
      serve<p::request_system_status_request>({{"systemStatServList", "requestSystemStatus"}}),
      serve<p::system_status_request>({{"systemStatServList", "systemStatus"}}),
      serve<p::change_monitor_filter_request>({{"monitoringServList", "changeMonitorFilter"}}),
      serve<p::monitor_start_request>({{"monitoringServList", "monitorStart"}}),
      serve<p::monitor_stop_request>({{"monitoringServList", "monitorStop"}}),
      serve<p::snapshot_call_request>({{"snapshotServList", "snapshotCall"}}),
      serve<p::snapshot_device_request>({{"snapshotServList", "snapshotDevice"}}),
      serve<p::alternate_call_request>({{"callControlServList", "alternateCall"}}),
      serve<p::answer_call_request>({{"callControlServList", "answerCall"}}),
      serve<p::clear_call_request>({{"callControlServList", "clearCall"}}),
      serve<p::clear_connection_request>({{"callControlServList", "clearConnection"}}),
      serve<p::conference_call_request>({{"callControlServList", "conferenceCall"}}),
      serve<p::consultation_call_request>({{"callControlServList", "consultationCall"}}),
      serve<p::deflect_call_request>({{"callControlServList", "deflectCall"}}),
      serve<p::hold_call_request>({{"callControlServList", "holdCall"}}),
      serve<p::make_call_request>({{"callControlServList", "makeCall"}}),
      serve<p::reconnect_call_request>({{"callControlServList", "reconnectCall"}}),
      serve<p::retrieve_call_request>({{"callControlServList", "retrieveCall"}}),
      serve<p::single_step_conference_request>({{"callControlServList", "singleStepConference"}}),
      serve<p::single_step_transfer_request>({{"callControlServList", "singleStepTransfer"}}),
      serve<p::transfer_call_request>({{"callControlServList", "transferCall"}}),
      serve<p::associate_data_request>({{"callAssociatedServList", "associateData"}}),
      serve<p::generate_digits_request>({{"callAssociatedServList", "generateDigits"}}),
      serve<p::route_register_request>(
          {{"routeingServList", "routeRegister"}, {"routeingServList", "routeRequest"}}),
      serve<p::route_register_cancel_request>({{"routeingServList", "routeRegisterCancel"}}),
      serve<p::route_select_request>({{"routeingServList", "routeSelect"}}),
      serve<p::route_end_request>({{"routeingServList", "routeEnd"}}),
      serve<p::get_message_waiting_indicator_request>({{"physDevServList", "getMessageWaitingIndicator"}}),
      serve<p::set_message_waiting_indicator_request>({{"physDevServList", "setMessageWaitingIndicator"}}),
      serve<p::get_agent_state_request>({{"logicalServList", "getAgentState"}}),
      serve<p::get_do_not_disturb_request>({{"logicalServList", "getDoNotDisturb"}}),
      serve<p::get_forwarding_request>({{"logicalServList", "getForwarding"}}),
      serve<p::set_agent_state_request>({{"logicalServList", "setAgentState"}}),
      serve<p::set_do_not_disturb_request>({{"logicalServList", "setDoNotDisturb"}}),
      serve<p::set_forwarding_request>({{"logicalServList", "setForwarding"}}),
      // No vendor-private services: Escape is answered, with the error saying so, and is not
      // offered as a capability.
      serve<p::escape_request>({}),
      // A vendor's service (Avaya DMCC), not ECMA-269's: not listed by GetCSTAFeatures.
      serve<p::transfer_monitor_objects_request>({}),
  };
  return table;
}

const service* find_service(std::string_view request) {
  static const auto by_name = [] {
    std::unordered_map<std::string_view, const service*> out;
    for (auto& s : services())
      out.emplace(s.request, &s);
    return out;
  }();
  auto i = by_name.find(request);
  return i == by_name.end() ? nullptr : i->second;
}

std::size_t place_of(const service& s) { return static_cast<std::size_t>(&s - services().data()); }

std::string_view service_label(std::string_view request) {
  auto s = find_service(request);
  return s != nullptr ? s->request : "other";
}

const protocol::csta_features& supported_features() {
  static const auto features = [] {
    capability_list served;
    for (auto& s : services())
      served.insert(served.end(), s.capabilities.begin(), s.capabilities.end());
    capability_list sent;
    for (auto type : events_sent())
      sent.push_back(protocol::capability_of(type));
    return protocol::features_in_schema_order(served, sent);
  }();
  return features;
}

}  // namespace cstad::service
