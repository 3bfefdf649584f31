#pragma once
// Turns an exchange event into the CSTA event one device's monitors see. Pure function, no CAF:
// the device actor calls it, tests call it directly.

#include <optional>
#include <string>

#include "protocol/csta_event.hpp"
#include "sim/domain_event.hpp"

namespace cstad {

/// The event as seen by `device` (monitorCrossRefID left empty), or nothing when the device is
/// not on the call.
std::optional<protocol::csta_event> view_of(const sim::domain_event& e, const std::string& device);

/// The event as a call monitor sees it: localConnectionInfo is the subject's own state.
protocol::csta_event call_view(const sim::domain_event& e);

}  // namespace cstad
