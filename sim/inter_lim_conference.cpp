// Conferences across LIMs. The exchange where a device conferences its two calls keeps the
// result and relays between the far LIMs on it (the hub): each far LIM is told once
// (`conferenced`) which parties it is to show from then on, and afterwards hears every change
// of those parties on its own, under the party's device, from the hub. A far LIM thus keeps its
// one far party (the hub's side, which it signals as before) and shows the others *behind* it,
// never signalling them: it has no way to reach a third LIM's party but through the hub, which
// alone knows who is on the call.
//
// Why a hub and not a mesh: it needs no new addressing (every LIM still signals one far LIM per
// call, as for two-party calls), the call keeps the hub's held call id everywhere, and each LIM
// keeps its events its own view. The hub stays while a party of its own is on the conference;
// when its last one leaves and two far LIMs remain, it points them at each other (`released`
// with `other`) and drops out, as a transfer does. With three or more far LIMs left it stays
// as a relay without a party of its own.
//
// Not supported (refused with requestIncompatibleWithObject): conferencing or transferring a
// call that another LIM relays to us (one shows the parties of one hub at most), and transfers
// out of a conference across LIMs.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using signal_kind = inter_lim_signal::kind;
namespace errors = protocol::errors;

bool exchange::shows_far_conference(const call& c) {
  return std::any_of(c.parties.begin(), c.parties.end(),
                     [](const party& p) { return p.remote() && p.far->behind; });
}

bool exchange::in_far_conference(const call& c) {
  return shows_far_conference(c) ||
         std::any_of(c.parties.begin(), c.parties.end(), [](const party& p) {
           return p.remote() && !p.far->gone && !p.far->shown.empty();
         });
}

void exchange::tell_conferenced(call& c, call_id secondary, const std::string& device,
                                const std::string& added, const std::vector<connection_move>& moves) {
  for (auto& q : c.parties) {
    if (!q.remote() || q.far->gone || q.far->behind)
      continue;
    auto s = signal_to(q, signal_kind::conferenced, c, device, event_cause::conference);
    // The far LIM knows the call under the id of the call its party came from.
    s.call = c.id;
    for (auto& m : moves)
      if (m.device == q.device)
        s.call = m.old_call;
    s.new_call = c.id;
    s.secondary_call = secondary;
    s.other = added;
    s.moves = moves;
    auto& shown = q.far->shown;
    for (auto& p : c.parties) {
      if (&p == &q || p.device == device)
        continue;  // its own party, and ours it knows already (the conferencing device)
      s.parties.push_back({p.device, p.state});
      if (std::find(shown.begin(), shown.end(), p.device) == shown.end())
        shown.push_back(p.device);
    }
    q.far->peer = device;
    q.far->told = connection_state::connected;  // the conferencing device talks again
    queue_signal(std::move(s));
  }
}

outcome exchange::receive_conferenced(call& c, party& r, const inter_lim_signal& s,
                                      std::vector<domain_event>& out) {
  if (s.new_call == 0)
    return outcome::refuse(errors::operation("invalidCallID"));
  if (s.new_call != c.id) {
    // Both of the hub's calls had a party of ours: one exchange cannot join them under the hub.
    if (calls_.count(s.new_call) != 0)
      return outcome::refuse(errors::operation("invalidCallID"));
    rename_call(c.id, s.new_call);  // c and r stay valid: the node moves as it is
  }
  r.device = s.from;
  r.far->via = s.relay;
  set_state(r, connection_state::connected);  // the conferencing device took its call off hold
  auto hub = r.far_address();
  auto peer = r.far->peer;
  for (auto& p : s.parties) {
    if (is_internal(p.device) || c.find(p.device) != nullptr)
      continue;
    far_side behind{peer, connection_state::connected, hub, false};
    behind.behind = true;
    add_party(c, p.device, p.state, true).far = std::move(behind);
  }
  auto& e = add_event(out, domain_event_kind::conferenced, c, s.from, s.cause);
  e.secondary_call = s.secondary_call;
  e.other = s.other;
  e.moves = s.moves;
  return outcome::done(c.id, s.from);
}

void exchange::tell_shown_released(call& c, const std::string& device, event_cause cause) {
  for (auto& q : c.parties) {
    if (!q.remote() || q.far->gone || q.far->behind || q.device == device)
      continue;
    auto& shown = q.far->shown;
    auto i = std::find(shown.begin(), shown.end(), device);
    if (i == shown.end())
      continue;
    shown.erase(i);
    queue_signal(signal_to(q, signal_kind::released, c, device, cause));
  }
}

bool exchange::hand_off_conference(call& c, event_cause cause) {
  std::vector<party*> far;
  bool relayed = false;
  for (auto& p : c.parties) {
    if (!p.remote() || p.far->gone || p.far->behind)
      return false;  // a party of ours, an outside number: the call stays here
    far.push_back(&p);
    relayed = relayed || !p.far->shown.empty();
  }
  if (far.size() != 2 || !relayed)
    return false;
  for (std::size_t k = 0; k < 2; ++k) {
    auto& q = *far[k];
    auto& other = *far[1 - k];
    auto s = signal_to(q, signal_kind::released, c, q.far->peer, cause);
    s.other = other.device;
    s.other_state = other.state;
    s.relay = other.far->via;  // where the other party is reached, when not at its own number
    queue_signal(std::move(s));
  }
  for (auto p : far)
    p->far->gone = true;
  while (!c.parties.empty())
    remove_party(c, c.parties.front().device);
  return true;
}

bool exchange::leave_far_conference(call& c, event_cause cause) {
  party* own = nullptr;
  bool behind = false;
  for (auto& p : c.parties) {
    if (!p.remote())
      return false;  // a party of ours, an outside number: the call stays here
    if (p.far->behind)
      behind = true;
    else if (!p.far->gone) {
      if (own != nullptr)
        return false;  // two far LIMs' own parties: we relay between them
      own = &p;
    }
  }
  if (!behind)
    return false;
  // The parties stay on the call on the other LIMs: no ConnectionCleared for them here.
  if (own != nullptr)
    queue_signal(signal_to(*own, signal_kind::released, c, own->far->peer, cause));
  for (auto& p : c.parties)
    p.far->gone = true;
  while (!c.parties.empty())
    remove_party(c, c.parties.front().device);
  return true;
}

}  // namespace cstad::sim
