// Calls between LIMs: the exchange's side of a call whose other side is on another LIM. Each
// exchange keeps the far side as one remote party and signals every change of its own side
// (alerting, answered, held, released, transferred, …) under the call's system-wide id; a
// signal from the far side changes the remote party and yields the events this LIM's monitors
// see. A call reaches at most one other LIM from an exchange: an exchange that would join two
// remote parties hands the call over instead (a redirected setup, a hand-off transfer), so no
// LIM stays in the middle of a call it has no device on. Two exceptions keep a call on the LIM
// where it is joined, which then relays between the far LIMs (inter_lim.hpp): a conference
// (inter_lim_conference.cpp), until its last party there leaves, and a group offering the call
// to a member on another LIM (inter_lim_groups.cpp), whose timers and rules run there.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using signal_kind = inter_lim_signal::kind;
namespace errors = protocol::errors;

void exchange::set_remote_numbers(std::function<bool(const std::string&)> is_remote) {
  is_remote_ = std::move(is_remote);
}

bool exchange::is_remote(const std::string& number) const {
  return is_remote_ && !is_internal(number) && is_remote_(number);
}

void exchange::take_signals(std::vector<inter_lim_signal>& out) {
  out.insert(out.end(), std::make_move_iterator(outbox_.begin()),
             std::make_move_iterator(outbox_.end()));
  outbox_.clear();
}

inter_lim_signal exchange::signal_to(const party& r, signal_kind what, const call& c,
                                     const std::string& from, event_cause cause) const {
  inter_lim_signal s;
  s.what = what;
  s.call = c.id;
  s.from = from;
  s.to = r.far_address();
  s.cause = cause;
  // A third LIM's party we relay: the receiver is to answer us about it, not its own LIM.
  if (is_remote(from))
    s.relay = our_number(c);
  return s;
}

std::string exchange::our_number(const call& c) const {
  if (!c.group.empty() && is_internal(c.group))
    return c.group;
  for (auto& p : c.parties)
    if (!p.external)
      return p.device;
  return is_internal(c.last_redirection) ? c.last_redirection : std::string{};
}

party* exchange::remote_party(call& c) {
  for (auto& p : c.parties)
    if (p.remote() && !p.far->gone && !p.far->behind)
      return &p;
  return nullptr;
}

party* exchange::remote_party_for(call& c, const std::string& from) {
  party* only = nullptr;
  int count = 0;
  party* leg = nullptr;
  int legs = 0;
  for (auto& p : c.parties) {
    if (!p.remote() || p.far->gone)
      continue;
    if (p.device == from)
      return &p;
    if (p.far->behind)
      continue;
    only = &p;
    ++count;
    if (offered(p)) {
      leg = &p;
      ++legs;
    }
  }
  // The far side may name a device we do not know yet (it diverted, hunted or transferred):
  // the call's only far party, or else the only group member still being offered it (its LIM
  // forwarded it), as ringing is the only time a far side changes devices unannounced.
  if (count == 1)
    return only;
  return legs == 1 ? leg : nullptr;
}

bool exchange::has_local_party(const call& c) const {
  return std::any_of(c.parties.begin(), c.parties.end(), [](const party& p) { return !p.external; });
}

void exchange::forget_remote(call& c, party& r) {
  r.far->gone = true;
  remove_party(c, r.device);
}

void exchange::tell_far(call& c, signal_kind what, const std::string& device, event_cause cause) {
  // A group's members hear of the caller's side only, not of each other.
  auto source = c.find(device);
  bool member = source != nullptr && source->via_group;
  for (auto& r : c.parties) {
    // A party's own LIM knows; parties another LIM relays to us hear through that LIM.
    if (!r.remote() || r.far->gone || r.far->behind || r.device == device || (member && r.via_group))
      continue;
    auto& far = *r.far;
    if (far.legs || std::find(far.shown.begin(), far.shown.end(), device) != far.shown.end()) {
      // A conference party the far LIM shows on its own, or a leg of its group's call: every
      // change of it, as it is.
      queue_signal(signal_to(r, what, c, device, cause));
      if (what == signal_kind::answered)
        settle_legs(c);
      continue;
    }
    switch (what) {
      case signal_kind::alerting: {
        // Ring-all: the far side hears one ringing, not one per member.
        auto peer = c.find(far.peer);
        if (far.told == connection_state::alerting && far.peer != device && peer != nullptr &&
            peer->state == connection_state::alerting)
          continue;
        far.told = connection_state::alerting;
        break;
      }
      case signal_kind::answered:
        if (far.told == connection_state::connected || far.told == connection_state::hold)
          continue;  // someone else on our side talks with it already
        far.told = connection_state::connected;
        break;
      case signal_kind::held:
        // Our side is on hold only when nobody of ours talks on the call any more.
        if (far.told != connection_state::connected ||
            std::any_of(c.parties.begin(), c.parties.end(), [](const party& p) {
              return !p.external && p.state == connection_state::connected;
            }))
          continue;
        far.told = connection_state::hold;
        break;
      case signal_kind::retrieved:
        if (far.told != connection_state::hold)
          continue;
        far.told = connection_state::connected;
        break;
      default: break;
    }
    far.peer = device;
    queue_signal(signal_to(r, what, c, device, cause));
  }
}

