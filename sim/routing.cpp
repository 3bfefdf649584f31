// Routing an arriving call: forwarding (immediate, busy, no answer, DND; internal/external
// variants), do-not-disturb, busy, trunks to outside numbers, unknown numbers, ring timers.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using ft = protocol::forwarding_type;
namespace errors = protocol::errors;

const forward_setting* exchange::forward_for(const std::string& device, bool internal_caller,
                                             ft general, ft internal, ft external) const {
  auto f = features_.find(device);
  if (f == features_.end())
    return nullptr;
  for (auto type : {general, internal_caller ? internal : external}) {
    auto& s = f->second.forwards[static_cast<std::size_t>(type)];
    if (s.active && !s.destination.empty())
      return &s;
  }
  return nullptr;
}

void exchange::divert(call& c, const std::string& from, const std::string& to, event_cause cause,
                      std::vector<domain_event>& out) {
  auto& e = add_event(out, domain_event_kind::diverted, c, from, cause);
  e.other = to;
  // The diverting device no longer has a connection, but its monitors are told.
  if (std::none_of(e.observers.begin(), e.observers.end(),
                   [&](const observer& o) { return o.device == from; }))
    e.observers.push_back(observer{from, connection_state::null});
  c.last_redirection = from;
}

void exchange::fail(call& c, const std::string& failing, event_cause cause,
                    std::vector<domain_event>& out) {
  if (c.parties.empty())
    return;
  auto& caller = c.parties.front();
  if (caller.remote()) {
    // The caller's LIM fails the call on its side: it keeps its caller in the fail state.
    if (!caller.far->gone) {
      auto s = signal_to(caller, inter_lim_signal::kind::failed, c, failing, cause);
      s.relay.clear();  // what failed, not a party we relay (it may be another LIM's number)
      queue_signal(std::move(s));
    }
    // A far group's leg: its other legs here ring on (inter_lim_groups.cpp).
    if (caller.far->legs && has_local_party(c))
      return;
    forget_remote(c, caller);
    return;
  }
  if (caller.external) {
    // An outside caller hears the tone and the trunk is released: nothing stays behind.
    remove_party(c, caller.device);
    return;
  }
  // The caller stays on the call in the fail state (hearing busy or reorder tone) until it
  // clears its connection.
  set_state(caller, connection_state::fail);
  add_event(out, domain_event_kind::failed, c, failing, cause);
}

