#include "protocol/decode_request.hpp"

#include <optional>
#include <unordered_map>
#include <utility>

#include "protocol/common_types_xml.hpp"
#include "protocol/device_id.hpp"
#include "protocol/monitor_filter.hpp"
#include "protocol/request_decoding.hpp"
#include "protocol/xml_parser.hpp"

namespace cstad::protocol {
namespace decoding {

field_error read_connection(const xml_element* e, connection_id& out, std::string_view missing,
                            device_reader& device, call_part call) {
  if (e == nullptr)
    return errors::operation(missing);
  if (auto id = e->child_text("callID"))
    out.call = *id;
  if (auto dev = e->child_text("deviceID"))
    out.device = device(*dev);
  if (out.call.empty() && (call == call_part::required || out.device.empty()))
    return errors::operation("invalidCallID");
  if (out.device.empty())
    return errors::operation("invalidConnectionID");
  return std::nullopt;
}

field_error decode(const xml_element& root, monitor_start_request& r, device_reader& device) {
  auto object = root.child("monitorObject");
  if (object == nullptr)
    return errors::operation("invalidMonitorObject");
  if (auto dev = object->child_text("deviceObject")) {
    r.device = device(*dev);
  } else if (auto call = object->child("callObject")) {
    connection_id c;
    if (auto err = read_connection(call, c, "invalidMonitorObject", device, call_part::required))
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
  auto filter = root.child("requestedMonitorFilter");
  r.filtered = filter != nullptr;
  r.suppressed = read_monitor_filter(filter, inverts_filter(root));
  return std::nullopt;
}

field_error decode(const xml_element& root, monitor_stop_request& r, device_reader&) {
  auto ref = root.child_text("monitorCrossRefID");
  if (ref == nullptr)
    return errors::operation("invalidMonitorCrossRefID");
  r.cross_ref = *ref;
  return std::nullopt;
}

field_error decode(const xml_element& root, make_call_request& r, device_reader& device) {
  auto calling = root.child_text("callingDevice");
  if (calling == nullptr)
    return errors::operation("invalidCallingDeviceID");
  auto called = root.child_text("calledDirectoryNumber");
  if (called == nullptr)
    return errors::operation("invalidCalledDeviceID");
  r.calling = device(*calling);
  r.called = device(*called);
  if (auto mode = root.child_text("autoOriginate")) {
    if (*mode == "prompt")
      r.prompt = true;
    else if (*mode != "doNotPrompt")
      return errors::operation("invalidParameterValue");
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, answer_call_request& r, device_reader& device) {
  return read_connection(root.child("callToBeAnswered"), r.call, "invalidConnectionID", device);
}

field_error decode(const xml_element& root, clear_connection_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("connectionToBeCleared"), r.connection,
                                 "invalidConnectionID", device))
    return err;
  if (auto reason = root.child_text("reason")) {
    r.reason = parse_event_cause(*reason);
    if (!r.reason)
      return errors::operation("invalidParameterValue");
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, clear_call_request& r, device_reader& device) {
  auto call = root.child("callToBeCleared");
  if (call == nullptr || call->child_text("callID") == nullptr)
    return errors::operation("invalidCallID");
  r.call.call = *call->child_text("callID");
  if (auto dev = call->child_text("deviceID"))
    r.call.device = device(*dev);
  return std::nullopt;
}

field_error read_device(const xml_element& root, std::string_view name, std::string& out,
                        std::string_view missing, device_reader& device) {
  auto text = root.child_text(name);
  if (text == nullptr)
    return errors::operation(missing);
  out = device(*text);
  return std::nullopt;
}

field_error read_bool(const xml_element& root, std::string_view name, bool& out) {
  auto text = root.child_text(name);
  if (text == nullptr)
    return errors::operation("invalidParameterValue");
  if (*text == "true" || *text == "1")
    out = true;
  else if (*text == "false" || *text == "0")
    out = false;
  else
    return errors::operation("invalidParameterValue");
  return std::nullopt;
}

field_error decode(const xml_element& root, hold_call_request& r, device_reader& device) {
  return read_connection(root.child("callToBeHeld"), r.call, "invalidConnectionID", device);
}

field_error decode(const xml_element& root, retrieve_call_request& r, device_reader& device) {
  return read_connection(root.child("callToBeRetrieved"), r.call, "invalidConnectionID", device);
}

field_error decode(const xml_element& root, consultation_call_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("existingCall"), r.existing,
                                 "invalidConnectionID", device))
    return err;
  return read_device(root, "consultedDevice", r.consulted, "invalidCalledDeviceID", device);
}

field_error decode(const xml_element& root, held_active_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("heldCall"), r.held, "invalidHeldCallID", device,
                                 call_part::required))
    return err;
  return read_connection(root.child("activeCall"), r.active, "invalidActiveCallID", device,
                         call_part::required);
}

field_error decode(const xml_element& root, deflect_call_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("callToBeDiverted"), r.call,
                                 "invalidConnectionID", device))
    return err;
  return read_device(root, "newDestination", r.destination, "invalidDestination", device);
}

field_error decode(const xml_element& root, single_step_transfer_request& r,
                   device_reader& device) {
  if (auto err = read_connection(root.child("activeCall"), r.active, "invalidActiveCallID", device))
    return err;
  return read_device(root, "transferredTo", r.to, "invalidDestination", device);
}

field_error decode(const xml_element& root, generate_digits_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("connectionToSendDigits"), r.connection,
                                 "invalidConnectionID", device))
    return err;
  auto digits = root.child_text("charactersToSend");
  if (digits == nullptr)
    return errors::operation("invalidParameterValue");
  r.digits = *digits;
  return std::nullopt;
}

