#include "protocol/forwarding_type.hpp"

#include <array>

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, forwarding_type_count> names = {
    "forwardImmediate", "forwardBusy",     "forwardNoAns",    "forwardDND",
    "forwardBusyInt",   "forwardBusyExt",  "forwardNoAnsInt", "forwardNoAnsExt",
    "forwardImmInt",    "forwardImmExt",   "forwardDNDInt",   "forwardDNDExt"};

}  // namespace

std::string_view to_string(forwarding_type t) { return names[static_cast<std::size_t>(t)]; }

std::optional<forwarding_type> parse_forwarding_type(std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text)
      return static_cast<forwarding_type>(i);
  return std::nullopt;
}

}  // namespace cstad::protocol
