#include "protocol/connection_state.hpp"

#include <array>

#include "protocol/enum_names.hpp"

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, 7> state_names = {
    "null", "initiated", "alerting", "connected", "hold", "queued", "fail"};

}  // namespace

std::string_view to_string(connection_state s) { return protocol::name_of(state_names, s); }

std::optional<connection_state> parse_connection_state(std::string_view text) {
  return protocol::parse_name<connection_state>(state_names, text);
}

}  // namespace cstad::protocol
