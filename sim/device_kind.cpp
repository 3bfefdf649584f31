#include "sim/device_kind.hpp"

#include <array>

namespace cstad::sim {
namespace {

constexpr std::array<std::string_view, 9> kind_names = {
    "ip", "remote", "dect", "virtual", "digital", "analog", "cas", "acd", "hunt"};

}  // namespace

std::string_view to_string(device_kind k) { return kind_names[static_cast<std::size_t>(k)]; }

std::optional<device_kind> parse_device_kind(std::string_view text) {
  for (std::size_t i = 0; i < kind_names.size(); ++i)
    if (kind_names[i] == text)
      return static_cast<device_kind>(i);
  return std::nullopt;
}

}  // namespace cstad::sim
