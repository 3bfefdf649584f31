// Transfers that involve other LIMs: telling the far side of a transferred call who its party
// is now, handing a call over when only other LIMs' parties are left, and taking such news from
// another LIM (a new call id, a new far party, or two of our own calls joined).

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using signal_kind = inter_lim_signal::kind;
namespace errors = protocol::errors;

void exchange::rename_call(call_id from, call_id to) {
  auto node = calls_.extract(from);
  node.key() = to;
  auto& c = node.mapped();
  c.id = to;
  for (auto& p : c.parties)
    if (!p.external) {
      auto& calls = features_[p.device].calls;
      std::replace(calls.begin(), calls.end(), from, to);
    }
  calls_.insert(std::move(node));
  timers_.for_each([&](timer& t) {
    if (t.call == from)
      t.call = to;
  });
  for (auto& [group, queue] : queues_)
    std::replace(queue.begin(), queue.end(), from, to);
}

void exchange::tell_transferred(call& c, party& r, call_id old_call, const std::string& device,
                                const std::string& other, connection_state other_state,
                                event_cause cause) {
  auto s = signal_to(r, signal_kind::transferred, c, device, cause);
  s.call = old_call;
  s.new_call = c.id;
  s.other = other;
  s.other_state = other_state;
  r.far->peer = other;
  r.far->told = other_state;
  queue_signal(std::move(s));
}

void exchange::tell_transfer_result(call& result, const std::vector<connection_move>& moves,
                                    const std::string& device) {
  auto old_call_of = [&](const party& p) {
    for (auto& m : moves)
      if (m.device == p.device)
        return m.old_call;
    return result.id;
  };
  std::vector<party*> far;
  for (auto& p : result.parties)
    if (p.remote() && !p.far->gone)
      far.push_back(&p);
  if (far.size() == 1 && result.parties.size() > 1) {
    auto& r = *far.front();
    auto other = std::find_if(result.parties.begin(), result.parties.end(),
                              [&](const party& p) { return &p != &r; });
    tell_transferred(result, r, old_call_of(r), device, other->device, other->state,
                     event_cause::transfer);
    return;
  }
  if (far.size() != 2)
    return;
  // Only two other LIMs' parties are left: they signal each other from now on.
  for (std::size_t k = 0; k < 2; ++k) {
    auto& other = *far[1 - k];
    tell_transferred(result, *far[k], old_call_of(*far[k]), device, other.far_address(),
                     other.state, event_cause::transfer);
  }
  auto id = result.id;
  for (auto r : far)
    r->far->gone = true;
  while (!result.parties.empty())
    remove_party(result, result.parties.front().device);
  end_call_if_empty(id);
}

outcome exchange::receive_transferred(call& c, party& r, const inter_lim_signal& s,
                                      std::vector<domain_event>& out) {
  if (is_internal(s.other))
    return join_our_calls(c, s, out);
  auto old = c.id;
  if (s.new_call != old) {
    if (s.new_call == 0 || calls_.count(s.new_call) != 0)
      return outcome::refuse(errors::operation("invalidCallID"));
    rename_call(old, s.new_call);
  }
  // An outside number stays connected through the sender's trunk: it is signalled via the sender;
  // so is a party the sender relays to us.
  auto sender = r.far_address();
  r.device = s.other;
  r.far->via = !s.relay.empty() ? s.relay : is_remote(s.other) ? std::string{} : sender;
  set_state(r, s.other_state);
  auto& e = add_event(out, domain_event_kind::transferred, c, s.from, s.cause);
  e.call = old;
  e.secondary_call = c.id;
  e.other = s.other;
  for (auto& p : c.parties)
    e.moves.push_back({p.device, &p == &r ? c.id : old, c.id});
  // A call we relay (a group's member on a third LIM): that LIM learns its new far party too.
  if (!is_internal(s.other))
    for (auto& q : c.parties) {
      if (&q == &r || !q.remote() || q.far->gone || q.far->behind)
        continue;
      auto t = signal_to(q, signal_kind::transferred, c, s.from, s.cause);
      t.call = old;
      t.new_call = c.id;
      t.other = s.other;
      t.other_state = s.other_state;
      t.relay = our_number(c);
      q.far->peer = s.other;
      queue_signal(std::move(t));
    }
  return outcome::done(c.id, s.other);
}

outcome exchange::join_our_calls(call& c, const inter_lim_signal& s, std::vector<domain_event>& out) {
  call* other = nullptr;
  for (auto id : calls_of(s.other))
    if (id != c.id && remote_party(calls_.at(id)) != nullptr)
      other = &calls_.at(id);
  if (other == nullptr)
    return outcome::refuse(errors::operation("invalidConnectionID"));
  auto& target = c.id == s.new_call ? c : *other;
  auto& source = c.id == s.new_call ? *other : c;
  if (target.id != s.new_call)
    return outcome::refuse(errors::operation("invalidCallID"));
  forget_remote(source, *remote_party(source));
  forget_remote(target, *remote_party(target));
  // As a transfer here: the source call's parties join the target call.
  std::vector<connection_move> moves;
  for (auto& p : source.parties)
    moves.push_back({p.device, source.id, target.id});
  for (auto& p : target.parties)
    moves.push_back({p.device, target.id, target.id});
  auto joining = source.parties;
  for (auto& p : joining) {
    remove_party(source, p.device);
    add_party(target, p.device, p.state, p.external).since = p.since;
  }
  auto source_id = source.id;
  calls_.erase(source_id);
  auto& e = add_event(out, domain_event_kind::transferred, target, s.from, s.cause);
  e.call = source_id;
  e.secondary_call = target.id;
  e.other = s.other;
  e.moves = std::move(moves);
  return outcome::done(target.id, s.other);
}

}  // namespace cstad::sim
