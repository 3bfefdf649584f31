// Decoders of the system, snapshot, agent state, switching function devices, monitor filter,
// routeing and escape requests (request_decoding.hpp).

#include "protocol/monitor_filter.hpp"
#include "protocol/request_decoding.hpp"
#include "protocol/system_status_filter.hpp"

namespace cstad::protocol::decoding {

// Requests without mandatory fields (extensions, if any, are ignored).
field_error decode(const xml_element&, request_system_status_request&,
                   device_reader&) { return std::nullopt; }
field_error decode(const xml_element&, system_register_request&,
                   device_reader&) { return std::nullopt; }
field_error decode(const xml_element&, get_csta_features_request&,
                   device_reader&) { return std::nullopt; }

field_error decode(const xml_element& root, system_status_request& r, device_reader&) {
  auto status = root.child_text("systemStatus");
  if (status == nullptr || !is_system_status(*status))
    return errors::operation("systemStatusOutOfRange");
  r.status = *status;
  return std::nullopt;
}

// sysStatRegisterID is the registration the filter belongs to; this server keeps one filter per
// session (it sends SystemStatus to every session, registered or not), so it may be left out.
field_error decode(const xml_element& root, change_system_status_filter_request& r, device_reader&) {
  if (auto id = root.child_text("sysStatRegisterID"))
    r.register_id = *id;
  auto filter = root.child("requestedStatusFilter");
  if (filter == nullptr)
    return errors::operation("invalidParameterValue");
  auto suppressed = read_status_filter(*filter);
  if (!suppressed)
    return errors::operation("systemStatusOutOfRange");
  r.suppressed = std::move(*suppressed);
  return std::nullopt;
}

field_error decode(const xml_element& root, snapshot_device_request& r, device_reader& device) {
  return read_device(root, "snapshotObject", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, snapshot_call_request& r, device_reader& device) {
  auto object = root.child("snapshotObject");
  if (object == nullptr || object->child_text("callID") == nullptr)
    return errors::operation("invalidCallID");
  r.call.call = *object->child_text("callID");
  if (auto dev = object->child_text("deviceID"))
    r.call.device = device(*dev);
  return std::nullopt;
}

field_error decode(const xml_element& root, set_agent_state_request& r, device_reader& device) {
  if (auto err = read_device(root, "device", r.device, "invalidDeviceID", device))
    return err;
  auto state = root.child_text("requestedAgentState");
  if (state == nullptr)
    return errors::operation("invalidAgentState");
  if (*state == "loggedOn")
    r.state = requested_agent_state::logged_on;
  else if (*state == "loggedOff")
    r.state = requested_agent_state::logged_off;
  else if (*state == "notReady")
    r.state = requested_agent_state::not_ready;
  else if (*state == "ready")
    r.state = requested_agent_state::ready;
  else if (*state == "workingAfterCall")
    r.state = requested_agent_state::working_after_call;
  else
    return errors::operation("agentStateOutOfRange");
  if (auto id = root.child_text("agentID"))
    r.agent_id = *id;
  if (auto password = root.child_text("password"))
    r.password = *password;
  if (auto group = root.child_text("group"))
    r.group = device(*group);
  return std::nullopt;
}

field_error decode(const xml_element& root, get_agent_state_request& r, device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

namespace {

bool is_requested_category(const std::string& c) {
  for (auto v : {"acd", "groupACD", "groupHunt", "groupPick", "groupUser", "groupOther",
                 "networkInterface", "park", "routeingDevice", "station", "voiceUnit", "other"})
    if (c == v)
      return true;
  return false;
}

}  // namespace

field_error decode(const xml_element& root, get_switching_function_devices_request& r,
                   device_reader& device) {
  if (auto dev = root.child_text("requestedDeviceID"))
    r.device = device(*dev);
  if (auto category = root.child_text("requestedDeviceCategory")) {
    if (!is_requested_category(*category))
      return errors::operation("invalidParameterValue");
    r.category = *category;
  }
  return std::nullopt;
}

// Filter names set to true in a requestedMonitorFilter / requestedFilterList.
field_error decode(const xml_element& root, change_monitor_filter_request& r, device_reader&) {
  auto ref = root.child_text("monitorCrossRefID");
  if (ref == nullptr)
    return errors::operation("invalidMonitorCrossRefID");
  r.cross_ref = *ref;
  if (root.child("requestedFilterList") == nullptr)
    return errors::operation("invalidMonitorFilter");
  r.suppressed = read_monitor_filter(root.child("requestedFilterList"), inverts_filter(root));
  return std::nullopt;
}

field_error decode(const xml_element& root, route_register_request& r, device_reader& device) {
  return read_device(root, "routeingDevice", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, route_register_cancel_request& r, device_reader&) {
  auto id = root.child_text("routeRegisterReqID");
  if (id == nullptr)
    return errors::operation("invalidRouteRegistrationCrossRefID");
  r.register_id = *id;
  return std::nullopt;
}

namespace {

// The dialogue a RouteSelect or RouteEnd belongs to: routingCrossRefID, and the registration
// when the client names it.
field_error read_dialogue(const xml_element& root, std::string& register_id, std::string& cross_ref) {
  if (auto id = root.child_text("routeRegisterReqID"))
    register_id = *id;
  auto ref = root.child_text("routingCrossRefID");
  if (ref == nullptr)
    return errors::operation("invalidRouteingCrossRefID");
  cross_ref = *ref;
  return std::nullopt;
}

}  // namespace

field_error decode(const xml_element& root, route_select_request& r, device_reader& device) {
  if (auto err = read_dialogue(root, r.register_id, r.cross_ref))
    return err;
  return read_device(root, "routeSelected", r.selected, "invalidDestination", device);
}

field_error decode(const xml_element& root, route_end_request& r, device_reader&) {
  if (auto err = read_dialogue(root, r.register_id, r.cross_ref))
    return err;
  if (auto value = root.child("errorValue")) {
    r.error = read_error_value(*value);
    if (!r.error)
      return errors::operation("invalidParameterValue");
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, escape_request& r, device_reader&) {
  if (auto id = root.child_text("escapeRegisterID"))
    r.register_id = *id;
  return std::nullopt;
}

}  // namespace cstad::protocol::decoding
