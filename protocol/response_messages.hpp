#pragma once
// Typed positive responses (and the ECMA-354 server messages) in both directions: the server
// encodes them, a client decodes them. The plain encoders stand in responses.hpp and
// application_session.hpp; this adds the struct view and the decoder.

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "protocol/message_equality.hpp"
#include "protocol/responses.hpp"

namespace cstad::protocol {

struct xml_element;

struct monitor_start_response {
  std::string cross_ref;
  std::optional<std::set<std::string>> actual_filter;  // actualMonitorFilter: names suppressed
};
/// <NameResponse/> for the requests whose positive response is empty.
struct empty_response { std::string request; };
/// MakeCall/ConsultationCall/TransferCall/ConferenceCall/SingleStepTransferCall/
/// SingleStepConferenceCall responses.
struct connection_response {
  std::string request;  // e.g. "MakeCall"
  connection_id connection;
};
struct get_do_not_disturb_response { bool on = false; };
struct get_forwarding_response { std::vector<forwarding_entry> list; };
struct set_agent_state_response { std::string pending; };
struct get_agent_state_response { std::vector<agent_entry> agents; };
struct request_system_status_response { std::string status; };
struct system_register_response { std::string id; };
struct get_csta_features_response { csta_features features; };
struct snapshot_device_response { std::vector<snapshot_entry> calls; };
struct snapshot_call_response { std::vector<snapshot_entry> devices; };
struct get_switching_function_devices_response { std::string cross_ref; };
struct route_register_response { std::string register_id; };
struct get_message_waiting_indicator_response { bool on = false; };
struct change_system_status_filter_response { std::set<std::string> actual; };  // values left out
struct get_logical_device_information_response { logical_device_information info; };
struct get_physical_device_information_response { physical_device_information info; };

struct switching_function_devices {
  std::string cross_ref;
  int segment = 1;
  bool last = true;
  std::vector<std::pair<std::string, std::string>> devices;  // deviceID, deviceCategory
};
// ECMA-354.
struct start_application_session_pos { std::string session_id, version; int duration = 0; };
struct application_session_neg {
  std::string request;  // StartApplicationSession, StopApplicationSession, …
  std::string defined_error;
};
struct stop_application_session_pos {};
struct reset_application_session_timer_pos { int duration = 0; };
struct application_session_terminated {
  std::string session_id, reason;
  bool by_server = false;  // reason is a serverTermReason, not a definedTermReason
};

CSTAD_EQUALITY(monitor_start_response, v.cross_ref, v.actual_filter)
CSTAD_EQUALITY(empty_response, v.request)
CSTAD_EQUALITY(connection_response, v.request, v.connection)
CSTAD_EQUALITY(get_do_not_disturb_response, v.on)
CSTAD_EQUALITY(forwarding_entry, v.type, v.active, v.destination)
CSTAD_EQUALITY(get_forwarding_response, v.list)
CSTAD_EQUALITY(set_agent_state_response, v.pending)
CSTAD_EQUALITY(agent_entry, v.agent_id, v.group, v.state)
CSTAD_EQUALITY(get_agent_state_response, v.agents)
CSTAD_EQUALITY(request_system_status_response, v.status)
CSTAD_EQUALITY(system_register_response, v.id)
CSTAD_EQUALITY(csta_features, v.services, v.events)
CSTAD_EQUALITY(get_csta_features_response, v.features)
CSTAD_EQUALITY(snapshot_entry, v.connection, v.state)
CSTAD_EQUALITY(snapshot_device_response, v.calls)
CSTAD_EQUALITY(snapshot_call_response, v.devices)
CSTAD_EQUALITY(get_switching_function_devices_response, v.cross_ref)
CSTAD_EQUALITY(route_register_response, v.register_id)
CSTAD_EQUALITY(route_request, v.register_id, v.cross_ref, v.current_route, v.calling, v.call)
CSTAD_EQUALITY(get_message_waiting_indicator_response, v.on)
CSTAD_EQUALITY(change_system_status_filter_response, v.actual)
CSTAD_EQUALITY(logical_device_information, v.category, v.group, v.has_physical, v.visible_acd_devices,
               v.appearance_addressable, v.appearance_type)
CSTAD_EQUALITY(get_logical_device_information_response, v.info)
CSTAD_EQUALITY(physical_device_information, v.category, v.group, v.has_logical, v.model)
CSTAD_EQUALITY(get_physical_device_information_response, v.info)

CSTAD_EQUALITY(switching_function_devices, v.cross_ref, v.segment, v.last, v.devices)
CSTAD_EQUALITY(start_application_session_pos, v.session_id, v.version, v.duration)
CSTAD_EQUALITY(application_session_neg, v.request, v.defined_error)
CSTAD_NO_FIELDS(stop_application_session_pos)
CSTAD_EQUALITY(reset_application_session_timer_pos, v.duration)
CSTAD_EQUALITY(application_session_terminated, v.session_id, v.reason, v.by_server)

using response =
    std::variant<monitor_start_response, empty_response, connection_response,
                 get_do_not_disturb_response, get_forwarding_response, set_agent_state_response,
                 get_agent_state_response, request_system_status_response, system_register_response,
                 get_csta_features_response, snapshot_device_response, snapshot_call_response,
                 get_switching_function_devices_response, switching_function_devices,
                 get_message_waiting_indicator_response, change_system_status_filter_response,
                 get_logical_device_information_response, get_physical_device_information_response,
                 route_register_response, route_request,
                 start_application_session_pos, application_session_neg,
                 stop_application_session_pos, reset_application_session_timer_pos,
                 application_session_terminated>;

/// The document (CSTA responses in ns; ECMA-354 ones in their own namespace). Empty for an
/// application_session_neg whose request is not an ECMA-354 request (decode_response never
/// gives one).
std::string encode_response(const response& r, std::string_view ns);

/// A response document back into its struct; nothing when it is not one (a CSTAErrorCode is
/// decoded by decode_csta_error). Of the Neg responses only ECMA-354's exist: Start/Stop
/// ApplicationSession and ResetApplicationSessionTimer.
std::optional<response> decode_response(const xml_element& root);

}  // namespace cstad::protocol
