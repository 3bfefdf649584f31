#pragma once
// The kinds of device in the number plan: every extension kind MX-ONE lets a CSTA client
// monitor, plus the groups.

#include <optional>
#include <string_view>

namespace cstad::sim {

enum class device_kind : unsigned char {
  ip_extension,       // IP/SIP extension
  remote_extension,
  dect_extension,     // cordless DECT
  virtual_extension,  // generic extension without a logged-on terminal
  digital_extension,
  analog_extension,
  cas_extension,
  acd_group,          // CTI/ACD group
  hunt_group,
};

/// Configuration spelling, e.g. "ip", "analog", "acd".
std::string_view to_string(device_kind k);
std::optional<device_kind> parse_device_kind(std::string_view text);

}  // namespace cstad::sim
