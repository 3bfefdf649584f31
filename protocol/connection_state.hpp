#pragma once
// ECMA-269 LocalConnectionState: the state of one device's connection to one call.

#include <optional>
#include <string_view>

namespace cstad::protocol {

enum class connection_state : unsigned char { null, initiated, alerting, connected, hold, queued, fail };

std::string_view to_string(connection_state s);
std::optional<connection_state> parse_connection_state(std::string_view text);

}  // namespace cstad::protocol