void exchange::deliver(call& c, std::string destination, event_cause cause,
                       std::vector<domain_event>& out) {
  bool internal_caller = this->internal_caller(c);
  std::vector<std::string> visited;
  auto next_hop = [&](const forward_setting* f) -> const forward_setting* {
    // A forward back to a device the call already passed would loop: it is ignored, so the
    // call stops at the device that would have closed the loop.
    if (f == nullptr || std::find(visited.begin(), visited.end(), f->destination) != visited.end())
      return nullptr;
    return f;
  };
  for (;;) {
    const auto& dest = destination;
    if (!is_internal(dest)) {
      if (is_remote(dest)) {
        deliver_remote(c, dest, cause, out);
        return;
      }
      if (!is_outside_number(dest)) {
        fail(c, dest, event_cause::numberUnallocated, out);
        return;
      }
      add_party(c, dest, connection_state::alerting, true);
      add_event(out, domain_event_kind::network_reached, c, dest, cause).text = "T" + plan_.trunk_prefix();
      add_event(out, domain_event_kind::delivered, c, dest, cause);
      arm_ring_timer(c.id, dest);
      return;
    }
    visited.push_back(dest);
    auto kind = plan_.find(dest)->kind;
    if (kind == device_kind::acd_group) {
      if (!ask_application(c, dest, cause))
        acd_offer(c, dest, cause, out);
      return;
    }
    if (kind == device_kind::hunt_group) {
      hunt_offer(c, dest, cause, out);
      return;
    }
    // Follows a forwarding of the given kind, if the device has one that applies.
    auto forwarded = [&](ft general, ft internal, ft external, event_cause why) {
      auto f = next_hop(forward_for(dest, internal_caller, general, internal, external));
      if (f == nullptr)
        return false;
      divert(c, dest, f->destination, why, out);
      destination = f->destination;
      cause = why;
      return true;
    };
    if (forwarded(ft::forwardImmediate, ft::forwardImmInt, ft::forwardImmExt,
                  event_cause::callForwardImmediate))
      continue;
    if (features_[dest].dnd) {
      if (forwarded(ft::forwardDND, ft::forwardDNDInt, ft::forwardDNDExt, event_cause::callForward))
        continue;
      fail(c, dest, event_cause::doNotDisturb, out);
      return;
    }
    if (is_busy(dest)) {
      if (forwarded(ft::forwardBusy, ft::forwardBusyInt, ft::forwardBusyExt,
                    event_cause::callForwardBusy))
        continue;
      fail(c, dest, event_cause::busy, out);
      return;
    }
    if (plan_.find(dest)->kind == device_kind::virtual_extension) {
      // No terminal is logged on: nothing can ring.
      fail(c, dest, event_cause::destNotObtainable, out);
      return;
    }
    add_party(c, dest, connection_state::alerting, false);
    add_event(out, domain_event_kind::delivered, c, dest, cause);
    tell_far(c, inter_lim_signal::kind::alerting, dest, cause);
    arm_ring_timer(c.id, dest);
    return;
  }
}

void exchange::arm_ring_timer(call_id id, const std::string& device) {
  auto now = clock_.now();
  auto& c = calls_.at(id);
  auto p = c.find(device);
  if (p != nullptr && p->via_group) {
    // The group's own timing: an agent or a linear/circular member is given up after the
    // group's no-answer time; ring-all and cascade groups ring up to the overall limit.
    auto wait = timing_.max_ring_time;
    if (auto acd = plan_.acd_group(c.group))
      wait = acd->no_answer;
    else if (auto hunt = plan_.hunt_group(c.group);
             hunt != nullptr && (hunt->distribution == hunt_distribution::linear ||
                                 hunt->distribution == hunt_distribution::circular))
      wait = hunt->no_answer;
    timers_.push(now + wait, timer{timer::kind::ring, id, device, 0});
    return;
  }
  auto due = now + timing_.max_ring_time;
  if (auto f = forward_for(device, internal_caller(c), ft::forwardNoAns, ft::forwardNoAnsInt,
                           ft::forwardNoAnsExt)) {
    int rings = f->ring_count > 0 ? f->ring_count : timing_.default_no_answer_rings;
    due = std::min(due, now + timing_.ring_cycle * rings);
  }
  timers_.push(due, timer{timer::kind::ring, id, device, 0});
}

std::optional<time_point> exchange::next_timer() const {
  if (timers_.empty())
    return std::nullopt;
  return timers_.next_due();
}

void exchange::tick(std::vector<domain_event>& out) {
  auto now = clock_.now();
  while (!timers_.empty() && timers_.next_due() <= now) {
    auto t = timers_.pop();
    switch (t.what) {
      case timer::kind::ring: ring_timeout(t.call, t.device, out); break;
      case timer::kind::after_call_work: after_call_work_over(t.device, t.stamp, out); break;
      case timer::kind::cascade_step: cascade_step(t.call, out); break;
      case timer::kind::route_timeout: route_timeout(t.device, out); break;
    }
  }
}