field_error decode(const xml_element& root, single_step_conference_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("activeCall"), r.active, "invalidActiveCallID", device))
    return err;
  if (auto err = read_device(root, "deviceToJoin", r.join, "invalidDeviceID", device))
    return err;
  if (auto type = root.child_text("participationType")) {
    if (*type == "active")
      r.participation = participation_type::active;
    else if (*type == "silent")
      r.participation = participation_type::silent;
    else
      return errors::operation("participationTypeOutOfRange");
  }
  return std::nullopt;
}

// Attached data travels in every CallInformationEvent to every monitor of the call: kept to
// sizes that never crowd a frame (ECMA-269 allows 32 octets of correlator data; some clients
// send it hex-encoded, hence twice that and some).
constexpr std::size_t max_account = 64;
constexpr std::size_t max_correlator = 128;

field_error decode(const xml_element& root, associate_data_request& r, device_reader& device) {
  if (auto err = read_connection(root.child("existingCall"), r.call, "invalidConnectionID", device))
    return err;
  // accountCode in the schema; the event's name for it, accountInfo, is understood too.
  if (auto account = root.child_text("accountCode"))
    r.account = *account;
  else if (auto info = root.child_text("accountInfo"))
    r.account = *info;
  if (auto correlator = root.child("correlatorData"))
    r.correlator = read_correlator(*correlator);
  if (r.account.size() > max_account)
    return errors::operation("invalidAccountCode");
  if (r.correlator.size() > max_correlator)
    return errors::operation("correlatorDataOutOfRange");
  if (r.account.empty() && r.correlator.empty())
    return errors::operation("atLeastOneConditionalParameterNotProvided");
  return std::nullopt;
}

field_error decode(const xml_element& root, set_do_not_disturb_request& r, device_reader& device) {
  if (auto err = read_device(root, "device", r.device, "invalidDeviceID", device))
    return err;
  return read_bool(root, "doNotDisturbOn", r.on);
}

field_error decode(const xml_element& root, get_do_not_disturb_request& r, device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, set_forwarding_request& r, device_reader& device) {
  if (auto err = read_device(root, "device", r.device, "invalidDeviceID", device))
    return err;
  auto type = root.child_text("forwardingType");
  if (type == nullptr || !parse_forwarding_type(*type))
    return errors::operation("invalidForwardingType");
  r.type = *parse_forwarding_type(*type);
  if (auto err = read_bool(root, "activateForward", r.activate))
    return err;
  if (auto dn = root.child_text("forwardDN"))
    r.destination = device(*dn);
  if (auto rings = root.child_text("ringCount")) {
    if (rings->empty() || rings->size() > 3 ||
        rings->find_first_not_of("0123456789") != std::string::npos)
      return errors::operation("invalidRingCount");
    r.ring_count = std::stoi(*rings);
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, get_forwarding_request& r, device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, set_message_waiting_indicator_request& r,
                   device_reader& device) {
  if (auto err = read_device(root, "device", r.device, "invalidDeviceID", device))
    return err;
  if (read_bool(root, "messageWaitingOn", r.on))
    return errors::operation("invalidMessageWaitingSetting");
  return std::nullopt;
}

field_error decode(const xml_element& root, get_message_waiting_indicator_request& r,
                   device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, get_logical_device_information_request& r,
                   device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

field_error decode(const xml_element& root, get_physical_device_information_request& r,
                   device_reader& device) {
  return read_device(root, "device", r.device, "invalidDeviceID", device);
}

}  // namespace decoding

namespace {

template <class Request>
decode_result decode_as(const xml_element& root, const device_resolver& resolve) {
  Request r;
  decoding::device_reader device{resolve};
  if (auto err = decoding::decode(root, r, device)) {
    decode_failure f{root.name, root.ns, *err, "missing or invalid field in " + root.name, {}};
    // ECMA-354 requests are refused with their own Neg response, not a CSTAErrorCode.
    if (err->category == error_category::unspecified && !err->value.empty()) {
      f.session_error = err->value;
      f.error = errors::operation("invalidParameterValue");
    }
    return f;
  }
  return decoded_request{root.name, root.ns, std::move(r), device.take()};
}

// Root element name -> decoder, built once from the request variant: every alternative is
// decodable under its own root name, and nothing else is.
using decoder = decode_result (*)(const xml_element&, const device_resolver&);

template <std::size_t... I>
std::unordered_map<std::string_view, decoder> decoders_of(std::index_sequence<I...>) {
  return {{std::variant_alternative_t<I, request>::root,
           &decode_as<std::variant_alternative_t<I, request>>}...};
}

const std::unordered_map<std::string_view, decoder>& decoders() {
  static const auto table = decoders_of(std::make_index_sequence<std::variant_size_v<request>>{});
  return table;
}

}  // namespace

bool is_request_name(std::string_view name) { return decoders().count(name) != 0; }

decode_result decode_request(const xml_element& root, const device_resolver& resolve) {
  auto i = decoders().find(root.name);
  if (i == decoders().end())
    return decode_failure{root.name, root.ns, errors::operation("serviceNotSupported"),
                          "service not supported: " + root.name, {}};
  return i->second(root, resolve);
}

decode_result decode_request(const xml_element& root) {
  static const device_resolver reduce = [](std::string_view id) { return device_number(id); };
  return decode_request(root, reduce);
}

decode_result decode_request(std::string_view xml) {
  auto parsed = parse_xml(xml);
  if (auto failure = std::get_if<xml_parse_error>(&parsed))
    return decode_failure{{}, {}, errors::operation("invalidParameterValue"),
                          "malformed XML: " + failure->reason, {}};
  return decode_request(std::get<xml_element>(parsed));
}

}  // namespace cstad::protocol