// -- sending a call to another LIM -----------------------------------------------------------

void exchange::deliver_remote(call& c, const std::string& destination, event_cause cause,
                              std::vector<domain_event>& out) {
  if (c.lim_hops >= max_lim_hops) {
    // Forwarded from LIM to LIM in a circle: it would never ring anywhere.
    fail(c, destination, event_cause::networkNotObtainable, out);
    return;
  }
  inter_lim_signal setup;
  setup.hops = c.lim_hops + 1;
  setup.what = signal_kind::setup;
  setup.call = c.id;
  setup.to = destination;
  setup.called = c.called;
  setup.cause = cause;
  if (auto r = remote_party(c)) {
    if (has_local_party(c)) {
      // Joining two other LIMs would leave this one in the middle of the call.
      fail(c, destination, event_cause::networkNotObtainable, out);
      return;
    }
    // Nobody of ours is left on the call (the far caller's call was diverted on): the call
    // goes from the far caller's LIM to the destination's, and this exchange keeps nothing.
    // A caller another LIM connects (a trunk, a group's relay) stays reached through it.
    setup.from = r->device;
    setup.relay = r->far->via;
    queue_signal(std::move(setup));
    forget_remote(c, *r);
    return;
  }
  // The far LIM names our side by one of our devices: a party of ours, or the device that
  // diverted an outside caller here.
  auto ours = std::find_if(c.parties.begin(), c.parties.end(),
                           [](const party& p) { return !p.external; });
  if (ours != c.parties.end())
    setup.from = ours->device;
  else if (is_internal(c.last_redirection))
    setup.from = c.last_redirection;
  else {
    fail(c, destination, event_cause::networkNotObtainable, out);
    return;
  }
  auto& r = add_party(c, destination, connection_state::null, true);
  r.far = far_side{setup.from, connection_state::connected, {}, false};
  queue_signal(std::move(setup));
}

// -- receiving -------------------------------------------------------------------------------

outcome exchange::receive(const inter_lim_signal& s, std::vector<domain_event>& out) {
  if (s.what == signal_kind::setup)
    return receive_setup(s, out);
  auto i = calls_.find(s.call);
  if (i == calls_.end())
    return outcome::refuse(errors::operation("invalidCallID"));
  auto& c = i->second;
  auto r = remote_party_for(c, s.from);
  if (r == nullptr)
    return outcome::refuse(errors::operation("invalidConnectionID"));
  // The far side's device for the call now (after a diversion, a hunt, a pickup there).
  auto follow = [&](bool diverted) {
    if (r->device == s.from)
      return;
    if (diverted)
      c.last_redirection = r->device;
    r->device = s.from;
    r->far->via = s.relay;
  };
  // A group's member on another LIM rings and answers for the group, as a member here does.
  auto cause = r->via_group ? event_cause::distributed : s.cause;
  const auto& device = s.from;
  // What changed is passed on to the call's other far LIMs, when we relay between them.
  switch (s.what) {
    case signal_kind::alerting:
      follow(true);
      set_state(*r, connection_state::alerting);
      add_event(out, domain_event_kind::delivered, c, device, cause);
      tell_far(c, signal_kind::alerting, device, cause);
      break;
    case signal_kind::answered:
      follow(true);
      set_state(*r, connection_state::connected);
      if (r->via_group && plan_.hunt_group(c.group) != nullptr)
        hunt_answered(c, device, out);  // the other members stop ringing (r moves)
      add_event(out, domain_event_kind::established, c, device, cause);
      tell_far(c, signal_kind::answered, device, cause);
      break;
    case signal_kind::held:
      follow(false);
      set_state(*r, connection_state::hold);
      add_event(out, domain_event_kind::held, c, device, s.cause);
      tell_far(c, signal_kind::held, device, s.cause);
      break;
    case signal_kind::retrieved:
      follow(false);
      set_state(*r, connection_state::connected);
      add_event(out, domain_event_kind::retrieved, c, device, s.cause);
      tell_far(c, signal_kind::retrieved, device, s.cause);
      break;
    case signal_kind::failed:
      if (r->via_group)
        far_member_failed(c, *r, out);  // the group tries the next member
      else {
        // As when the destination is ours: the caller stays, in the fail state.
        forget_remote(c, *r);
        fail(c, s.from, s.cause, out);
      }
      end_call_if_empty(s.call);
      break;
    case signal_kind::released:
      if (r->far->legs && withdraw_leg(c, s.to, s.cause, out))
        return outcome::done(s.call, s.to);  // one of the far group's legs; the others stay
      release_far_side(c, *r, s, out);
      end_call_if_empty(s.call);
      break;
    case signal_kind::transferred: return receive_transferred(c, *r, s, out);
    case signal_kind::conferenced: return receive_conferenced(c, *r, s, out);
    case signal_kind::setup: break;
  }
  return outcome::done(s.call, s.from);
}

