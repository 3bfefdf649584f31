// Hold, retrieve, consultation, transfer, conference, alternate, reconnect, deflect,
// single-step transfer, single-step conference, pickup and DTMF.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
using signal_kind = inter_lim_signal::kind;
namespace errors = protocol::errors;

namespace {

bool valid_dtmf(const std::string& digits) {
  return !digits.empty() && digits.find_first_not_of("0123456789*#ABCD") == std::string::npos;
}

// Two calls become one: what applications associated with the one that goes is kept where the
// one that stays has nothing of its own.
void keep_data(call& into, const call& from) {
  if (into.data.account.empty())
    into.data.account = from.data.account;
  if (into.data.correlator.empty())
    into.data.correlator = from.data.correlator;
}

}  // namespace

outcome exchange::hold_call(call_id id, const std::string& device, std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::connected))
    return outcome::refuse(*err);
  set_state(*p, connection_state::hold);
  add_event(out, domain_event_kind::held, *c, device, event_cause::normal);
  tell_far(*c, signal_kind::held, device, event_cause::normal);
  return outcome::done(id, device);
}

outcome exchange::retrieve_call(call_id id, const std::string& device,
                                std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::hold))
    return outcome::refuse(*err);
  if (is_busy(device))
    return outcome::refuse(errors::state("connectedCallExists"));
  set_state(*p, connection_state::connected);
  add_event(out, domain_event_kind::retrieved, *c, device, event_cause::normal);
  tell_far(*c, signal_kind::retrieved, device, event_cause::normal);
  return outcome::done(id, device);
}

outcome exchange::consultation_call(call_id id, const std::string& device,
                                    const std::string& consulted, std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p))
    return outcome::refuse(*err);
  if (p->state != connection_state::connected && p->state != connection_state::hold)
    return outcome::refuse(errors::state("invalidConnectionState"));
  if (consulted.empty() || consulted == device)
    return outcome::refuse(errors::operation("invalidCalledDeviceID"));
  if (p->state == connection_state::connected) {
    set_state(*p, connection_state::hold);
    add_event(out, domain_event_kind::held, *c, device, event_cause::consultation);
    tell_far(*c, signal_kind::held, device, event_cause::consultation);
  }
  auto& nc = new_call(device, consulted);
  nc.origin = event_cause::consultation;
  originate(nc, device, event_cause::consultation, out);
  deliver(nc, consulted, event_cause::consultation, out);
  return outcome::done(nc.id, device);
}

std::optional<protocol::csta_error> exchange::find_held_active(call_id held, call_id active,
                                                              const std::string& device, call*& ch,
                                                              party*& ph, call*& ca, party*& pa,
                                                              bool active_connected) {
  if (auto err = find_party(held, device, ch, ph))
    return err;
  if (auto err = find_party(active, device, ca, pa))
    return err;
  if (held == active)
    return errors::operation("invalidActiveCallID");
  if (ph->state != connection_state::hold)
    return errors::state("invalidHeldConnectionState");
  if (active_connected && pa->state != connection_state::connected)
    return errors::state("invalidActiveConnectionState");
  return std::nullopt;
}

outcome exchange::transfer_call(call_id held, call_id active, const std::string& device,
                                std::vector<domain_event>& out) {
  call *ch = nullptr, *ca = nullptr;
  party *ph = nullptr, *pa = nullptr;
  if (auto err = find_held_active(held, active, device, ch, ph, ca, pa, true))
    return outcome::refuse(*err);
  // Two other LIMs' parties are joined by handing the call over to them (inter_lim.cpp); with
  // anyone else on either call no single pair of LIMs could take it. Nor can a conference
  // across LIMs be handed on (inter_lim_conference.cpp).
  if ((remote_party(*ch) != nullptr && remote_party(*ca) != nullptr &&
       (ch->parties.size() != 2 || ca->parties.size() != 2)) ||
      in_far_conference(*ch) || in_far_conference(*ca))
    return outcome::refuse(errors::operation("requestIncompatibleWithObject"));
  std::string transferred_to;
  std::vector<connection_move> moves;
  for (auto& q : ca->parties)
    if (q.device != device) {
      if (transferred_to.empty())
        transferred_to = q.device;
    }
  // The held call's other parties join the active call; the transferring device leaves both.
  std::vector<party> joining;
  for (auto& q : ch->parties)
    if (q.device != device)
      joining.push_back(q);
  for (auto& q : joining) {
    remove_party(*ch, q.device);
    auto& added = add_party(*ca, q.device, q.state, q.external);
    added.since = q.since;
    added.silent = q.silent;
    added.far = q.far;
    moves.push_back({q.device, held, active});
  }
  keep_data(*ca, *ch);
  for (auto& q : ca->parties)
    if (q.device != device && std::none_of(joining.begin(), joining.end(),
                                           [&](const party& j) { return j.device == q.device; }))
      moves.push_back({q.device, active, active});
  remove_party(*ch, device);
  remove_party(*ca, device);
  calls_.erase(held);
  auto& e = add_event(out, domain_event_kind::transferred, *ca, device, event_cause::transfer);
  e.call = held;
  e.secondary_call = active;
  e.other = transferred_to;
  e.moves = moves;
  e.observers.push_back(observer{device, connection_state::null});
  tell_transfer_result(*ca, moves, device);  // may hand the call over and drop it
  if (auto i = calls_.find(active); i != calls_.end() && i->second.parties.size() == 1)
    release(i->second, i->second.parties.front().device, event_cause::normalClearing, out);
  end_call_if_empty(active);
  return outcome::done(active, transferred_to);
}

