// The message waiting indicator of a device (a physical device feature): set by an application
// (a voice mail system, usually), kept by the exchange for the device whoever asks later, and
// reported to the device's monitors like do-not-disturb.

#include "sim/exchange.hpp"

namespace cstad::sim {

namespace errors = protocol::errors;

namespace {

// Only extensions have a set with a lamp; a group is no terminal.
std::optional<protocol::csta_error> no_indicator(const number_plan& plan, const std::string& device) {
  auto d = plan.find(device);
  if (d == nullptr)
    return errors::operation("invalidDeviceID");
  if (d->kind == device_kind::acd_group || d->kind == device_kind::hunt_group)
    return errors::operation("requestIncompatibleWithDevice");
  return std::nullopt;
}

}  // namespace

outcome exchange::set_message_waiting(const std::string& device, bool on, std::vector<domain_event>& out) {
  if (auto err = no_indicator(plan_, device))
    return outcome::refuse(*err);
  features_[device].message_waiting = on;
  auto& e = out.emplace_back();
  e.kind = domain_event_kind::message_waiting;
  e.subject = device;
  e.flag = on;
  e.time = clock_.now();
  e.observers.push_back(observer{device, protocol::connection_state::null});
  return outcome::done(0, device);
}

outcome exchange::get_message_waiting(const std::string& device) const {
  if (auto err = no_indicator(plan_, device))
    return outcome::refuse(*err);
  auto o = outcome::done(0, device);
  auto f = features_.find(device);
  o.flag = f != features_.end() && f->second.message_waiting;
  return o;
}

}  // namespace cstad::sim
