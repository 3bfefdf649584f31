#include "protocol/encode_request.hpp"

#include <set>

#include "protocol/common_types_xml.hpp"
#include "protocol/monitor_filter.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/system_status_filter.hpp"
#include "protocol/xml_writer.hpp"

namespace cstad::protocol {
namespace {

struct writer {
  std::string_view ns;

  std::string operator()(const monitor_start_request& r) const {
    xml_writer w(r.root, ns);
    w.open("monitorObject");
    if (r.call)
      write_connection(w, "callObject", *r.call);
    else
      w.leaf("deviceObject", r.device);
    w.close("monitorObject");
    if (r.filtered || !r.suppressed.empty())
      write_monitor_filter(w, "requestedMonitorFilter", r.suppressed);
    if (r.type == monitor_type::call)
      w.leaf("monitorType", "call");
    return w.finish();
  }
  std::string operator()(const monitor_stop_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("monitorCrossRefID", r.cross_ref);
    return w.finish();
  }
  std::string operator()(const change_monitor_filter_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("monitorCrossRefID", r.cross_ref);
    write_monitor_filter(w, "requestedFilterList", r.suppressed);
    return w.finish();
  }
  std::string operator()(const make_call_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("callingDevice", r.calling);
    w.leaf("calledDirectoryNumber", r.called);
    w.leaf("autoOriginate", r.prompt ? "prompt" : "doNotPrompt");
    return w.finish();
  }
  std::string one_connection(std::string_view root, std::string_view element,
                             const connection_id& c) const {
    xml_writer w(root, ns);
    write_connection(w, element, c);
    return w.finish();
  }
  std::string operator()(const answer_call_request& r) const {
    return one_connection(r.root, "callToBeAnswered", r.call);
  }
  std::string operator()(const clear_connection_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "connectionToBeCleared", r.connection);
    if (r.reason)
      w.leaf("reason", to_string(*r.reason));
    return w.finish();
  }
  std::string operator()(const clear_call_request& r) const {
    xml_writer w(r.root, ns);
    w.open("callToBeCleared");
    w.leaf("callID", r.call.call);
    if (!r.call.device.empty())
      w.leaf("deviceID", r.call.device);
    w.close("callToBeCleared");
    return w.finish();
  }
  std::string operator()(const hold_call_request& r) const {
    return one_connection(r.root, "callToBeHeld", r.call);
  }
  std::string operator()(const retrieve_call_request& r) const {
    return one_connection(r.root, "callToBeRetrieved", r.call);
  }
  std::string operator()(const consultation_call_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "existingCall", r.existing);
    w.leaf("consultedDevice", r.consulted);
    return w.finish();
  }
  std::string held_active(std::string_view root, const held_active_request& r,
                          bool active_first = false) const {
    xml_writer w(root, ns);
    if (active_first)
      write_connection(w, "activeCall", r.active);
    write_connection(w, "heldCall", r.held);
    if (!active_first)
      write_connection(w, "activeCall", r.active);
    return w.finish();
  }
  std::string operator()(const transfer_call_request& r) const { return held_active(r.root, r); }
  std::string operator()(const conference_call_request& r) const { return held_active(r.root, r); }
  std::string operator()(const alternate_call_request& r) const { return held_active(r.root, r); }
  // ReconnectCall's schema order is activeCall, heldCall.
  std::string operator()(const reconnect_call_request& r) const {
    return held_active(r.root, r, true);
  }
  std::string operator()(const deflect_call_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "callToBeDiverted", r.call);
    w.leaf("newDestination", r.destination);
    return w.finish();
  }
  std::string operator()(const single_step_transfer_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "activeCall", r.active);
    w.leaf("transferredTo", r.to);
    return w.finish();
  }
  std::string operator()(const single_step_conference_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "activeCall", r.active);
    w.leaf("deviceToJoin", r.join);
    if (r.participation == participation_type::silent)
      w.leaf("participationType", "silent");
    return w.finish();
  }
  std::string operator()(const associate_data_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "existingCall", r.call);
    if (!r.account.empty())
      w.leaf("accountCode", r.account);
    if (!r.correlator.empty())
      write_correlator(w, r.correlator);
    return w.finish();
  }
  std::string operator()(const generate_digits_request& r) const {
    xml_writer w(r.root, ns);
    write_connection(w, "connectionToSendDigits", r.connection);
    w.leaf("charactersToSend", r.digits);
    return w.finish();
  }
  std::string operator()(const set_do_not_disturb_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("device", r.device);
    w.leaf("doNotDisturbOn", r.on ? "true" : "false");
    return w.finish();
  }
  std::string device_only(std::string_view root, const std::string& device) const {
    xml_writer w(root, ns);
    w.leaf("device", device);
    return w.finish();
  }
  std::string operator()(const get_do_not_disturb_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const set_forwarding_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("device", r.device);
    w.leaf("forwardingType", to_string(r.type));
    w.leaf("activateForward", r.activate ? "true" : "false");
    if (!r.destination.empty())
      w.leaf("forwardDN", r.destination);
    if (r.ring_count > 0)
      w.leaf("ringCount", std::to_string(r.ring_count));
    return w.finish();
  }
  std::string operator()(const get_forwarding_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const set_agent_state_request& r) const {
    static const char* names[] = {"loggedOn", "loggedOff", "notReady", "ready", "workingAfterCall"};
    xml_writer w(r.root, ns);
    w.leaf("device", r.device);
    w.leaf("requestedAgentState", names[static_cast<int>(r.state)]);
    if (!r.agent_id.empty())
      w.leaf("agentID", r.agent_id);
    if (!r.password.empty())
      w.leaf("password", r.password);
    if (!r.group.empty())
      w.leaf("group", r.group);
    return w.finish();
  }
  std::string operator()(const get_agent_state_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const set_message_waiting_indicator_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("device", r.device);
    w.leaf("messageWaitingOn", r.on ? "true" : "false");
    return w.finish();
  }
  std::string operator()(const get_message_waiting_indicator_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const get_logical_device_information_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const get_physical_device_information_request& r) const {
    return device_only(r.root, r.device);
  }
  std::string operator()(const change_system_status_filter_request& r) const {
    xml_writer w(r.root, ns);
    if (!r.register_id.empty())
      w.leaf("sysStatRegisterID", r.register_id);
    write_status_filter(w, "requestedStatusFilter", r.suppressed);
    return w.finish();
  }
  std::string empty(std::string_view root) const {
    xml_writer w(root, ns);
    return w.finish();
  }
  std::string operator()(const request_system_status_request& r) const { return empty(r.root); }
  std::string operator()(const system_register_request& r) const {
    xml_writer w(r.root, ns);
    w.open("requestTypes");
    w.leaf("systemStatus", "true");
    w.close("requestTypes");
    return w.finish();
  }
  std::string operator()(const get_csta_features_request& r) const { return empty(r.root); }
  std::string operator()(const system_status_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("systemStatus", r.status);
    return w.finish();
  }
  std::string operator()(const snapshot_device_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("snapshotObject", r.device);
    return w.finish();
  }
  std::string operator()(const snapshot_call_request& r) const {
    return one_connection(r.root, "snapshotObject", r.call);
  }
  std::string operator()(const get_switching_function_devices_request& r) const {
    xml_writer w(r.root, ns);
    if (!r.device.empty())
      w.leaf("requestedDeviceID", r.device);
    if (!r.category.empty())
      w.leaf("requestedDeviceCategory", r.category);
    return w.finish();
  }
  std::string operator()(const route_register_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("routeingDevice", r.device);
    return w.finish();
  }
  std::string operator()(const route_register_cancel_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("routeRegisterReqID", r.register_id);
    return w.finish();
  }
  void dialogue(xml_writer& w, const std::string& register_id, const std::string& cross_ref) const {
    if (!register_id.empty())
      w.leaf("routeRegisterReqID", register_id);
    w.leaf("routingCrossRefID", cross_ref);
  }
  std::string operator()(const route_select_request& r) const {
    xml_writer w(r.root, ns);
    dialogue(w, r.register_id, r.cross_ref);
    w.leaf("routeSelected", r.selected);
    return w.finish();
  }
  std::string operator()(const route_end_request& r) const {
    xml_writer w(r.root, ns);
    dialogue(w, r.register_id, r.cross_ref);
    if (r.error) {
      w.open("errorValue");
      write_error_value(w, *r.error);
      w.close("errorValue");
    }
    return w.finish();
  }
  std::string operator()(const escape_request& r) const {
    xml_writer w(r.root, ns);
    if (!r.register_id.empty())
      w.leaf("escapeRegisterID", r.register_id);
    return w.finish();
  }
  std::string operator()(const transfer_monitor_objects_request& r) const {
    xml_writer w(r.root, ns);
    w.leaf("fromSessionID", r.from_session_id);
    w.leaf("toSessionID", r.to_session_id);
    return w.finish();
  }
  // ECMA-354: always in its own namespace; credentials in Avaya's SessionLoginInfo form.
  std::string operator()(const start_application_session_request& r) const {
    xml_writer w(r.root, ns_appl_session);
    w.open("applicationInfo");
    w.leaf("applicationID", r.application_id);
    if (r.user_name || r.password || r.cleanup_delay || !r.resume_session_id.empty()) {
      w.open("applicationSpecificInfo");
      w.raw(R"(<ns1:SessionLoginInfo xmlns:ns1="http://www.avaya.com/csta">)");
      if (r.user_name)
        w.leaf("ns1:userName", *r.user_name);
      if (r.password)
        w.leaf("ns1:password", *r.password);
      if (r.cleanup_delay)
        w.leaf("ns1:sessionCleanupDelay", std::to_string(*r.cleanup_delay));
      if (!r.resume_session_id.empty())
        w.leaf("ns1:sessionID", r.resume_session_id);
      w.raw("</ns1:SessionLoginInfo>");
      w.close("applicationSpecificInfo");
    }
    w.close("applicationInfo");
    if (!r.protocol_versions.empty()) {
      w.open("requestedProtocolVersions");
      for (auto& v : r.protocol_versions)
        w.leaf("protocolVersion", v);
      w.close("requestedProtocolVersions");
    }
    if (r.requested_duration)
      w.leaf("requestedSessionDuration", std::to_string(*r.requested_duration));
    return w.finish();
  }
  std::string operator()(const stop_application_session_request& r) const {
    xml_writer w(r.root, ns_appl_session);
    w.leaf("sessionID", r.session_id);
    w.open("sessionEndReason");
    w.leaf("definedEndReason", r.end_reason.empty() ? "normal" : r.end_reason);
    w.close("sessionEndReason");
    return w.finish();
  }
  std::string operator()(const reset_application_session_timer_request& r) const {
    xml_writer w(r.root, ns_appl_session);
    w.leaf("sessionID", r.session_id);
    if (r.requested_duration)
      w.leaf("requestedSessionDuration", std::to_string(*r.requested_duration));
    return w.finish();
  }
};

}  // namespace

std::string encode_request(const request& r, std::string_view ns) {
  return std::visit(writer{ns}, r);
}

}  // namespace cstad::protocol
