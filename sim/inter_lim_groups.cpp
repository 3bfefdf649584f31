// Hunt group members and ACD agents on other LIMs. The group's LIM offers the call to such a
// member over a leg to the member's LIM (a setup naming the group as relay) and keeps the call:
// its timers, its rules (no answer: the next member, or requeue and not ready; ring-all: the
// first answer wins) and its agents' states work as for its own members, and it relays between
// the member's LIM and a caller on a third LIM. The member's LIM runs the leg as any call from
// another LIM (forwarding, DND, busy apply there; the legs of several members there share its
// call, each signalled and released on its own) and signals the group's LIM, which shows the
// member as its caller's and group's monitors see a member of its own: delivered when it rings
// there, established (distributed) when it answers. A member's LIM that cannot offer it the call
// (busy, DND, …) fails the leg: the hunt moves on; an ACD agent is made not ready and the call
// requeued (the group's LIM cannot tell when the agent will be free again, and would otherwise
// offer it the same call round and round).
//
// Not supported: a member on the caller's own LIM when the group is on another one (one
// exchange cannot hold two sides of one call); that LIM fails the leg (networkNotObtainable).

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using signal_kind = inter_lim_signal::kind;

party* exchange::group_legs_of(call& c) {
  for (auto& p : c.parties)
    if (p.remote() && !p.far->gone && p.far->legs)
      return &p;
  return nullptr;
}

outcome exchange::receive_another_leg(call& c, const inter_lim_signal& s,
                                      std::vector<domain_event>& out) {
  if (c.find(s.to) != nullptr)
    return outcome::refuse(protocol::errors::operation("invalidCalledDeviceID"));
  // Delivered as the first leg was; one that cannot ring fails alone (see fail()).
  deliver(c, s.to, s.cause, out);
  end_call_if_empty(s.call);
  return outcome::done(s.call, s.to);
}

void exchange::tell_leg_released(call& c, const std::string& device, event_cause cause) {
  auto p = c.find(device);
  auto group = group_legs_of(c);
  if (p == nullptr || p->external || group == nullptr)
    return;
  auto others = std::count_if(c.parties.begin(), c.parties.end(), [&](const party& q) {
    return !q.external && q.device != device;
  });
  // The last leg leaving ends our side of the call: that is signalled as for any call.
  if (others > 0)
    queue_signal(signal_to(*group, signal_kind::released, c, device, cause));
}

// device by value: it may be the party's own, which remove_party destroys.
bool exchange::withdraw_leg(call& c, std::string device, event_cause cause,
                            std::vector<domain_event>& out) {
  auto leg = c.find(device);
  auto ours = std::count_if(c.parties.begin(), c.parties.end(),
                            [](const party& p) { return !p.external; });
  if (leg == nullptr || leg->external || ours < 2)
    return false;  // the last leg: the group's LIM ends our side of the call
  set_state(*leg, connection_state::null);
  add_event(out, domain_event_kind::connection_cleared, c, device, cause);
  remove_party(c, device);
  settle_legs(c);
  return true;
}

void exchange::settle_legs(call& c) {
  auto group = group_legs_of(c);
  if (group == nullptr)
    return;
  std::vector<const party*> ours;
  for (auto& p : c.parties)
    if (!p.external)
      ours.push_back(&p);
  if (ours.size() == 1 && (ours.front()->state == connection_state::connected ||
                           ours.front()->state == connection_state::hold))
    group->far->legs = false;
}

bool exchange::offered(const party& p) {
  return p.via_group && (p.state == connection_state::alerting ||
                         (p.remote() && p.state == connection_state::null));
}

void exchange::offer_far_member(call& c, const std::string& member, event_cause cause) {
  inter_lim_signal setup;
  setup.what = signal_kind::setup;
  setup.call = c.id;
  setup.to = member;
  setup.called = c.called;
  setup.cause = cause;
  setup.hops = c.lim_hops + 1;
  // The member's LIM shows the caller (ours, an outside number or a far caller we relay) and
  // answers us, the group's LIM, about it.
  auto caller = std::find_if(c.parties.begin(), c.parties.end(),
                             [&](const party& p) { return !p.via_group && p.device != c.group; });
  setup.relay = our_number(c);
  setup.from = caller != c.parties.end() ? caller->device : setup.relay;
  auto& r = add_party(c, member, connection_state::null, true);
  r.via_group = true;
  r.far = far_side{setup.from, connection_state::connected, {}, false};
  queue_signal(std::move(setup));
  arm_ring_timer(c.id, member);
}

void exchange::far_member_failed(call& c, party& r, std::vector<domain_event>& out) {
  auto member = r.device;
  forget_remote(c, r);  // skipped as a busy member of ours is: no event
  if (plan_.acd_group(c.group) != nullptr) {
    if (auto a = agents_.find(member); a != agents_.end() && a->second.state == agent_state::busy)
      set_agent(a->second, agent_state::not_ready, out);
    requeue(c, c.group, out);
    return;
  }
  auto config = plan_.hunt_group(c.group);
  if (config == nullptr)
    return;
  // Another member still rings, or took the call already.
  if (std::any_of(c.parties.begin(), c.parties.end(), [](const party& p) {
        return offered(p) || (p.via_group && (p.state == connection_state::connected ||
                                              p.state == connection_state::hold));
      }))
    return;
  switch (config->distribution) {
    case hunt_distribution::linear:
    case hunt_distribution::circular:
      if (hunt_next(c, out))
        return;
      break;
    case hunt_distribution::cascade:
      if (c.cascade_set + 1 < config->sets.size())
        return;  // the next set is offered at its step
      break;
    case hunt_distribution::ring_all: break;
  }
  // Nobody could take it: as when no member is free at all.
  fail(c, c.group, event_cause::busy, out);
}

}  // namespace cstad::sim