void exchange::ring_timeout(call_id id, const std::string& device, std::vector<domain_event>& out) {
  auto now = clock_.now();
  auto i = calls_.find(id);
  {
    if (i == calls_.end())
      return;
    auto& c = i->second;
    auto p = c.find(device);
    // A group's offer to another LIM's member is timed from the offer until it rings there.
    if (p == nullptr || (p->state != connection_state::alerting && !offered(*p)))
      return;  // answered, diverted or gone meanwhile
    auto alerting_for = now - p->since;
    if (p->via_group) {
      group_ring_timeout(c, device, alerting_for, out);
      return;
    }
    const forward_setting* f = nullptr;
    if (!p->external)
      f = forward_for(device, internal_caller(c), ft::forwardNoAns, ft::forwardNoAnsInt,
                      ft::forwardNoAnsExt);
    if (f != nullptr && f->destination != c.calling) {
      auto wanted = timing_.ring_cycle * (f->ring_count > 0 ? f->ring_count
                                                            : timing_.default_no_answer_rings);
      if (alerting_for < wanted) {
        // An older timer of a connection that started alerting again later.
        timers_.push(p->since + wanted, timer{timer::kind::ring, id, device, 0});
        return;
      }
      auto destination = f->destination;
      remove_party(c, device);
      divert(c, device, destination, event_cause::callForwardNoAnswer, out);
      deliver(c, destination, event_cause::callForwardNoAnswer, out);
      end_call_if_empty(id);
      return;
    }
    if (alerting_for < timing_.max_ring_time) {
      // Forwarding was switched off meanwhile: ring on until the overall limit.
      timers_.push(p->since + timing_.max_ring_time, timer{timer::kind::ring, id, device, 0});
      return;
    }
    release_with_rule(c, device, event_cause::callNotAnswered, out);
    end_call_if_empty(id);
  }
}

// -- logical device features ------------------------------------------------------------------

bool exchange::do_not_disturb(const std::string& device) const {
  auto f = features_.find(device);
  return f != features_.end() && f->second.dnd;
}

std::vector<forward_setting> exchange::forwarding(const std::string& device) const {
  std::vector<forward_setting> out;
  auto f = features_.find(device);
  if (f != features_.end())
    for (auto& s : f->second.forwards)
      if (s.active)
        out.push_back(s);
  return out;
}

std::vector<device_settings> exchange::settings() const {
  std::vector<device_settings> out;
  for (auto& [device, f] : features_) {
    device_settings d{device, f.dnd, forwarding(device)};
    if (d.dnd || !d.forwards.empty())
      out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(),
            [](const device_settings& a, const device_settings& b) { return a.device < b.device; });
  return out;
}

outcome exchange::set_do_not_disturb(const std::string& device, bool on,
                                     std::vector<domain_event>& out) {
  if (!is_internal(device))
    return outcome::refuse(errors::operation("invalidDeviceID"));
  features_[device].dnd = on;
  auto& e = out.emplace_back();
  e.kind = domain_event_kind::do_not_disturb;
  e.subject = device;
  e.flag = on;
  e.time = clock_.now();
  e.observers.push_back(observer{device, connection_state::null});
  return outcome::done(0, device);
}

outcome exchange::set_forwarding(const std::string& device, ft type, bool on,
                                 const std::string& destination, int ring_count,
                                 std::vector<domain_event>& out) {
  if (!is_internal(device))
    return outcome::refuse(errors::operation("invalidDeviceID"));
  if (on && (destination.empty() || destination == device || !is_reachable(destination)))
    return outcome::refuse(errors::operation("invalidForwardingDestination"));
  if (ring_count < 0 || ring_count > 99)
    return outcome::refuse(errors::operation("invalidRingCount"));
  auto& s = features_[device].forwards[static_cast<std::size_t>(type)];
  s.type = type;
  s.active = on;
  if (on || !destination.empty())
    s.destination = destination;
  s.ring_count = ring_count;
  auto& e = out.emplace_back();
  e.kind = domain_event_kind::forwarding;
  e.subject = device;
  e.flag = on;
  e.forwarding = type;
  e.other = s.destination;
  e.time = clock_.now();
  e.observers.push_back(observer{device, connection_state::null});
  return outcome::done(0, device);
}

}  // namespace cstad::sim
