#include "sim/device_kind.hpp"

#include <array>

#include "protocol/enum_names.hpp"

namespace cstad::sim {
namespace {

constexpr std::array<std::string_view, 9> kind_names = {
    "ip", "remote", "dect", "virtual", "digital", "analog", "cas", "acd", "hunt"};

}  // namespace

std::string_view to_string(device_kind k) { return protocol::name_of(kind_names, k); }

std::optional<device_kind> parse_device_kind(std::string_view text) {
  return protocol::parse_name<device_kind>(kind_names, text);
}

}  // namespace cstad::sim