outcome exchange::conference_call(call_id held, call_id active, const std::string& device,
                                  std::vector<domain_event>& out) {
  call *ch = nullptr, *ca = nullptr;
  party *ph = nullptr, *pa = nullptr;
  if (auto err = find_held_active(held, active, device, ch, ph, ca, pa, true))
    return outcome::refuse(*err);
  // Other LIMs' parties on either call: this exchange relays the conference between their
  // LIMs (inter_lim_conference.cpp). A conference another LIM relays to us cannot be joined
  // into another here: a call shows the parties behind one far LIM at most.
  if (shows_far_conference(*ch) || shows_far_conference(*ca))
    return outcome::refuse(errors::operation("requestIncompatibleWithObject"));
  // The active call's other parties join the held call, which the device takes off hold.
  std::vector<party> joining;
  for (auto& q : ca->parties)
    if (q.device != device)
      joining.push_back(q);
  std::vector<connection_move> moves;
  for (auto& q : joining) {
    remove_party(*ca, q.device);
    auto& added = add_party(*ch, q.device, q.state, q.external);
    added.since = q.since;
    added.via_group = q.via_group;
    added.silent = q.silent;
    added.far = q.far;
    moves.push_back({q.device, active, held});
  }
  keep_data(*ch, *ca);
  remove_party(*ca, device);
  calls_.erase(active);
  set_state(*ch->find(device), connection_state::connected);
  auto& e = add_event(out, domain_event_kind::conferenced, *ch, device, event_cause::conference);
  auto added = joining.empty() ? std::string{} : joining.front().device;
  e.secondary_call = active;
  e.other = added;
  e.moves = moves;
  // Each far LIM on the result learns the conference (and the retrieval) and whom to show.
  tell_conferenced(*ch, active, device, added, moves);
  return outcome::done(held, device);
}

outcome exchange::alternate_call(call_id held, call_id active, const std::string& device,
                                 std::vector<domain_event>& out) {
  call *ch = nullptr, *ca = nullptr;
  party *ph = nullptr, *pa = nullptr;
  if (auto err = find_held_active(held, active, device, ch, ph, ca, pa, true))
    return outcome::refuse(*err);
  set_state(*pa, connection_state::hold);
  add_event(out, domain_event_kind::held, *ca, device, event_cause::alternate);
  tell_far(*ca, signal_kind::held, device, event_cause::alternate);
  set_state(*ph, connection_state::connected);
  add_event(out, domain_event_kind::retrieved, *ch, device, event_cause::alternate);
  tell_far(*ch, signal_kind::retrieved, device, event_cause::alternate);
  return outcome::done(held, device);
}

outcome exchange::reconnect_call(call_id held, call_id active, const std::string& device,
                                 std::vector<domain_event>& out) {
  call *ch = nullptr, *ca = nullptr;
  party *ph = nullptr, *pa = nullptr;
  if (auto err = find_held_active(held, active, device, ch, ph, ca, pa, false))
    return outcome::refuse(*err);
  release_with_rule(*ca, device, event_cause::normalClearing, out);
  end_call_if_empty(active);
  set_state(*ph, connection_state::connected);
  add_event(out, domain_event_kind::retrieved, *ch, device, event_cause::normal);
  tell_far(*ch, signal_kind::retrieved, device, event_cause::normal);
  return outcome::done(held, device);
}

