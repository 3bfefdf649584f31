// The exchange's core: calls, parties, events, and the basic call operations.

#include "sim/exchange.hpp"

#include <algorithm>
#include <utility>

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
namespace errors = protocol::errors;

const party* call::find(const std::string& device) const {
  for (auto& p : parties)
    if (p.device == device)
      return &p;
  return nullptr;
}

party* call::find(const std::string& device) {
  return const_cast<party*>(std::as_const(*this).find(device));
}

exchange::exchange(number_plan plan, const clock& clk, exchange_timing timing, call_id first_call)
    : plan_(std::move(plan)), clock_(clk), timing_(timing), next_call_id_(first_call),
      next_route_id_(first_call) {
  // Agents the plan logs on from the start (the demo's call centre).
  for (auto& cfg : plan_.agents()) {
    auto& a = agents_[cfg.device];
    a.id = cfg.id;
    a.device = cfg.device;
    a.groups = cfg.groups;
    change_state(a, cfg.ready ? agent_state::ready : agent_state::not_ready);
    a.ready_after_work = plan_.acd_group(cfg.groups.front())->ready_after_work;
  }
}

const call* exchange::find_call(call_id id) const {
  auto i = calls_.find(id);
  return i == calls_.end() ? nullptr : &i->second;
}

std::vector<call_id> exchange::calls_of(const std::string& device) const {
  auto i = features_.find(device);
  return i == features_.end() ? std::vector<call_id>{} : i->second.calls;
}

outcome exchange::apply(const operation& op, std::vector<domain_event>& out) {
  using k = operation_kind;
  switch (op.kind) {
    case k::make_call: return make_call(op.device, op.other, out);
    case k::answer_call: return answer_call(op.call, op.device, out);
    case k::clear_connection: return clear_connection(op.call, op.device, out);
    case k::clear_call: return clear_call(op.call, out);
    case k::hold_call: return hold_call(op.call, op.device, out);
    case k::retrieve_call: return retrieve_call(op.call, op.device, out);
    case k::consultation_call: return consultation_call(op.call, op.device, op.other, out);
    case k::transfer_call: return transfer_call(op.call, op.second_call, op.device, out);
    case k::conference_call: return conference_call(op.call, op.second_call, op.device, out);
    case k::alternate_call: return alternate_call(op.call, op.second_call, op.device, out);
    case k::reconnect_call: return reconnect_call(op.call, op.second_call, op.device, out);
    case k::deflect_call: return deflect_call(op.call, op.device, op.other, out);
    case k::single_step_transfer: return single_step_transfer(op.call, op.device, op.other, out);
    case k::pickup_call: return pickup_call(op.call, op.device, out);
    case k::generate_digits: return generate_digits(op.call, op.device, op.text, out);
    case k::set_do_not_disturb: return set_do_not_disturb(op.device, op.flag, out);
    case k::set_forwarding:
      return set_forwarding(op.device, op.forwarding, op.flag, op.other, op.ring_count, out);
    case k::get_do_not_disturb:
    case k::get_forwarding: {
      if (!is_internal(op.device))
        return outcome::refuse(errors::operation("invalidDeviceID"));
      auto o = outcome::done(0, op.device);
      o.flag = do_not_disturb(op.device);
      o.forwards = forwarding(op.device);
      return o;
    }
    case k::snapshot_device: return snapshot_device(op.device);
    case k::snapshot_call: return snapshot_call(op.call);
    case k::set_agent_state:
      return set_agent_state(op.device, op.agent, op.agent_id, op.group, out, op.password);
    case k::get_agent_state: return get_agent_state(op.device);
    case k::incoming_call: return incoming_call(op.device, op.other, out);
    case k::single_step_conference:
      return single_step_conference(op.call, op.device, op.other, op.flag, out);
    case k::associate_data: return associate_data(op.call, op.device, op.data, out);
    case k::set_message_waiting: return set_message_waiting(op.device, op.flag, out);
    case k::get_message_waiting: return get_message_waiting(op.device);
    case k::route_register: return route_register(op.device, op.owner);
    case k::route_register_cancel: return route_register_cancel(op.text, op.owner, out);
    case k::route_select: return route_select(op.text, op.other, op.owner, out, op.group);
    case k::route_end: return route_end(op.text, op.owner, out, op.group);
  }
  return outcome::refuse(errors::operation("serviceNotSupported"));
}

