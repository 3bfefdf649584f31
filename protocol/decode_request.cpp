#include "protocol/decode_request.hpp"

#include <optional>

#include "protocol/device_id.hpp"
#include "protocol/xml_parser.hpp"

namespace cstad::protocol {
namespace {

// A decoder either fills the request or names the error the client gets.
using field_error = std::optional<csta_error>;

field_error read_connection(const xml_element* e, connection_id& out, std::string_view missing) {
  if (e == nullptr)
    return errors::operation(missing);
  if (auto call = e->child_text("callID"))
    out.call = *call;
  if (auto dev = e->child_text("deviceID"))
    out.device = device_number(*dev);
  if (out.call.empty())
    return errors::operation("invalidCallID");
  if (out.device.empty())
    return errors::operation("invalidConnectionID");
  return std::nullopt;
}

field_error decode(const xml_element& root, monitor_start_request& r) {
  auto object = root.child("monitorObject");
  if (object == nullptr)
    return errors::operation("invalidMonitorObject");
  if (auto dev = object->child_text("deviceObject")) {
    r.device = device_number(*dev);
  } else if (auto call = object->child("callObject")) {
    connection_id c;
    if (auto err = read_connection(call, c, "invalidMonitorObject"))
      return err;
    r.call = c;
    r.type = monitor_type::call;
  } else {
    return errors::operation("invalidMonitorObject");
  }
  if (auto type = root.child_text("monitorType")) {
    if (*type == "call")
      r.type = monitor_type::call;
    else if (*type == "device")
      r.type = monitor_type::device;
    else
      return errors::operation("invalidMonitorType");
  }
  if (auto filter = root.child("requestedMonitorFilter"))
    for (auto& group : filter->children)
      for (auto& item : group.children)
        if (item.text == "true")
          r.suppressed.insert(item.name);
  return std::nullopt;
}

field_error decode(const xml_element& root, monitor_stop_request& r) {
  auto ref = root.child_text("monitorCrossRefID");
  if (ref == nullptr)
    return errors::operation("invalidMonitorCrossRefID");
  r.cross_ref = *ref;
  return std::nullopt;
}

field_error decode(const xml_element& root, make_call_request& r) {
  auto calling = root.child_text("callingDevice");
  if (calling == nullptr)
    return errors::operation("invalidCallingDeviceID");
  auto called = root.child_text("calledDirectoryNumber");
  if (called == nullptr)
    return errors::operation("invalidCalledDeviceID");
  r.calling = device_number(*calling);
  r.called = device_number(*called);
  if (auto mode = root.child_text("autoOriginate")) {
    if (*mode == "prompt")
      r.prompt = true;
    else if (*mode != "doNotPrompt")
      return errors::operation("invalidParameterValue");
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, answer_call_request& r) {
  return read_connection(root.child("callToBeAnswered"), r.call, "invalidConnectionID");
}

field_error decode(const xml_element& root, clear_connection_request& r) {
  if (auto err = read_connection(root.child("connectionToBeCleared"), r.connection,
                                 "invalidConnectionID"))
    return err;
  if (auto reason = root.child_text("reason")) {
    r.reason = parse_event_cause(*reason);
    if (!r.reason)
      return errors::operation("invalidParameterValue");
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, clear_call_request& r) {
  auto call = root.child("callToBeCleared");
  if (call == nullptr || call->child_text("callID") == nullptr)
    return errors::operation("invalidCallID");
  r.call.call = *call->child_text("callID");
  if (auto dev = call->child_text("deviceID"))
    r.call.device = device_number(*dev);
  return std::nullopt;
}

template <class Request>
decode_result decode_as(const xml_element& root) {
  Request r;
  if (auto err = decode(root, r))
    return decode_failure{root.name, root.ns, *err, "missing or invalid field in " + root.name};
  return decoded_request{root.name, root.ns, std::move(r)};
}

}  // namespace

decode_result decode_request(std::string_view xml) {
  auto parsed = parse_xml(xml);
  if (auto failure = std::get_if<xml_parse_error>(&parsed))
    return decode_failure{{}, {}, errors::operation("invalidParameterValue"),
                          "malformed XML: " + failure->reason};
  auto& root = std::get<xml_element>(parsed);
  const auto& n = root.name;
  if (n == "MonitorStart")
    return decode_as<monitor_start_request>(root);
  if (n == "MonitorStop")
    return decode_as<monitor_stop_request>(root);
  if (n == "MakeCall")
    return decode_as<make_call_request>(root);
  if (n == "AnswerCall")
    return decode_as<answer_call_request>(root);
  if (n == "ClearConnection")
    return decode_as<clear_connection_request>(root);
  if (n == "ClearCall")
    return decode_as<clear_call_request>(root);
  return decode_failure{n, root.ns, errors::operation("serviceNotSupported"),
                        "service not supported: " + n};
}

}  // namespace cstad::protocol
