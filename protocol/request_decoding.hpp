#pragma once
// What the request decoders share, and the decoders that live outside decode_request.cpp:
// decode_request.cpp has those of call control, call associated and device features and the
// dispatch by root element; decode_system_requests.cpp those of the system, snapshot, agent,
// monitor filter, routeing and escape services; decode_session_requests.cpp ECMA-354's. Every
// request type of the request variant must have its decode() here or in decode_request.cpp
// (decode_as will not compile otherwise). Only those three files include this.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/csta_error.hpp"
#include "protocol/decode_request.hpp"
#include "protocol/xml_element.hpp"

namespace cstad::protocol::decoding {

// A decoder either fills the request or names the error the client gets.
using field_error = std::optional<csta_error>;

// Reads the device identifiers of one request: each becomes the number the resolver makes of
// it, and what the client wrote is kept beside it.
class device_reader {
public:
  explicit device_reader(const device_resolver& resolve) : resolve_(resolve) {}

  std::string operator()(const std::string& as_sent) {
    auto number = resolve_(as_sent);
    seen_.push_back({number, as_sent});
    return number;
  }

  std::vector<device_form> take() { return std::move(seen_); }

private:
  const device_resolver& resolve_;
  std::vector<device_form> seen_;
};

// callID is optional in the schema. Where a connection is one the device acts on (answer,
// clear, hold, …), clients send the deviceID alone for "my call" and the service finds the
// call; where two calls or a call itself are named (heldCall/activeCall, callObject) it is
// required.
enum class call_part { required, optional };

/// The connection in e (callID, deviceID); `missing` names the error when there is no e.
field_error read_connection(const xml_element* e, connection_id& out, std::string_view missing,
                            device_reader& device, call_part call = call_part::optional);
/// The device named by root's child `name` (its number, the client's form kept); `missing`
/// names the error when there is none.
field_error read_device(const xml_element& root, std::string_view name, std::string& out,
                        std::string_view missing, device_reader& device);

// -- decode_system_requests.cpp --------------------------------------------------------------
field_error decode(const xml_element&, request_system_status_request&, device_reader&);
field_error decode(const xml_element&, system_register_request&, device_reader&);
field_error decode(const xml_element&, get_csta_features_request&, device_reader&);
field_error decode(const xml_element& root, system_status_request& r, device_reader&);
field_error decode(const xml_element& root, change_system_status_filter_request& r, device_reader&);
field_error decode(const xml_element& root, snapshot_device_request& r, device_reader& device);
field_error decode(const xml_element& root, snapshot_call_request& r, device_reader& device);
field_error decode(const xml_element& root, set_agent_state_request& r, device_reader& device);
field_error decode(const xml_element& root, get_agent_state_request& r, device_reader& device);
field_error decode(const xml_element& root, get_switching_function_devices_request& r, device_reader& device);
field_error decode(const xml_element& root, change_monitor_filter_request& r, device_reader&);
field_error decode(const xml_element& root, route_register_request& r, device_reader& device);
field_error decode(const xml_element& root, route_register_cancel_request& r, device_reader&);
field_error decode(const xml_element& root, route_select_request& r, device_reader& device);
field_error decode(const xml_element& root, route_end_request& r, device_reader&);
field_error decode(const xml_element& root, escape_request& r, device_reader&);

// -- decode_session_requests.cpp (ECMA-354) -------------------------------------------------
field_error decode(const xml_element& root, start_application_session_request& r, device_reader&);
field_error decode(const xml_element& root, transfer_monitor_objects_request& r, device_reader&);
field_error decode(const xml_element& root, stop_application_session_request& r, device_reader&);
field_error decode(const xml_element& root, reset_application_session_timer_request& r, device_reader&);

}  // namespace cstad::protocol::decoding
