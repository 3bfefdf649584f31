#include "protocol/event_cause.hpp"

#include <array>

#include "protocol/enum_names.hpp"

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, 120> cause_names = {
#define CSTAD_X(name) #name,
    CSTAD_EVENT_CAUSES(CSTAD_X)
#undef CSTAD_X
};

}  // namespace

std::string_view to_string(event_cause c) { return protocol::name_of(cause_names, c); }

std::optional<event_cause> parse_event_cause(std::string_view text) {
  return protocol::parse_name<event_cause>(cause_names, text);
}

}  // namespace cstad::protocol
