#pragma once
// The pieces every service handler uses to turn a request into an exchange operation and an
// outcome into a response: call ids, device and connection checks (each with the error value
// ECMA-269 gives for it), and the common response shapes.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/requests.hpp"
#include "service/session_core.hpp"
#include "sim/operation.hpp"

namespace cstad::service {

/// Call ids on the wire are the exchange's numbers; anything else names no call.
std::optional<sim::call_id> parse_call_id(std::string_view text);

sim::operation make_op(sim::operation_kind kind, std::string device);

/// A device named in a request, known to the directory: its LIM. Refuses the request with
/// operation/error_value (and returns nothing) otherwise.
std::optional<int> device_lim(session_core& s, const incoming& in, const std::string& number,
                              std::string_view error_value = "invalidDeviceID");

/// A call named in a request: its id and its LIM (read off the id). Refuses with
/// operation/error_value otherwise.
struct call_route {
  sim::call_id call = 0;
  int lim = 0;
};
std::optional<call_route> call_lim(session_core& s, const incoming& in, std::string_view call,
                                   std::string_view error_value = "invalidCallID");

/// A ConnectionID from the client: a call of ours and a device of the plan; the operation runs
/// on the device's LIM. A deviceID without callID names the device's only call, which the
/// device's LIM is asked for first (none, or several: invalidConnectionID). then gets the route
/// at once or once it is known; on a refusal the client has been answered and then never runs.
void resolve_connection(session_core& s, const incoming& in, const protocol::connection_id& c,
                        std::string_view bad_call, std::function<void(const call_route&)> then);

/// The call a device alone names: its only connection's. Nothing when it has none or several.
std::optional<sim::call_id> only_call(const sim::outcome& device_snapshot);

/// Answers with an empty <NameResponse/>.
renderer empty_response(std::string_view request_name);

/// Answers with <root><element>callID/deviceID of the outcome</element></root>.
renderer connection_response(std::string root, std::string element);

}  // namespace cstad::service
