#pragma once
// Turns an exchange event into the CSTA event one device's monitors see. Pure function, no CAF:
// the device actor calls it, tests call it directly.

#include <optional>
#include <string>
#include <vector>

#include "protocol/csta_event.hpp"
#include "sim/domain_event.hpp"

namespace cstad::service {

/// The event as seen by `device` (monitorCrossRefID left empty), or nothing when the device is
/// not on the call.
std::optional<protocol::csta_event> view_of(const sim::domain_event& e, const std::string& device);

/// The event as a call monitor sees it: localConnectionInfo is the subject's own state.
protocol::csta_event call_view(const sim::domain_event& e);

/// Every event type a monitor can receive: the views of all exchange events, and CallCleared
/// (the end of a call monitor's call).
const std::vector<protocol::event_type>& events_sent();

}  // namespace cstad::service
