#pragma once
// Typed CSTA service requests (client -> server), as the decoder produces them. Device ids are
// already reduced to numbers (see device_id.hpp; decoded_request keeps what the client wrote
// beside them). Each type names its root element (`root`);
// the `request` variant at the end is the codec's one list of requests: the decoder and the
// encoder both follow it.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/application_session.hpp"
#include "protocol/csta_error.hpp"
#include "protocol/event_cause.hpp"
#include "protocol/forwarding_type.hpp"
#include "protocol/message_equality.hpp"

namespace cstad::protocol {

/// ConnectionID: a call and a device on it. Either may be absent on the wire.
struct connection_id {
  std::string call;
  std::string device;

  friend bool operator==(const connection_id& a, const connection_id& b) {
    return a.call == b.call && a.device == b.device;
  }
};

template <class Inspector>
auto inspect(Inspector& f, connection_id& x) {
  return f(x.call, x.device);
}

enum class monitor_type : unsigned char { device, call };

struct monitor_start_request {
  static constexpr std::string_view root = "MonitorStart";
  std::string device;                   // monitorObject/deviceObject
  std::optional<connection_id> call;    // monitorObject/callObject
  monitor_type type = monitor_type::device;
  std::set<std::string> suppressed;     // filter names set to true ("true" = do not send)
  // requestedMonitorFilter was sent (the response then says which filter is in force);
  // suppressed is in ECMA polarity even when Avaya's invertFilter flipped the request.
  bool filtered = false;
};

struct monitor_stop_request {
  static constexpr std::string_view root = "MonitorStop";
  std::string cross_ref;
};

struct make_call_request {
  static constexpr std::string_view root = "MakeCall";
  std::string calling;
  std::string called;
  bool prompt = false;  // autoOriginate=prompt: ring the caller first
};

struct answer_call_request {
  static constexpr std::string_view root = "AnswerCall";
  connection_id call;
};

struct clear_connection_request {
  static constexpr std::string_view root = "ClearConnection";
  connection_id connection;
  std::optional<event_cause> reason;
};

struct clear_call_request {
  static constexpr std::string_view root = "ClearCall";
  connection_id call;
};

struct hold_call_request {
  static constexpr std::string_view root = "HoldCall";
  connection_id call;  // callToBeHeld
};

struct retrieve_call_request {
  static constexpr std::string_view root = "RetrieveCall";
  connection_id call;  // callToBeRetrieved
};

struct consultation_call_request {
  static constexpr std::string_view root = "ConsultationCall";
  connection_id existing;
  std::string consulted;
};

// Requests on a held and an active call of one device: TransferCall, ConferenceCall,
// AlternateCall and ReconnectCall differ only in what the exchange does with them.
struct held_active_request {
  connection_id held;
  connection_id active;
};
struct transfer_call_request : held_active_request {
  static constexpr std::string_view root = "TransferCall";
};
struct conference_call_request : held_active_request {
  static constexpr std::string_view root = "ConferenceCall";
};
struct alternate_call_request : held_active_request {
  static constexpr std::string_view root = "AlternateCall";
};
struct reconnect_call_request : held_active_request {
  static constexpr std::string_view root = "ReconnectCall";
};

struct deflect_call_request {
  static constexpr std::string_view root = "DeflectCall";
  connection_id call;  // callToBeDiverted
  std::string destination;
};

struct single_step_transfer_request {
  static constexpr std::string_view root = "SingleStepTransferCall";
  connection_id active;
  std::string to;
};

// SingleStepConferenceCall: deviceToJoin joins the call of activeCall at once, taking part
// (active) or only listening (silent).
enum class participation_type : unsigned char { active, silent };

struct single_step_conference_request {
  static constexpr std::string_view root = "SingleStepConferenceCall";
  connection_id active;  // activeCall
  std::string join;      // deviceToJoin
  participation_type participation = participation_type::active;
};

/// AssociateData: information the application attaches to a call, reported to the call's
/// monitors in CallInformationEvent. At least one of the two is given.
struct associate_data_request {
  static constexpr std::string_view root = "AssociateData";
  connection_id call;       // existingCall
  std::string account;      // accountCode
  std::string correlator;   // correlatorData
};

struct generate_digits_request {
  static constexpr std::string_view root = "GenerateDigits";
  connection_id connection;
  std::string digits;  // charactersToSend
};

struct set_do_not_disturb_request {
  static constexpr std::string_view root = "SetDoNotDisturb";
  std::string device;
  bool on = false;
};

struct get_do_not_disturb_request {
  static constexpr std::string_view root = "GetDoNotDisturb";
  std::string device;
};

struct set_forwarding_request {
  static constexpr std::string_view root = "SetForwarding";
  std::string device;
  forwarding_type type = forwarding_type::forwardImmediate;
  bool activate = false;
  std::string destination;  // forwardDN
  int ring_count = 0;       // 0: not given
};

struct get_forwarding_request {
  static constexpr std::string_view root = "GetForwarding";
  std::string device;
};

enum class requested_agent_state : unsigned char { logged_on, logged_off, not_ready, ready, working_after_call };

struct set_agent_state_request {
  static constexpr std::string_view root = "SetAgentState";
  std::string device;
  requested_agent_state state = requested_agent_state::ready;
  std::string agent_id;
  std::string password;  // hexBinary in the schema, kept as sent
  std::string group;
};

struct get_agent_state_request {
  static constexpr std::string_view root = "GetAgentState";
  std::string device;
};

// Message waiting indicator (physical device feature): on or off per device.
struct set_message_waiting_indicator_request {
  static constexpr std::string_view root = "SetMessageWaitingIndicator";
  std::string device;
  bool on = false;  // messageWaitingOn
};

struct get_message_waiting_indicator_request {
  static constexpr std::string_view root = "GetMessageWaitingIndicator";
  std::string device;
};

struct get_switching_function_devices_request {
  static constexpr std::string_view root = "GetSwitchingFunctionDevices";
  std::string device;    // requestedDeviceID: only this device, if given
  std::string category;  // requestedDeviceCategory (acd, groupACD, groupHunt, station, …), if given
};

// What one device is: its logical element (category, groups) and its physical one (the set).
struct get_logical_device_information_request {
  static constexpr std::string_view root = "GetLogicalDeviceInformation";
  std::string device;
};

struct get_physical_device_information_request {
  static constexpr std::string_view root = "GetPhysicalDeviceInformation";
  std::string device;
};

/// ChangeSystemStatusFilter: the SystemStatus values the client no longer wants to be sent.
struct change_system_status_filter_request {
  static constexpr std::string_view root = "ChangeSystemStatusFilter";
  std::string register_id;           // sysStatRegisterID, if any
  std::set<std::string> suppressed;  // requestedStatusFilter: values set to true
};

struct change_monitor_filter_request {
  static constexpr std::string_view root = "ChangeMonitorFilter";
  std::string cross_ref;
  std::set<std::string> suppressed;  // requestedFilterList: names set to true
};

// Routeing by an application (ECMA-269 routeing services): the client registers for a routeing
// device, the server asks it where each call for the device goes (RouteRequest, a server
// message: response_messages.hpp), the client answers with RouteSelect, and either side ends
// the dialogue with RouteEnd.
struct route_register_request {
  static constexpr std::string_view root = "RouteRegister";
  std::string device;  // routeingDevice
};

struct route_register_cancel_request {
  static constexpr std::string_view root = "RouteRegisterCancel";
  std::string register_id;  // routeRegisterReqID
};

struct route_select_request {
  static constexpr std::string_view root = "RouteSelect";
  std::string register_id;  // routeRegisterReqID, if any
  std::string cross_ref;    // routingCrossRefID
  std::string selected;     // routeSelected
};

/// RouteEnd in either direction: the client abandons a dialogue (and the call is handled as if
/// nobody had been asked), the server ends one (with the reason as errorValue; none: routed).
struct route_end_request {
  static constexpr std::string_view root = "RouteEnd";
  std::string register_id;  // routeRegisterReqID, if any
  std::string cross_ref;    // routingCrossRefID
  std::optional<csta_error> error;  // errorValue
};

/// Escape: a vendor-private service. Its privateData is opaque to us and skipped.
struct escape_request {
  static constexpr std::string_view root = "Escape";
  std::string register_id;  // escapeRegisterID, if any
};

struct request_system_status_request {
  static constexpr std::string_view root = "RequestSystemStatus";
};

struct system_status_request {
  static constexpr std::string_view root = "SystemStatus";
  std::string status;  // one of the SystemStatus values, e.g. "normal"
};

struct system_register_request {
  static constexpr std::string_view root = "SystemRegister";
};

struct get_csta_features_request {
  static constexpr std::string_view root = "GetCSTAFeatures";
};

struct snapshot_device_request {
  static constexpr std::string_view root = "SnapshotDevice";
  std::string device;  // snapshotObject
};

struct snapshot_call_request {
  static constexpr std::string_view root = "SnapshotCall";
  connection_id call;  // snapshotObject
};

CSTAD_EQUALITY(monitor_start_request, v.device, v.call, v.type, v.suppressed, v.filtered)
CSTAD_EQUALITY(monitor_stop_request, v.cross_ref)
CSTAD_EQUALITY(make_call_request, v.calling, v.called, v.prompt)
CSTAD_EQUALITY(answer_call_request, v.call)
CSTAD_EQUALITY(clear_connection_request, v.connection, v.reason)
CSTAD_EQUALITY(clear_call_request, v.call)
CSTAD_EQUALITY(hold_call_request, v.call)
CSTAD_EQUALITY(retrieve_call_request, v.call)
CSTAD_EQUALITY(consultation_call_request, v.existing, v.consulted)
CSTAD_EQUALITY(held_active_request, v.held, v.active)
CSTAD_EQUALITY(deflect_call_request, v.call, v.destination)
CSTAD_EQUALITY(single_step_transfer_request, v.active, v.to)
CSTAD_EQUALITY(generate_digits_request, v.connection, v.digits)
CSTAD_EQUALITY(single_step_conference_request, v.active, v.join, v.participation)
CSTAD_EQUALITY(associate_data_request, v.call, v.account, v.correlator)
CSTAD_EQUALITY(set_message_waiting_indicator_request, v.device, v.on)
CSTAD_EQUALITY(get_message_waiting_indicator_request, v.device)
CSTAD_EQUALITY(get_logical_device_information_request, v.device)
CSTAD_EQUALITY(get_physical_device_information_request, v.device)
CSTAD_EQUALITY(change_system_status_filter_request, v.register_id, v.suppressed)
CSTAD_EQUALITY(route_register_request, v.device)
CSTAD_EQUALITY(route_register_cancel_request, v.register_id)
CSTAD_EQUALITY(route_select_request, v.register_id, v.cross_ref, v.selected)
CSTAD_EQUALITY(route_end_request, v.register_id, v.cross_ref, v.error)
CSTAD_EQUALITY(set_do_not_disturb_request, v.device, v.on)
CSTAD_EQUALITY(get_do_not_disturb_request, v.device)
CSTAD_EQUALITY(set_forwarding_request, v.device, v.type, v.activate, v.destination, v.ring_count)
CSTAD_EQUALITY(get_forwarding_request, v.device)
CSTAD_EQUALITY(set_agent_state_request, v.device, v.state, v.agent_id, v.password, v.group)
CSTAD_EQUALITY(get_agent_state_request, v.device)
CSTAD_EQUALITY(get_switching_function_devices_request, v.device, v.category)
CSTAD_EQUALITY(change_monitor_filter_request, v.cross_ref, v.suppressed)
CSTAD_EQUALITY(escape_request, v.register_id)
CSTAD_EQUALITY(system_status_request, v.status)
CSTAD_EQUALITY(snapshot_device_request, v.device)
CSTAD_EQUALITY(snapshot_call_request, v.call)
CSTAD_EQUALITY(start_application_session_request, v.application_id, v.user_name, v.password,
               v.protocol_versions, v.requested_duration, v.cleanup_delay, v.resume_session_id)
CSTAD_EQUALITY(transfer_monitor_objects_request, v.from_session_id, v.to_session_id)
CSTAD_EQUALITY(stop_application_session_request, v.session_id, v.end_reason)
CSTAD_EQUALITY(reset_application_session_timer_request, v.session_id, v.requested_duration)
CSTAD_NO_FIELDS(request_system_status_request)
CSTAD_NO_FIELDS(system_register_request)
CSTAD_NO_FIELDS(get_csta_features_request)

using request =
    std::variant<monitor_start_request, monitor_stop_request, make_call_request,
                 answer_call_request, clear_connection_request, clear_call_request,
                 hold_call_request, retrieve_call_request, consultation_call_request,
                 transfer_call_request, conference_call_request, alternate_call_request,
                 reconnect_call_request, deflect_call_request, single_step_transfer_request,
                 generate_digits_request, set_do_not_disturb_request, get_do_not_disturb_request,
                 set_forwarding_request, get_forwarding_request, request_system_status_request,
                 system_status_request, system_register_request, get_csta_features_request,
                 snapshot_device_request, snapshot_call_request,
                 start_application_session_request, stop_application_session_request,
                 reset_application_session_timer_request, set_agent_state_request,
                 get_agent_state_request, get_switching_function_devices_request,
                 change_monitor_filter_request, escape_request, single_step_conference_request,
                 associate_data_request, set_message_waiting_indicator_request,
                 get_message_waiting_indicator_request, get_logical_device_information_request,
                 get_physical_device_information_request, change_system_status_filter_request,
                 route_register_request, route_register_cancel_request, route_select_request,
                 route_end_request, transfer_monitor_objects_request>;

}  // namespace cstad::protocol
