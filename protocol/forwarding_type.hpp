#pragma once
// ECMA-269 ForwardingType, in the standard's order and spelling.

#include <optional>
#include <string_view>

namespace cstad::protocol {

enum class forwarding_type : unsigned char {
  forwardImmediate,
  forwardBusy,
  forwardNoAns,
  forwardDND,
  forwardBusyInt,
  forwardBusyExt,
  forwardNoAnsInt,
  forwardNoAnsExt,
  forwardImmInt,
  forwardImmExt,
  forwardDNDInt,
  forwardDNDExt,
};

inline constexpr int forwarding_type_count = 12;

std::string_view to_string(forwarding_type t);
std::optional<forwarding_type> parse_forwarding_type(std::string_view text);

}  // namespace cstad::protocol
