#include "protocol/connection_state.hpp"

#include <array>

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, 7> state_names = {
    "null", "initiated", "alerting", "connected", "hold", "queued", "fail"};

}  // namespace

std::string_view to_string(connection_state s) {
  return state_names[static_cast<std::size_t>(s)];
}

std::optional<connection_state> parse_connection_state(std::string_view text) {
  for (std::size_t i = 0; i < state_names.size(); ++i)
    if (state_names[i] == text)
      return static_cast<connection_state>(i);
  return std::nullopt;
}

}  // namespace cstad::protocol
