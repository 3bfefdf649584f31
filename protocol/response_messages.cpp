#include "protocol/response_messages.hpp"

#include <algorithm>
#include <iterator>

#include "protocol/application_session.hpp"
#include "protocol/monitor_filter.hpp"
#include "protocol/system_status_filter.hpp"
#include "protocol/xml_element.hpp"

namespace cstad::protocol {
namespace {

// Requests whose positive response carries one ConnectionID, and its element.
constexpr std::pair<std::string_view, std::string_view> connection_responses[] = {
    {"MakeCall", "callingDevice"},
    {"ConsultationCall", "initiatedCall"},
    {"TransferCall", "transferredCall"},
    {"ConferenceCall", "conferenceCall"},
    {"SingleStepTransferCall", "transferredCall"},
    {"SingleStepConferenceCall", "conferencedCall"},
};

// The ECMA-354 requests, the only ones answered with a <NameNegResponse> (see
// encode_application_session_neg_response).
constexpr std::string_view application_session_requests[] = {
    "StartApplicationSession",
    "StopApplicationSession",
    "ResetApplicationSessionTimer",
};

std::string_view connection_element(std::string_view request) {
  for (auto& [name, element] : connection_responses)
    if (name == request)
      return element;
  return {};
}

struct writer {
  std::string_view ns;
  std::string operator()(const monitor_start_response& r) const {
    return encode_monitor_start_response(r.cross_ref, ns, r.actual_filter ? &*r.actual_filter : nullptr);
  }
  std::string operator()(const empty_response& r) const { return encode_empty_response(r.request, ns); }
  std::string operator()(const connection_response& r) const {
    return encode_connection_response(r.request + "Response", connection_element(r.request),
                                      r.connection, ns);
  }
  std::string operator()(const get_do_not_disturb_response& r) const {
    return encode_get_do_not_disturb_response(r.on, ns);
  }
  std::string operator()(const get_forwarding_response& r) const {
    return encode_get_forwarding_response(r.list, ns);
  }
  std::string operator()(const set_agent_state_response& r) const {
    return encode_set_agent_state_response(r.pending, ns);
  }
  std::string operator()(const get_agent_state_response& r) const {
    return encode_get_agent_state_response(r.agents, ns);
  }
  std::string operator()(const request_system_status_response& r) const {
    return encode_request_system_status_response(r.status, ns);
  }
  std::string operator()(const system_register_response& r) const {
    return encode_system_register_response(r.id, ns);
  }
  std::string operator()(const get_csta_features_response& r) const {
    return encode_get_csta_features_response(ns, r.features);
  }
  std::string operator()(const snapshot_device_response& r) const {
    return encode_snapshot_device_response(r.calls, ns);
  }
  std::string operator()(const snapshot_call_response& r) const {
    return encode_snapshot_call_response(r.devices, ns);
  }
  std::string operator()(const get_switching_function_devices_response& r) const {
    return encode_get_switching_function_devices_response(r.cross_ref, ns);
  }
  std::string operator()(const switching_function_devices& r) const {
    return encode_switching_function_devices(r.cross_ref, r.segment, r.last, r.devices, ns);
  }
  std::string operator()(const get_message_waiting_indicator_response& r) const {
    return encode_get_message_waiting_indicator_response(r.on, ns);
  }
  std::string operator()(const change_system_status_filter_response& r) const {
    return encode_change_system_status_filter_response(r.actual, ns);
  }
  std::string operator()(const get_logical_device_information_response& r) const {
    return encode_get_logical_device_information_response(r.info, ns);
  }
  std::string operator()(const get_physical_device_information_response& r) const {
    return encode_get_physical_device_information_response(r.info, ns);
  }
  std::string operator()(const route_register_response& r) const {
    return encode_route_register_response(r.register_id, ns);
  }
  std::string operator()(const route_request& r) const { return encode_route_request(r, ns); }
  std::string operator()(const start_application_session_pos& r) const {
    return encode_start_application_session_pos_response(r.session_id, r.version, r.duration);
  }
  std::string operator()(const application_session_neg& r) const {
    // Only the ECMA-354 requests have a Neg response; for any other name there is no document.
    auto doc = encode_application_session_neg_response(r.request, r.defined_error);
    return doc ? std::move(*doc) : std::string{};
  }
  std::string operator()(const stop_application_session_pos&) const {
    return encode_stop_application_session_pos_response();
  }
  std::string operator()(const reset_application_session_timer_pos& r) const {
    return encode_reset_application_session_timer_pos_response(r.duration);
  }
  std::string operator()(const application_session_terminated& r) const {
    return r.by_server ? encode_application_session_terminated_by_server(r.session_id, r.reason)
                       : encode_application_session_terminated(r.session_id, r.reason);
  }
};

std::string text(const xml_element& e, std::string_view child) {
  auto t = e.child_text(child);
  return t ? *t : std::string{};
}

std::optional<int> number(const xml_element& e, std::string_view child) {
  auto t = e.child_text(child);
  if (t == nullptr || t->empty() || t->size() > 9 || t->find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoi(*t);
}

connection_id connection_of(const xml_element* e) {
  if (e == nullptr)
    return {};
  return {text(*e, "callID"), text(*e, "deviceID")};
}

std::optional<connection_state> state_of(const std::string& s) { return parse_connection_state(s); }

std::optional<response> decode_snapshot_device(const xml_element& root) {
  snapshot_device_response r;
  auto data = root.child("crossRefIDorSnapshotData");
  if (data == nullptr || data->child("snapshotData") == nullptr)
    return std::nullopt;
  for (auto& info : data->child("snapshotData")->children) {
    auto compound = info.child("localCallState") ? info.child("localCallState")->child("compoundCallState") : nullptr;
    auto state = compound ? state_of(text(*compound, "localConnectionState")) : std::nullopt;
    if (!state)
      return std::nullopt;
    r.calls.push_back({connection_of(info.child("connectionIdentifier")), *state});
  }
  return r;
}

std::optional<response> decode_snapshot_call(const xml_element& root) {
  snapshot_call_response r;
  auto data = root.child("crossRefIDorSnapshotData");
  if (data == nullptr || data->child("snapshotData") == nullptr)
    return std::nullopt;
  for (auto& info : data->child("snapshotData")->children) {
    auto state = state_of(text(info, "localConnectionInfo"));
    if (!state)
      return std::nullopt;
    r.devices.push_back({connection_of(info.child("callIdentifier")), *state});
  }
  return r;
}

std::optional<response> decode_agent_state(const xml_element& root) {
  get_agent_state_response r;
  auto list = root.child("agentStateList");
  if (list == nullptr)
    return std::nullopt;
  for (auto& entry : list->children) {
    if (text(entry, "loggedOnState") != "true")
      continue;
    auto info = entry.child("agentInfo");
    if (info == nullptr)
      continue;
    for (auto& item : info->children)
      r.agents.push_back({text(entry, "agentID"), text(item, "acdGroup"), text(item, "agentState")});
  }
  return r;
}

std::optional<response> decode_forwarding(const xml_element& root) {
  get_forwarding_response r;
  auto list = root.child("forwardingList");
  if (list == nullptr)
    return std::nullopt;
  for (auto& item : list->children) {
    auto type = parse_forwarding_type(text(item, "forwardingType"));
    if (!type)
      return std::nullopt;
    r.list.push_back({*type, text(item, "forwardStatus") == "true", text(item, "forwardDN")});
  }
  return r;
}

std::vector<std::pair<std::string, std::vector<std::string>>> lists_of(const xml_element* e) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (e != nullptr)
    for (auto& list : e->children) {
      out.emplace_back(list.name, std::vector<std::string>{});
      for (auto& entry : list.children)
        if (entry.text == "true")
          out.back().second.push_back(entry.name);
    }
  return out;
}

std::optional<response> decode_devices(const xml_element& root) {
  switching_function_devices r;
  r.cross_ref = text(root, "serviceCrossRefID");
  auto segment = number(root, "segmentID");
  if (!segment || root.child("deviceList") == nullptr)
    return std::nullopt;
  r.segment = *segment;
  r.last = text(root, "lastSegment") == "true";
  for (auto& d : root.child("deviceList")->children)
    r.devices.emplace_back(text(d, "deviceID"), text(d, "deviceCategory"));
  return r;
}

// deviceCategory and groupDeviceAttributes (its one true entry); false when the category is
// missing.
bool read_category(const xml_element& root, std::string& category, std::string& group) {
  category = text(root, "deviceCategory");
  if (auto attributes = root.child("groupDeviceAttributes"))
    for (auto& a : attributes->children)
      if (a.text == "true")
        group = a.name;
  return !category.empty();
}

std::optional<bool> boolean(const xml_element& root, std::string_view child) {
  auto t = text(root, child);
  if (t == "true" || t == "false")
    return t == "true";
  return std::nullopt;
}

// SubjectDeviceID & co: the deviceIdentifier inside (notKnown: empty).
std::string device_of(const xml_element* e) {
  return e == nullptr ? std::string{} : text(*e, "deviceIdentifier");
}

std::optional<response> decode_route_request(const xml_element& root) {
  route_request r{text(root, "routeRegisterReqID"), text(root, "routingCrossRefID"),
                  device_of(root.child("currentRoute")), device_of(root.child("callingDevice")),
                  connection_of(root.child("routedCall"))};
  if (r.cross_ref.empty() || root.child("currentRoute") == nullptr)
    return std::nullopt;
  return r;
}

std::optional<response> decode_logical_information(const xml_element& root) {
  logical_device_information info;
  auto physical = boolean(root, "hasPhysicalElement");
  auto addressable = boolean(root, "appearanceAddressable");
  auto models = root.child("acdModels");
  if (!read_category(root, info.category, info.group) || !physical || !addressable || models == nullptr)
    return std::nullopt;
  info.has_physical = *physical;
  info.appearance_addressable = *addressable;
  info.visible_acd_devices = text(*models, "visibleACDRelatedDevices") == "true";
  info.appearance_type = text(root, "appearanceType");
  return get_logical_device_information_response{info};
}

std::optional<response> decode_physical_information(const xml_element& root) {
  physical_device_information info;
  auto logical = boolean(root, "hasLogicalElement");
  if (!read_category(root, info.category, info.group) || !logical)
    return std::nullopt;
  info.has_logical = *logical;
  info.model = text(root, "deviceModelName");
  return get_physical_device_information_response{info};
}

}  // namespace

std::string encode_response(const response& r, std::string_view ns) { return std::visit(writer{ns}, r); }

std::optional<response> decode_response(const xml_element& root) {
  const auto& n = root.name;
  auto is = [&](std::string_view name) { return n == name; };
  if (is("MonitorStartResponse")) {
    monitor_start_response r{text(root, "monitorCrossRefID"), std::nullopt};
    if (auto actual = root.child("actualMonitorFilter"))
      r.actual_filter = read_monitor_filter(actual);
    return r;
  }
  if (is("GetDoNotDisturbResponse"))
    return get_do_not_disturb_response{text(root, "doNotDisturbOn") == "true"};
  if (is("GetForwardingResponse"))
    return decode_forwarding(root);
  if (is("SetAgentStateResponse"))
    return set_agent_state_response{text(root, "pendingAgentState")};
  if (is("GetAgentStateResponse"))
    return decode_agent_state(root);
  if (is("RequestSystemStatusResponse"))
    return request_system_status_response{text(root, "systemStatus")};
  if (is("SystemRegisterResponse"))
    return system_register_response{text(root, "sysStatRegisterID")};
  if (is("GetCSTAFeaturesResponse"))
    return get_csta_features_response{{lists_of(root.child("supportedServices")),
                                       lists_of(root.child("supportedEvents"))}};
  if (is("SnapshotDeviceResponse"))
    return decode_snapshot_device(root);
  if (is("SnapshotCallResponse"))
    return decode_snapshot_call(root);
  if (is("GetSwitchingFunctionDevicesResponse"))
    return get_switching_function_devices_response{text(root, "serviceCrossRefID")};
  if (is("SwitchingFunctionDevices"))
    return decode_devices(root);
  if (is("GetMessageWaitingIndicatorResponse"))
    return get_message_waiting_indicator_response{text(root, "messageWaitingOn") == "true"};
  if (is("ChangeSystemStatusFilterResponse")) {
    auto actual = root.child("actualStatusFilter");
    auto values = actual ? read_status_filter(*actual) : std::nullopt;
    if (!values)
      return std::nullopt;
    return change_system_status_filter_response{std::move(*values)};
  }
  if (is("RouteRegisterResponse"))
    return route_register_response{text(root, "routeRegisterReqID")};
  if (is("RouteRequest"))
    return decode_route_request(root);
  if (is("GetLogicalDeviceInformationResponse"))
    return decode_logical_information(root);
  if (is("GetPhysicalDeviceInformationResponse"))
    return decode_physical_information(root);
  if (is("StartApplicationSessionPosResponse")) {
    auto duration = number(root, "actualSessionDuration");
    if (!duration)
      return std::nullopt;
    return start_application_session_pos{text(root, "sessionID"), text(root, "actualProtocolVersion"), *duration};
  }
  if (is("StopApplicationSessionPosResponse"))
    return stop_application_session_pos{};
  if (is("ResetApplicationSessionTimerPosResponse")) {
    auto duration = number(root, "actualSessionDuration");
    if (!duration)
      return std::nullopt;
    return reset_application_session_timer_pos{*duration};
  }
  if (is("ApplicationSessionTerminated")) {
    auto reason = root.child("sessionTermReason");
    bool by_server = reason != nullptr && reason->child("serverTermReason") != nullptr;
    return application_session_terminated{
        text(root, "sessionID"),
        reason ? text(*reason, by_server ? "serverTermReason" : "definedTermReason") : std::string{},
        by_server};
  }
  constexpr std::string_view neg = "NegResponse";
  if (n.size() > neg.size() && n.compare(n.size() - neg.size(), neg.size(), neg) == 0) {
    // Only ECMA-354's three Neg responses exist; <FooNegResponse/> is no message (and must not
    // fall through to the empty positive response below either).
    auto request = n.substr(0, n.size() - neg.size());
    if (std::find(std::begin(application_session_requests), std::end(application_session_requests),
                  request) == std::end(application_session_requests))
      return std::nullopt;
    auto code = root.child("errorCode");
    return application_session_neg{request, code ? text(*code, "definedError") : std::string{}};
  }
  constexpr std::string_view pos = "Response";
  if (n.size() > pos.size() && n.compare(n.size() - pos.size(), pos.size(), pos) == 0) {
    auto request = n.substr(0, n.size() - pos.size());
    auto element = connection_element(request);
    if (!element.empty()) {
      if (root.child(element) == nullptr)
        return std::nullopt;
      return connection_response{request, connection_of(root.child(element))};
    }
    if (root.children.empty())
      return empty_response{request};
  }
  return std::nullopt;
}

}  // namespace cstad::protocol
