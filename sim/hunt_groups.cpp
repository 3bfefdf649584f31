// Hunt groups with MX-ONE's distributions: linear, circular, ring-all and the cascade ring
// group. Members that are busy, in DND or absent (no terminal) are skipped; an unanswered
// member makes the call move on. A member may be another LIM's number: inter_lim_groups.cpp.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;

bool exchange::available(const call& c, const std::string& member) const {
  if (!is_internal(member))
    // Another LIM's member: only its LIM knows whether it is free (it fails the offer if not).
    // Not the caller itself, nor past the hop limit.
    return is_remote(member) && c.find(member) == nullptr && c.lim_hops < max_lim_hops;
  auto dev = plan_.find(member);
  return dev != nullptr && dev->kind != device_kind::virtual_extension && !is_busy(member) &&
         !do_not_disturb(member);
}

void exchange::alert_member(call& c, const std::string& member, event_cause cause,
                            std::vector<domain_event>& out) {
  c.hunted.push_back(member);
  if (!is_internal(member)) {
    offer_far_member(c, member, cause);  // delivered when its LIM says it rings
    return;
  }
  add_party(c, member, connection_state::alerting, false).via_group = true;
  add_event(out, domain_event_kind::delivered, c, member, cause);
  tell_far(c, inter_lim_signal::kind::alerting, member, cause);
  arm_ring_timer(c.id, member);
}

void exchange::hunt_offer(call& c, const std::string& group, event_cause, std::vector<domain_event>& out) {
  auto& config = *plan_.hunt_group(group);
  c.group = group;
  c.last_redirection = group;
  if (std::find(c.watchers.begin(), c.watchers.end(), group) == c.watchers.end())
    c.watchers.push_back(group);
  switch (config.distribution) {
    case hunt_distribution::linear:
    case hunt_distribution::circular:
      if (!hunt_next(c, out))
        fail(c, group, event_cause::busy, out);
      return;
    case hunt_distribution::ring_all:
    case hunt_distribution::cascade: {
      c.cascade_set = 0;
      bool alerted = false;
      for (auto& m : config.sets.front())
        if (available(c, m)) {
          alert_member(c, m, event_cause::distributed, out);
          alerted = true;
        }
      if (config.distribution == hunt_distribution::cascade && config.sets.size() > 1) {
        timers_.push(clock_.now() + config.cascade_step, timer{timer::kind::cascade_step, c.id, {}, 0});
        return;  // a later set may still answer even if the first is all busy
      }
      if (!alerted)
        fail(c, group, event_cause::busy, out);
      return;
    }
  }
}

// Linear and circular: offers the call to the next available member not yet tried.
bool exchange::hunt_next(call& c, std::vector<domain_event>& out) {
  auto& config = *plan_.hunt_group(c.group);
  auto members = config.members();
  std::size_t start = 0;
  if (config.distribution == hunt_distribution::circular) {
    auto pos = hunt_position_.find(c.group);
    start = pos == hunt_position_.end() ? 0 : (pos->second + 1) % members.size();
  }
  for (std::size_t k = 0; k < members.size(); ++k) {
    auto index = (start + k) % members.size();
    auto& m = members[index];
    if (std::find(c.hunted.begin(), c.hunted.end(), m) != c.hunted.end() || !available(c, m))
      continue;
    if (config.distribution == hunt_distribution::circular)
      hunt_position_[c.group] = index;
    alert_member(c, m, event_cause::distributed, out);
    return true;
  }
  return false;
}

void exchange::cascade_step(call_id id, std::vector<domain_event>& out) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return;
  auto& c = i->second;
  auto talking = std::any_of(c.parties.begin() + 1, c.parties.end(), [](const party& p) {
    return p.state == connection_state::connected;
  });
  auto& config = *plan_.hunt_group(c.group);
  if (talking || c.cascade_set + 1 >= config.sets.size())
    return;
  ++c.cascade_set;
  for (auto& m : config.sets[c.cascade_set])
    if (available(c, m))
      alert_member(c, m, event_cause::distributed, out);
  if (c.cascade_set + 1 < config.sets.size())
    timers_.push(clock_.now() + config.cascade_step, timer{timer::kind::cascade_step, id, {}, 0});
  else if (c.parties.size() == 1) {
    fail(c, c.group, event_cause::busy, out);  // nobody in any set could take it
    end_call_if_empty(id);                     // an outside or far caller is gone with it
  }
}

// A member answered: the others stop ringing.
void exchange::hunt_answered(call& c, const std::string& device, std::vector<domain_event>& out) {
  std::vector<std::string> ringing;
  for (auto& p : c.parties)
    if (p.device != device && offered(p))
      ringing.push_back(p.device);
  for (auto& m : ringing)
    release(c, m, event_cause::normalClearing, out);
}

void exchange::group_ring_timeout(call& c, const std::string& device, duration alerting_for,
                                  std::vector<domain_event>& out) {
  auto id = c.id;
  if (auto acd = plan_.acd_group(c.group)) {
    if (alerting_for < acd->no_answer) {
      timers_.push(clock_.now() + (acd->no_answer - alerting_for), timer{timer::kind::ring, id, device, 0});
      return;
    }
    // Not ready first, so the agent is not handed the next call on the way.
    if (auto a = agents_.find(device); a != agents_.end() && a->second.state == agent_state::busy)
      set_agent(a->second, agent_state::not_ready, out);
    release(c, device, event_cause::callNotAnswered, out);
    requeue(c, c.group, out);
    return;
  }
  auto& config = *plan_.hunt_group(c.group);
  bool one_by_one = config.distribution == hunt_distribution::linear ||
                    config.distribution == hunt_distribution::circular;
  auto limit = one_by_one ? config.no_answer : timing_.max_ring_time;
  if (alerting_for < limit) {
    timers_.push(clock_.now() + (limit - alerting_for), timer{timer::kind::ring, id, device, 0});
    return;
  }
  if (one_by_one) {
    release(c, device, event_cause::callNotAnswered, out);
    if (!hunt_next(c, out)) {
      // Every member was tried: the call ends.
      while (!c.parties.empty())
        release(c, c.parties.front().device, event_cause::callNotAnswered, out);
      end_call_if_empty(id);
    }
    return;
  }
  // Nobody answered in time: the call ends.
  release_with_rule(c, device, event_cause::callNotAnswered, out);
  end_call_if_empty(id);
}

}  // namespace cstad::sim
