#include "protocol/responses.hpp"

#include "protocol/common_types_xml.hpp"
#include "protocol/monitor_filter.hpp"
#include "protocol/system_status_filter.hpp"

namespace cstad::protocol {

std::string encode_monitor_start_response(std::string_view cross_ref, std::string_view ns,
                                          const std::set<std::string>* actual_filter) {
  xml_writer w("MonitorStartResponse", ns);
  w.leaf("monitorCrossRefID", cross_ref);
  if (actual_filter != nullptr)
    write_monitor_filter(w, "actualMonitorFilter", *actual_filter);
  return w.finish();
}

std::string encode_connection_response(std::string_view root, std::string_view element,
                                       const connection_id& c, std::string_view ns) {
  xml_writer w(root, ns);
  write_connection(w, element, c);
  return w.finish();
}

std::string encode_get_do_not_disturb_response(bool on, std::string_view ns) {
  xml_writer w("GetDoNotDisturbResponse", ns);
  w.leaf("doNotDisturbOn", on ? "true" : "false");
  return w.finish();
}

std::string encode_get_forwarding_response(const std::vector<forwarding_entry>& list,
                                           std::string_view ns) {
  xml_writer w("GetForwardingResponse", ns);
  w.open("forwardingList");
  for (auto& f : list) {
    w.open("forwardListItem");
    w.leaf("forwardingType", to_string(f.type));
    w.leaf("forwardStatus", f.active ? "true" : "false");
    if (!f.destination.empty())
      w.leaf("forwardDN", f.destination);
    w.close("forwardListItem");
  }
  w.close("forwardingList");
  return w.finish();
}

std::string encode_get_message_waiting_indicator_response(bool on, std::string_view ns) {
  xml_writer w("GetMessageWaitingIndicatorResponse", ns);
  w.leaf("messageWaitingOn", on ? "true" : "false");
  return w.finish();
}

std::string encode_change_system_status_filter_response(const std::set<std::string>& actual,
                                                        std::string_view ns) {
  xml_writer w("ChangeSystemStatusFilterResponse", ns);
  write_status_filter(w, "actualStatusFilter", actual);
  return w.finish();
}

namespace {

// deviceCategory and, for a group, groupDeviceAttributes: how both responses begin.
void write_category(xml_writer& w, const std::string& category, const std::string& group) {
  w.leaf("deviceCategory", category);
  if (group.empty())
    return;
  w.open("groupDeviceAttributes");
  w.leaf(group, "true");
  w.close("groupDeviceAttributes");
}

const char* boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string encode_get_logical_device_information_response(const logical_device_information& info,
                                                            std::string_view ns) {
  xml_writer w("GetLogicalDeviceInformationResponse", ns);
  write_category(w, info.category, info.group);
  w.leaf("hasPhysicalElement", boolean(info.has_physical));
  w.open("acdModels");
  w.leaf(info.visible_acd_devices ? "visibleACDRelatedDevices" : "nonVisibleACDRelatedDevices", "true");
  w.close("acdModels");
  w.leaf("appearanceAddressable", boolean(info.appearance_addressable));
  w.leaf("appearanceType", info.appearance_type);
  return w.finish();
}

std::string encode_get_physical_device_information_response(const physical_device_information& info,
                                                             std::string_view ns) {
  xml_writer w("GetPhysicalDeviceInformationResponse", ns);
  write_category(w, info.category, info.group);
  w.leaf("hasLogicalElement", boolean(info.has_logical));
  if (!info.model.empty())
    w.leaf("deviceModelName", info.model);
  return w.finish();
}

std::string encode_route_register_response(std::string_view register_id, std::string_view ns) {
  xml_writer w("RouteRegisterResponse", ns);
  w.leaf("routeRegisterReqID", register_id);
  return w.finish();
}

std::string encode_route_request(const route_request& r, std::string_view ns) {
  xml_writer w("RouteRequest", ns);
  w.leaf("routeRegisterReqID", r.register_id);
  w.leaf("routingCrossRefID", r.cross_ref);
  write_device(w, "currentRoute", r.current_route);
  if (!r.calling.empty())
    write_device(w, "callingDevice", r.calling);
  write_connection(w, "routedCall", r.call);
  return w.finish();
}

std::string encode_empty_response(std::string_view request_name, std::string_view ns) {
  std::string root{request_name};
  root += "Response";
  xml_writer w(root, ns);
  return w.finish();
}

std::string encode_request_system_status_response(std::string_view status, std::string_view ns) {
  xml_writer w("RequestSystemStatusResponse", ns);
  w.leaf("systemStatus", status);
  return w.finish();
}

std::string encode_system_register_response(std::string_view id, std::string_view ns) {
  xml_writer w("SystemRegisterResponse", ns);
  w.leaf("sysStatRegisterID", id);
  return w.finish();
}

namespace {

void write_lists(xml_writer& w, std::string_view element,
                 const std::vector<std::pair<std::string, std::vector<std::string>>>& lists) {
  w.open(element);
  for (auto& [list, entries] : lists) {
    w.open(list);
    for (auto& e : entries)
      w.leaf(e, "true");
    w.close(list);
  }
  w.close(element);
}

}  // namespace

std::string encode_get_csta_features_response(std::string_view ns, const csta_features& features) {
  xml_writer w("GetCSTAFeaturesResponse", ns);
  write_lists(w, "supportedServices", features.services);
  write_lists(w, "supportedEvents", features.events);
  return w.finish();
}

std::string encode_snapshot_device_response(const std::vector<snapshot_entry>& calls,
                                            std::string_view ns) {
  xml_writer w("SnapshotDeviceResponse", ns);
  w.open("crossRefIDorSnapshotData");
  if (calls.empty()) {
    w.empty("snapshotData");
  } else {
    w.open("snapshotData");
    for (auto& c : calls) {
      w.open("snapshotDeviceResponseInfo");
      write_connection(w, "connectionIdentifier", c.connection);
      w.open("localCallState");
      w.open("compoundCallState");
      w.leaf("localConnectionState", to_string(c.state));
      w.close("compoundCallState");
      w.close("localCallState");
      w.close("snapshotDeviceResponseInfo");
    }
    w.close("snapshotData");
  }
  w.close("crossRefIDorSnapshotData");
  return w.finish();
}

std::string encode_snapshot_call_response(const std::vector<snapshot_entry>& devices,
                                          std::string_view ns) {
  xml_writer w("SnapshotCallResponse", ns);
  w.open("crossRefIDorSnapshotData");
  w.open("snapshotData");
  for (auto& d : devices) {
    w.open("snapshotCallResponseInfo");
    w.open("deviceOnCall");
    w.leaf("deviceIdentifier", d.connection.device);
    w.close("deviceOnCall");
    write_connection(w, "callIdentifier", d.connection);
    w.leaf("localConnectionInfo", to_string(d.state));
    w.close("snapshotCallResponseInfo");
  }
  w.close("snapshotData");
  w.close("crossRefIDorSnapshotData");
  return w.finish();
}

std::string encode_set_agent_state_response(std::string_view pending, std::string_view ns) {
  xml_writer w("SetAgentStateResponse", ns);
  if (!pending.empty())
    w.leaf("pendingAgentState", pending);
  return w.finish();
}

std::string encode_get_agent_state_response(const std::vector<agent_entry>& agents,
                                            std::string_view ns) {
  xml_writer w("GetAgentStateResponse", ns);
  w.open("agentStateList");
  if (agents.empty()) {
    w.open("agentStateEntry");
    w.leaf("loggedOnState", "false");
    w.close("agentStateEntry");
  }
  // One entry per agent id, with an agentInfoItem per group.
  for (std::size_t i = 0; i < agents.size();) {
    w.open("agentStateEntry");
    w.leaf("agentID", agents[i].agent_id);
    w.leaf("loggedOnState", "true");
    w.open("agentInfo");
    auto id = agents[i].agent_id;
    for (; i < agents.size() && agents[i].agent_id == id; ++i) {
      w.open("agentInfoItem");
      w.leaf("acdGroup", agents[i].group);
      w.leaf("agentState", agents[i].state);
      w.close("agentInfoItem");
    }
    w.close("agentInfo");
    w.close("agentStateEntry");
  }
  w.close("agentStateList");
  return w.finish();
}

std::string encode_get_switching_function_devices_response(std::string_view cross_ref,
                                                           std::string_view ns) {
  xml_writer w("GetSwitchingFunctionDevicesResponse", ns);
  w.leaf("serviceCrossRefID", cross_ref);
  return w.finish();
}

std::string encode_switching_function_devices(
    std::string_view cross_ref, int segment, bool last,
    const std::vector<std::pair<std::string, std::string>>& devices, std::string_view ns) {
  xml_writer w("SwitchingFunctionDevices", ns);
  w.leaf("serviceCrossRefID", cross_ref);
  w.leaf("segmentID", std::to_string(segment));
  w.leaf("lastSegment", last ? "true" : "false");
  w.open("deviceList");
  for (auto& [id, category] : devices) {
    w.open("device");
    w.leaf("deviceID", id);
    w.leaf("deviceCategory", category);
    w.close("device");
  }
  w.close("deviceList");
  return w.finish();
}

}  // namespace cstad::protocol