// -- snapshots --------------------------------------------------------------------------------

outcome exchange::snapshot_device(const std::string& device) const {
  if (!is_internal(device))
    return outcome::refuse(errors::operation("invalidDeviceID"));
  auto o = outcome::done(0, device);
  for (auto id : calls_of(device))
    o.connections.push_back({id, device, calls_.at(id).find(device)->state});
  return o;
}

outcome exchange::snapshot_call(call_id id) const {
  auto c = find_call(id);
  if (c == nullptr)
    return outcome::refuse(errors::operation("invalidCallID"));
  auto o = outcome::done(id);
  for (auto& p : c->parties)
    o.connections.push_back({id, p.device, p.state});
  return o;
}

// -- parties and events -----------------------------------------------------------------------

call& exchange::new_call(const std::string& calling, const std::string& called) {
  auto id = next_call_id_++;
  auto& c = calls_[id];
  c.id = id;
  c.calling = calling;
  c.called = called;
  c.started = clock_.now();
  return c;
}

void exchange::set_state(party& p, connection_state s) {
  p.state = s;
  p.since = clock_.now();
}

party& exchange::add_party(call& c, const std::string& device, connection_state s, bool external) {
  c.parties.push_back(party{device, s, clock_.now(), external});
  if (!external)
    features_[device].calls.push_back(c.id);
  return c.parties.back();
}

void exchange::remove_party(call& c, const std::string& device) {
  auto i = std::find_if(c.parties.begin(), c.parties.end(),
                        [&](const party& p) { return p.device == device; });
  if (i == c.parties.end())
    return;
  if (!i->external) {
    auto& calls = features_[device].calls;
    calls.erase(std::remove(calls.begin(), calls.end(), c.id), calls.end());
  }
  c.parties.erase(i);
}

void exchange::end_call_if_empty(call_id id) {
  auto i = calls_.find(id);
  if (i != calls_.end() && i->second.parties.empty())
    calls_.erase(i);
}

domain_event& exchange::add_event(std::vector<domain_event>& out, domain_event_kind kind,
                                  const call& c, const std::string& subject, event_cause cause) const {
  auto& e = out.emplace_back();
  e.kind = kind;
  e.call = c.id;
  e.subject = subject;
  e.calling = c.calling;
  e.called = c.called;
  e.cause = cause;
  e.time = clock_.now();
  e.last_redirection = c.last_redirection;
  e.observers.reserve(c.parties.size() + 1);
  for (auto& p : c.parties)
    if (!p.external)
      e.observers.push_back(observer{p.device, p.state});
  // Groups that distributed the call keep seeing it, without a connection of their own.
  for (auto& w : c.watchers)
    if (c.find(w) == nullptr)
      e.observers.push_back(observer{w, connection_state::null});
  return e;
}

// device by value: callers pass a party's own device, which remove_party destroys.
void exchange::release(call& c, std::string device, event_cause cause,
                       std::vector<domain_event>& out) {
  auto p = c.find(device);
  bool talked = p->state == connection_state::connected || p->state == connection_state::hold;
  // Another LIM's side released from here (not on its own word) is told so; a party that LIM
  // relays to us goes with it, unsignalled.
  if (p->remote() && !p->far->gone && !p->far->behind)
    queue_signal(signal_to(*p, inter_lim_signal::kind::released, c, p->far->peer, cause));
  tell_shown_released(c, device, cause);
  tell_leg_released(c, device, cause);
  set_state(*p, connection_state::null);
  add_event(out, domain_event_kind::connection_cleared, c, device, cause);
  remove_party(c, device);
  if (plan_.acd_group(device) != nullptr) {
    leave_queue(device, c.id);  // the caller gave up while queued ...
    routed_call_gone(c.id);     // ... or while an application was asked where to
  }
  agent_left_call(device, talked, out);
}