outcome exchange::deflect_call(call_id id, const std::string& device,
                               const std::string& destination, std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::alerting))
    return outcome::refuse(*err);
  if (destination == device || !is_reachable(destination))
    return outcome::refuse(errors::operation("invalidDestination"));
  remove_party(*c, device);
  divert(*c, device, destination, event_cause::redirected, out);
  deliver(*c, destination, event_cause::redirected, out);
  end_call_if_empty(id);
  return outcome::done(id, destination);
}

outcome exchange::single_step_transfer(call_id id, const std::string& device, const std::string& to,
                                       std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::connected))
    return outcome::refuse(*err);
  if (to == device || c->find(to) != nullptr || !is_reachable(to))
    return outcome::refuse(errors::operation("invalidDestination"));
  if (in_far_conference(*c))
    return outcome::refuse(errors::operation("requestIncompatibleWithObject"));
  set_state(*p, connection_state::null);
  auto& e = add_event(out, domain_event_kind::transferred, *c, device, event_cause::singleStepTransfer);
  remove_party(*c, device);
  e.other = to;
  for (auto& q : c->parties)
    e.moves.push_back({q.device, id, id});
  if (auto r = remote_party(*c))
    tell_transferred(*c, *r, id, device, to, connection_state::null, event_cause::singleStepTransfer);
  c->last_redirection = device;
  deliver(*c, to, event_cause::singleStepTransfer, out);
  end_call_if_empty(id);
  return outcome::done(id, to);
}

// The joining device needs no consultation call: it is connected to the call at once (a
// supervisor barging in, or listening), and every party's monitors see it join in one
// ConferencedEvent, as after ConferenceCall; it is the conferencing device and the added party.
outcome exchange::single_step_conference(call_id id, const std::string& device, const std::string& joining,
                                         bool silent, std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p))
    return outcome::refuse(*err);
  if (p->state != connection_state::connected)
    return outcome::refuse(errors::state("invalidActiveConnectionState"));
  auto dev = plan_.find(joining);
  if (dev == nullptr)  // another LIM's device cannot be joined from here (no signal carries it)
    return outcome::refuse(errors::operation(is_remote(joining) ? "requestIncompatibleWithDevice"
                                                                : "invalidDeviceID"));
  if (dev->kind == device_kind::acd_group || dev->kind == device_kind::hunt_group ||
      dev->kind == device_kind::virtual_extension)
    return outcome::refuse(errors::operation("requestIncompatibleWithDevice"));
  if (c->find(joining) != nullptr || is_busy(joining))
    return outcome::refuse(errors::state("invalidDeviceState"));
  // Other LIMs would have to be told of a party they cannot signal about (inter_lim.hpp).
  if (std::any_of(c->parties.begin(), c->parties.end(), [](const party& q) { return q.remote(); }))
    return outcome::refuse(errors::operation("requestIncompatibleWithObject"));
  add_party(*c, joining, connection_state::connected, false).silent = silent;
  auto& e = add_event(out, domain_event_kind::conferenced, *c, joining, event_cause::singleStepConference);
  e.other = joining;
  e.moves.push_back({joining, 0, id});
  return outcome::done(id, joining);
}

outcome exchange::pickup_call(call_id id, const std::string& picker, std::vector<domain_event>& out) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return outcome::refuse(errors::operation("invalidCallID"));
  if (!is_internal(picker))
    return outcome::refuse(errors::operation("invalidPickUpDeviceID"));
  auto& c = i->second;
  auto ringing = std::find_if(c.parties.begin(), c.parties.end(), [](const party& q) {
    return !q.external && q.state == connection_state::alerting;
  });
  if (ringing == c.parties.end())
    return outcome::refuse(errors::state("noCallToAnswer"));
  if (ringing->device == picker || c.find(picker) != nullptr)
    return outcome::refuse(errors::state("invalidConnectionState"));
  if (is_busy(picker))
    return outcome::refuse(errors::state("invalidDeviceState"));
  auto from = ringing->device;
  remove_party(c, from);
  divert(c, from, picker, event_cause::callPickup, out);
  add_party(c, picker, connection_state::connected, false);
  add_event(out, domain_event_kind::established, c, picker, event_cause::callPickup);
  tell_far(c, signal_kind::answered, picker, event_cause::callPickup);
  return outcome::done(id, picker);
}

outcome exchange::generate_digits(call_id id, const std::string& device, const std::string& digits,
                                  std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::connected))
    return outcome::refuse(*err);
  if (!valid_dtmf(digits))
    return outcome::refuse(errors::operation("invalidParameterValue"));
  auto& e = add_event(out, domain_event_kind::digits_generated, *c, device, event_cause::normal);
  e.text = digits;
  return outcome::done(id, device);
}

}  // namespace cstad::sim
