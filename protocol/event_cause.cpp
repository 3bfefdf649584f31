#include "protocol/event_cause.hpp"

#include <array>

namespace cstad::protocol {
namespace {

constexpr std::array<std::string_view, 120> cause_names = {
#define CSTAD_X(name) #name,
    CSTAD_EVENT_CAUSES(CSTAD_X)
#undef CSTAD_X
};

}  // namespace

std::string_view to_string(event_cause c) {
  return cause_names[static_cast<std::size_t>(c)];
}

std::optional<event_cause> parse_event_cause(std::string_view text) {
  for (std::size_t i = 0; i < cause_names.size(); ++i)
    if (cause_names[i] == text)
      return static_cast<event_cause>(i);
  return std::nullopt;
}

}  // namespace cstad::protocol