void exchange::release_with_rule(call& c, const std::string& device, event_cause cause,
                                 std::vector<domain_event>& out) {
  auto ours = !c.find(device)->external;
  release(c, device, cause, out);
  // Our last party left a conference across LIMs: the call goes on without this exchange.
  if (ours && (hand_off_conference(c, cause) || leave_far_conference(c, cause)))
    return;
  // A call needs two parties, and someone talking: a party left alone, or parties that are
  // only alerting or queued (ring-all members, a queued ACD call), are released too. A silent
  // participant (single-step conference) only listens: it keeps no call going.
  auto talking = std::count_if(c.parties.begin(), c.parties.end(), [](const party& p) {
    return keeps_call(p) && (p.state == connection_state::connected || p.state == connection_state::hold);
  });
  auto keeping = std::count_if(c.parties.begin(), c.parties.end(), keeps_call);
  if (keeping <= 1 || talking == 0)
    while (!c.parties.empty())
      release(c, c.parties.front().device, cause, out);
}

std::optional<protocol::csta_error> exchange::find_party(call_id id, const std::string& device,
                                                        call*& c, party*& p) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return errors::operation("invalidCallID");
  c = &i->second;
  p = c->find(device);
  if (p == nullptr || p->external)
    return errors::operation("invalidConnectionID");
  return std::nullopt;
}

bool exchange::is_busy(const std::string& device) const {
  auto f = features_.find(device);
  if (f == features_.end())
    return false;
  for (auto id : f->second.calls) {
    auto p = calls_.at(id).find(device);
    if (p != nullptr && p->state != connection_state::hold)
      return true;
  }
  return false;
}

bool exchange::is_outside_number(const std::string& number) const {
  return !is_internal(number) && plan_.is_outside_number(number);
}

void exchange::originate(call& c, const std::string& device, event_cause initiated_cause,
                         std::vector<domain_event>& out) {
  auto& p = add_party(c, device, connection_state::initiated, false);
  add_event(out, domain_event_kind::service_initiated, c, device, initiated_cause);
  set_state(p, connection_state::connected);
  add_event(out, domain_event_kind::originated, c, device, c.origin);
}

// -- basic calls ------------------------------------------------------------------------------

outcome exchange::make_call(const std::string& calling, const std::string& called,
                            std::vector<domain_event>& out) {
  auto dev = plan_.find(calling);
  if (dev == nullptr)
    return outcome::refuse(errors::operation("invalidCallingDeviceID"));
  if (dev->kind == device_kind::virtual_extension)
    return outcome::refuse(errors::operation("requestIncompatibleWithCallingDevice"));
  if (called.empty())
    return outcome::refuse(errors::operation("invalidCalledDeviceID"));
  if (called == calling)
    return outcome::refuse(errors::operation("notDifferentDevices"));
  if (is_busy(calling))
    return outcome::refuse(errors::state("invalidCallingDeviceState"));
  auto& c = new_call(calling, called);
  originate(c, calling, event_cause::makeCall, out);
  deliver(c, called, c.origin, out);
  return outcome::done(c.id, calling);
}

outcome exchange::off_hook(const std::string& device, std::vector<domain_event>& out) {
  auto dev = plan_.find(device);
  if (dev == nullptr || dev->kind == device_kind::acd_group || dev->kind == device_kind::hunt_group)
    return outcome::refuse(errors::operation("invalidDeviceID"));
  if (dev->kind == device_kind::virtual_extension)
    return outcome::refuse(errors::operation("requestIncompatibleWithDevice"));
  if (is_busy(device))
    return outcome::refuse(errors::state("invalidDeviceState"));
  auto& c = new_call(device, {});
  add_party(c, device, connection_state::initiated, false);
  add_event(out, domain_event_kind::service_initiated, c, device, event_cause::newCall);
  return outcome::done(c.id, device);
}

outcome exchange::dial(call_id id, const std::string& device, const std::string& number,
                       std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p, connection_state::initiated))
    return outcome::refuse(*err);
  if (number.empty() || number == device)
    return outcome::refuse(errors::operation("invalidCalledDeviceID"));
  c->called = number;
  set_state(*p, connection_state::connected);
  add_event(out, domain_event_kind::originated, *c, device, c->origin);
  deliver(*c, number, c->origin, out);
  return outcome::done(id, device);
}