void exchange::release_far_side(call& c, party& r, const inter_lim_signal& s,
                                std::vector<domain_event>& out) {
  r.far->gone = true;
  auto device = r.device;
  auto own = !r.far->behind;  // the far LIM's own party, not one it relays to us
  if (own && !s.other.empty()) {
    // The far LIM leaves a conference it relayed: the party it names (which it showed us) is
    // our far party from now on, reached directly. It knows us as the relay knew us.
    auto peer = r.far->peer;
    auto told = r.far->told;
    if (auto p = c.find(s.other); p == nullptr)
      add_party(c, s.other, s.other_state, true).far = far_side{peer, told, s.relay, false};
    else if (p->remote())
      p->far = far_side{peer, told, s.relay, false};
  }
  // The parties that LIM relayed go with it: nothing reaches them any more. (A call shows the
  // parties of one far LIM's conference at most: see conference_call.)
  std::vector<std::string> behind;
  if (own)
    for (auto& p : c.parties)
      if (p.remote() && p.far->behind && !p.far->gone) {
        p.far->gone = true;
        behind.push_back(p.device);
      }
  release_with_rule(c, device, s.cause, out);
  for (auto& b : behind)
    if (c.find(b) != nullptr)
      release_with_rule(c, b, s.cause, out);
}

outcome exchange::receive_setup(const inter_lim_signal& s, std::vector<domain_event>& out) {
  if (auto i = calls_.find(s.call); i != calls_.end()) {
    if (auto group = group_legs_of(i->second);
        group != nullptr && group->device == s.from && group->far_address() == s.relay)
      return receive_another_leg(i->second, s, out);
    if (!s.relay.empty() && !is_internal(s.relay)) {
      // A leg the sender relays (a group there offering the call to a member here) of a call
      // we have already, as its caller is ours: one exchange cannot hold two sides of one call,
      // so the member cannot be offered it (the group moves on).
      inter_lim_signal failed;
      failed.what = signal_kind::failed;
      failed.call = s.call;
      failed.from = s.to;
      failed.to = s.relay;
      failed.cause = event_cause::networkNotObtainable;
      queue_signal(std::move(failed));
      return outcome::done(s.call, s.to);
    }
    // Our own call comes back: the far LIM diverted it to one of our numbers.
    auto& c = i->second;
    auto r = remote_party(c);
    if (r == nullptr || c.find(s.from) == nullptr || c.find(s.from)->external)
      return outcome::refuse(errors::operation("invalidCallID"));
    c.last_redirection = r->device;
    c.lim_hops = s.hops;
    forget_remote(c, *r);
    deliver(c, s.to, s.cause, out);
    end_call_if_empty(s.call);
    return outcome::done(s.call, s.to);
  }
  if (s.from.empty() || is_internal(s.from) || s.to.empty())
    return outcome::refuse(errors::operation("invalidCallingDeviceID"));
  auto& c = calls_[s.call];
  c.id = s.call;
  c.calling = s.from;
  c.called = s.called.empty() ? s.to : s.called;
  c.started = clock_.now();
  c.lim_hops = s.hops;
  c.origin = s.cause == event_cause::consultation ? event_cause::consultation : event_cause::newCall;
  auto& r = add_party(c, s.from, connection_state::connected, true);
  // The caller's LIM holds our side as the number it called, until we tell it otherwise. A
  // caller the sender relays (its group's, or a trunk's there) is reached through the sender.
  r.far = far_side{s.to, connection_state::null, s.relay, false};
  if (!s.relay.empty() && s.cause == event_cause::distributed) {
    c.last_redirection = s.relay;  // the group that offers the call
    r.far->legs = true;
  }
  deliver(c, s.to, s.cause, out);
  end_call_if_empty(s.call);
  return outcome::done(s.call, s.to);
}

void exchange::far_lim_lost(const std::function<bool(const std::string&)>& on_lost_lim,
                            std::vector<domain_event>& out) {
  std::vector<std::pair<call_id, std::string>> lost;
  for (auto& [id, c] : calls_)
    for (auto& p : c.parties)
      if (p.remote() && !p.far->gone && on_lost_lim(p.far_address()))
        lost.emplace_back(id, p.device);
  std::sort(lost.begin(), lost.end());  // the same events in the same order on every run
  for (auto& [id, device] : lost) {
    auto i = calls_.find(id);
    if (i == calls_.end())
      continue;
    auto p = i->second.find(device);
    if (p == nullptr || !p->remote())
      continue;
    p->far->gone = true;
    release_with_rule(i->second, device, event_cause::networkOutOfOrder, out);
    end_call_if_empty(id);
  }
}

}  // namespace cstad::sim
