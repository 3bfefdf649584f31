#include "protocol/forwarding_type.hpp"

#include <array>

#include "protocol/enum_names.hpp"

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, forwarding_type_count> names = {
    "forwardImmediate", "forwardBusy",     "forwardNoAns",    "forwardDND",
    "forwardBusyInt",   "forwardBusyExt",  "forwardNoAnsInt", "forwardNoAnsExt",
    "forwardImmInt",    "forwardImmExt",   "forwardDNDInt",   "forwardDNDExt"};

}  // namespace

std::string_view to_string(forwarding_type t) { return protocol::name_of(names, t); }

std::optional<forwarding_type> parse_forwarding_type(std::string_view text) {
  return protocol::parse_name<forwarding_type>(names, text);
}

}  // namespace cstad::protocol
