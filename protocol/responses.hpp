#pragma once
// Positive responses (server -> client).

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/connection_state.hpp"
#include "protocol/forwarding_type.hpp"

#include "protocol/requests.hpp"

namespace cstad::protocol {

/// <MonitorStartResponse><monitorCrossRefID>…</monitorCrossRefID>[<actualMonitorFilter>…]
/// </MonitorStartResponse>; actual_filter: the names suppressed, when the client sent a filter.
std::string encode_monitor_start_response(std::string_view cross_ref, std::string_view ns,
                                          const std::set<std::string>* actual_filter = nullptr);

/// A response carrying one ConnectionID, e.g. MakeCallResponse/callingDevice,
/// ConsultationCallResponse/initiatedCall, TransferCallResponse/transferredCall.
std::string encode_connection_response(std::string_view root, std::string_view element,
                                       const connection_id& c, std::string_view ns);

/// <RequestSystemStatusResponse><systemStatus>status</systemStatus></…>
std::string encode_request_system_status_response(std::string_view status, std::string_view ns);

/// <SystemRegisterResponse><sysStatRegisterID>id</sysStatRegisterID></SystemRegisterResponse>
std::string encode_system_register_response(std::string_view id, std::string_view ns);

/// Capability lists: list name (e.g. callControlServList) -> the entries set to true.
struct csta_features {
  std::vector<std::pair<std::string, std::vector<std::string>>> services;
  std::vector<std::pair<std::string, std::vector<std::string>>> events;
};

/// GetCSTAFeaturesResponse with the given lists, written as given (see capabilities.hpp for
/// putting them into the schema's order).
std::string encode_get_csta_features_response(std::string_view ns, const csta_features& features);

/// One connection in a snapshot: its ConnectionID and its state.
struct snapshot_entry {
  connection_id connection;
  connection_state state = connection_state::null;
};

/// SnapshotDeviceResponse with inline snapshotData: one snapshotDeviceResponseInfo per call.
std::string encode_snapshot_device_response(const std::vector<snapshot_entry>& calls,
                                            std::string_view ns);

/// SnapshotCallResponse with inline snapshotData: one snapshotCallResponseInfo per device.
std::string encode_snapshot_call_response(const std::vector<snapshot_entry>& devices,
                                          std::string_view ns);

/// <SetAgentStateResponse>[<pendingAgentState>…</pendingAgentState>]</SetAgentStateResponse>
std::string encode_set_agent_state_response(std::string_view pending, std::string_view ns);

/// One agent in one group, as GetAgentStateResponse lists it.
struct agent_entry {
  std::string agent_id;
  std::string group;
  std::string state;  // agentNotReady, agentNull, agentReady, agentBusy, agentWorkingAfterCall
};

/// GetAgentStateResponse/agentStateList: one agentStateEntry per agent, loggedOnState false
/// (and no entries) when nobody is logged on at the device.
std::string encode_get_agent_state_response(const std::vector<agent_entry>& agents,
                                            std::string_view ns);

/// <GetSwitchingFunctionDevicesResponse><serviceCrossRefID>id</serviceCrossRefID></…>
std::string encode_get_switching_function_devices_response(std::string_view cross_ref,
                                                           std::string_view ns);

/// One segment of the device list: <SwitchingFunctionDevices> with serviceCrossRefID,
/// segmentID, lastSegment and deviceList/device(deviceID, deviceCategory).
std::string encode_switching_function_devices(
    std::string_view cross_ref, int segment, bool last,
    const std::vector<std::pair<std::string, std::string>>& devices, std::string_view ns);

/// <GetDoNotDisturbResponse><doNotDisturbOn>…</doNotDisturbOn></GetDoNotDisturbResponse>
std::string encode_get_do_not_disturb_response(bool on, std::string_view ns);

struct forwarding_entry {
  forwarding_type type = forwarding_type::forwardImmediate;
  bool active = false;
  std::string destination;
};

/// <GetForwardingResponse><forwardingList><forwardListItem>…</forwardListItem>…
std::string encode_get_forwarding_response(const std::vector<forwarding_entry>& list,
                                           std::string_view ns);

/// <GetMessageWaitingIndicatorResponse><messageWaitingOn>…</messageWaitingOn></…>
std::string encode_get_message_waiting_indicator_response(bool on, std::string_view ns);

/// <ChangeSystemStatusFilterResponse><actualStatusFilter>…</actualStatusFilter></…>: the
/// SystemStatus values the session leaves out from now on.
std::string encode_change_system_status_filter_response(const std::set<std::string>& actual,
                                                        std::string_view ns);

/// What GetLogicalDeviceInformationResponse says of a device (ECMA-269 13.1.2: its mandatory
/// parts and the ones this server knows).
struct logical_device_information {
  std::string category;             // deviceCategory: station, acd, group, …
  std::string group;                // groupDeviceAttributes when category is group: acd, hunt, …
  bool has_physical = true;         // hasPhysicalElement: a set is (or can be) attached
  bool visible_acd_devices = true;  // acdModels: an ACD's agents are devices of their own
  bool appearance_addressable = false;
  std::string appearance_type = "selectedStandard";  // several calls, one of them active
};

/// What GetPhysicalDeviceInformationResponse says of a device.
struct physical_device_information {
  std::string category;
  std::string group;
  bool has_logical = true;  // hasLogicalElement
  std::string model;        // deviceModelName; empty: not given
};

std::string encode_get_logical_device_information_response(const logical_device_information& info,
                                                            std::string_view ns);
std::string encode_get_physical_device_information_response(const physical_device_information& info,
                                                             std::string_view ns);

/// <RouteRegisterResponse><routeRegisterReqID>id</routeRegisterReqID></RouteRegisterResponse>
std::string encode_route_register_response(std::string_view register_id, std::string_view ns);

/// RouteRequest, the server asking the registered application where a call goes: its
/// registration, the routeing dialogue, the number the call is for (currentRoute), the caller
/// and the call at the routeing device (routedCall).
struct route_request {
  std::string register_id;
  std::string cross_ref;
  std::string current_route;
  std::string calling;  // empty: not known
  connection_id call;
};
std::string encode_route_request(const route_request& r, std::string_view ns);

/// An empty positive response to the request named request_name: <request_nameResponse/>.
std::string encode_empty_response(std::string_view request_name, std::string_view ns);

}  // namespace cstad::protocol
