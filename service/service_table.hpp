#pragma once
// The one table of the services this server offers. It drives decoding (a request is decoded
// only when the table has it), dispatch (each entry runs its handler) and the GetCSTAFeatures
// answer (each entry names its capabilities), so the three cannot disagree. The handlers are
// the translation of requests into exchange operations and of outcomes into responses; they
// live in the *_services.cpp files, one per service group.

#include <string_view>
#include <vector>

#include "protocol/capabilities.hpp"
#include "protocol/requests.hpp"
#include "protocol/responses.hpp"
#include "service/session_core.hpp"

namespace cstad::service {

struct service {
  std::string_view request;  // root element name
  /// False for the ECMA-354 requests, which must work before an application session exists.
  bool needs_session = true;
  protocol::capability_list capabilities;  // (list, entry) in supportedServices
  void (*run)(session_core&, const incoming&, protocol::request&) = nullptr;
};

/// Every service, in the schema's order of capability lists.
const std::vector<service>& services();

/// The entry for a request's root element name, or nullptr (serviceNotSupported).
const service* find_service(std::string_view request);

/// The entry's place in services(): what session_stats counts requests by.
std::size_t place_of(const service& s);

/// The service a metric names for a request's root element: the table's name, or "other" (a
/// client's text is never a label, so the set of labels stays finite).
std::string_view service_label(std::string_view request);

/// GetCSTAFeaturesResponse's lists: the table's capabilities and every event a monitor can
/// receive, in schema order.
const protocol::csta_features& supported_features();

// -- Handlers, one per request type ---------------------------------------------------------

// application_session_services.cpp
void handle(session_core&, const incoming&, protocol::start_application_session_request&);
void handle(session_core&, const incoming&, protocol::reset_application_session_timer_request&);
void handle(session_core&, const incoming&, protocol::stop_application_session_request&);
void handle(session_core&, const incoming&, protocol::transfer_monitor_objects_request&);
// system_services.cpp
void handle(session_core&, const incoming&, protocol::get_csta_features_request&);
void handle(session_core&, const incoming&, protocol::get_switching_function_devices_request&);
void handle(session_core&, const incoming&, protocol::request_system_status_request&);
void handle(session_core&, const incoming&, protocol::system_status_request&);
void handle(session_core&, const incoming&, protocol::system_register_request&);
void handle(session_core&, const incoming&, protocol::escape_request&);
void handle(session_core&, const incoming&, protocol::get_logical_device_information_request&);
void handle(session_core&, const incoming&, protocol::get_physical_device_information_request&);
void handle(session_core&, const incoming&, protocol::change_system_status_filter_request&);
// monitoring_services.cpp
void handle(session_core&, const incoming&, protocol::monitor_start_request&);
void handle(session_core&, const incoming&, protocol::monitor_stop_request&);
void handle(session_core&, const incoming&, protocol::change_monitor_filter_request&);
// snapshot_services.cpp
void handle(session_core&, const incoming&, protocol::snapshot_call_request&);
void handle(session_core&, const incoming&, protocol::snapshot_device_request&);
// call_control_services.cpp
void handle(session_core&, const incoming&, protocol::alternate_call_request&);
void handle(session_core&, const incoming&, protocol::answer_call_request&);
void handle(session_core&, const incoming&, protocol::clear_call_request&);
void handle(session_core&, const incoming&, protocol::clear_connection_request&);
void handle(session_core&, const incoming&, protocol::conference_call_request&);
void handle(session_core&, const incoming&, protocol::consultation_call_request&);
void handle(session_core&, const incoming&, protocol::deflect_call_request&);
void handle(session_core&, const incoming&, protocol::hold_call_request&);
void handle(session_core&, const incoming&, protocol::make_call_request&);
void handle(session_core&, const incoming&, protocol::reconnect_call_request&);
void handle(session_core&, const incoming&, protocol::retrieve_call_request&);
void handle(session_core&, const incoming&, protocol::single_step_transfer_request&);
void handle(session_core&, const incoming&, protocol::transfer_call_request&);
void handle(session_core&, const incoming&, protocol::generate_digits_request&);
void handle(session_core&, const incoming&, protocol::single_step_conference_request&);
void handle(session_core&, const incoming&, protocol::associate_data_request&);
// routeing_services.cpp
void handle(session_core&, const incoming&, protocol::route_register_request&);
void handle(session_core&, const incoming&, protocol::route_register_cancel_request&);
void handle(session_core&, const incoming&, protocol::route_select_request&);
void handle(session_core&, const incoming&, protocol::route_end_request&);
// physical_device_services.cpp
void handle(session_core&, const incoming&, protocol::set_message_waiting_indicator_request&);
void handle(session_core&, const incoming&, protocol::get_message_waiting_indicator_request&);
// logical_device_services.cpp
void handle(session_core&, const incoming&, protocol::get_agent_state_request&);
void handle(session_core&, const incoming&, protocol::get_do_not_disturb_request&);
void handle(session_core&, const incoming&, protocol::get_forwarding_request&);
void handle(session_core&, const incoming&, protocol::set_agent_state_request&);
void handle(session_core&, const incoming&, protocol::set_do_not_disturb_request&);
void handle(session_core&, const incoming&, protocol::set_forwarding_request&);

}  // namespace cstad::service