outcome exchange::incoming_call(const std::string& from, const std::string& to,
                                std::vector<domain_event>& out) {
  if (from.empty() || is_internal(from))
    return outcome::refuse(errors::operation("invalidCallingDeviceID"));
  auto& c = new_call(from, to);
  add_party(c, from, connection_state::connected, true);
  auto id = c.id;
  deliver(c, to, c.origin, out);
  end_call_if_empty(id);
  return outcome::done(id, from);
}

outcome exchange::answer_call(call_id id, const std::string& device, std::vector<domain_event>& out,
                              bool by_hand) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p))
    return outcome::refuse(*err);
  auto kind = plan_.find(device)->kind;
  // Analog and CAS sets have no remote-controlled hook: only the user can lift the handset.
  if (!by_hand && (kind == device_kind::analog_extension || kind == device_kind::cas_extension))
    return outcome::refuse(errors::operation("requestIncompatibleWithDevice"));
  if (p->state != connection_state::alerting)
    return outcome::refuse(errors::state("invalidConnectionState"));
  set_state(*p, connection_state::connected);
  auto cause = c->origin;
  if (p->via_group) {
    cause = event_cause::distributed;
    if (plan_.hunt_group(c->group) != nullptr)
      hunt_answered(*c, device, out);
  }
  add_event(out, domain_event_kind::established, *c, device, cause);
  tell_far(*c, inter_lim_signal::kind::answered, device, cause);
  return outcome::done(id, device);
}

std::optional<protocol::csta_error> exchange::find_party(call_id id, const std::string& device,
                                                        call*& c, party*& p,
                                                        connection_state required) {
  if (auto err = find_party(id, device, c, p))
    return err;
  if (p->state != required)
    return errors::state("invalidConnectionState");
  return std::nullopt;
}

std::optional<protocol::csta_error> exchange::find_external(call_id id, const std::string& number,
                                                           call*& c, party*& p) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return errors::operation("invalidCallID");
  c = &i->second;
  p = c->find(number);
  if (p == nullptr || !p->external || p->remote())
    return errors::operation("invalidConnectionID");
  return std::nullopt;
}

outcome exchange::external_answer(call_id id, const std::string& number,
                                  std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_external(id, number, c, p))
    return outcome::refuse(*err);
  if (p->state != connection_state::alerting)
    return outcome::refuse(errors::state("invalidConnectionState"));
  set_state(*p, connection_state::connected);
  add_event(out, domain_event_kind::established, *c, number, c->origin);
  return outcome::done(id, number);
}

outcome exchange::external_release(call_id id, const std::string& number,
                                   std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_external(id, number, c, p))
    return outcome::refuse(*err);
  release_with_rule(*c, number, event_cause::normalClearing, out);
  end_call_if_empty(id);
  return outcome::done(id, number);
}

outcome exchange::clear_connection(call_id id, const std::string& device,
                                   std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p))
    return outcome::refuse(*err);
  release_with_rule(*c, device, event_cause::normalClearing, out);
  end_call_if_empty(id);
  return outcome::done(id, device);
}

outcome exchange::clear_call(call_id id, std::vector<domain_event>& out) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return outcome::refuse(errors::operation("invalidCallID"));
  auto& c = i->second;
  // Our parties see their connections cleared; outside numbers and other LIMs' parties just
  // go (the other LIMs are told).
  auto ours = [&] {
    return std::find_if(c.parties.begin(), c.parties.end(), [](const party& p) { return !p.external; });
  };
  for (auto p = ours(); p != c.parties.end(); p = ours())
    release(c, p->device, event_cause::normalClearing, out);
  for (auto& p : c.parties)
    if (p.remote() && !p.far->gone && !p.far->behind)
      queue_signal(signal_to(p, inter_lim_signal::kind::released, c, p.far->peer,
                             event_cause::normalClearing));
  calls_.erase(id);
  return outcome::done(id);
}

}  // namespace cstad::sim
