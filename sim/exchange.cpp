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

exchange::exchange(number_plan plan, const clock& clk) : plan_(std::move(plan)), clock_(clk) {}

outcome exchange::apply(const operation& op, std::vector<domain_event>& out) {
  switch (op.kind) {
    case operation_kind::make_call: return make_call(op.device, op.other, out);
    case operation_kind::answer_call: return answer_call(op.call, op.device, out);
    case operation_kind::clear_connection: return clear_connection(op.call, op.device, out);
    case operation_kind::clear_call: return clear_call(op.call, out);
  }
  return outcome::refuse(errors::operation("serviceNotSupported"));
}

const call* exchange::find_call(call_id id) const {
  auto i = calls_.find(id);
  return i == calls_.end() ? nullptr : &i->second;
}

void exchange::set_state(call&, party& p, connection_state s) {
  p.state = s;
  p.since = clock_.now();
}

domain_event exchange::make_event(domain_event_kind kind, const call& c,
                                  const std::string& subject, event_cause cause) const {
  domain_event e;
  e.kind = kind;
  e.call = c.id;
  e.subject = subject;
  e.calling = c.calling;
  e.called = c.called;
  e.cause = cause;
  e.time = clock_.now();
  e.observers.reserve(c.parties.size());
  for (auto& p : c.parties)
    e.observers.push_back(observer{p.device, p.state});
  return e;
}

outcome exchange::make_call(const std::string& calling, const std::string& called,
                            std::vector<domain_event>& out) {
  if (plan_.find(calling) == nullptr)
    return outcome::refuse(errors::operation("invalidCallingDeviceID"));
  if (plan_.find(called) == nullptr)
    return outcome::refuse(errors::operation("invalidCalledDeviceID"));
  if (calling == called)
    return outcome::refuse(errors::operation("notDifferentDevices"));
  auto id = next_call_id_++;
  auto& c = calls_[id];
  c.id = id;
  c.calling = calling;
  c.called = called;
  c.started = clock_.now();
  c.parties.push_back(party{calling, connection_state::initiated, clock_.now()});
  out.push_back(make_event(domain_event_kind::service_initiated, c, calling, event_cause::makeCall));
  set_state(c, c.parties[0], connection_state::connected);
  out.push_back(make_event(domain_event_kind::originated, c, calling, event_cause::newCall));
  c.parties.push_back(party{called, connection_state::alerting, clock_.now()});
  out.push_back(make_event(domain_event_kind::delivered, c, called, event_cause::newCall));
  return outcome::done(id);
}

std::optional<protocol::csta_error> exchange::check_party(call_id id, const std::string& device,
                                                         call*& c, party*& p) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return errors::operation("invalidCallID");
  c = &i->second;
  p = c->find(device);
  if (p == nullptr)
    return errors::operation("invalidConnectionID");
  return std::nullopt;
}

outcome exchange::answer_call(call_id id, const std::string& device,
                              std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = check_party(id, device, c, p))
    return outcome::refuse(*err);
  if (p->state != connection_state::alerting)
    return outcome::refuse(errors::state("invalidConnectionState"));
  set_state(*c, *p, connection_state::connected);
  out.push_back(make_event(domain_event_kind::established, *c, device, event_cause::newCall));
  return outcome::done(id);
}

void exchange::release(call& c, const std::string& device, event_cause cause,
                       std::vector<domain_event>& out) {
  auto p = c.find(device);
  set_state(c, *p, connection_state::null);
  out.push_back(make_event(domain_event_kind::connection_cleared, c, device, cause));
  c.parties.erase(c.parties.begin() + (p - c.parties.data()));
}

outcome exchange::clear_connection(call_id id, const std::string& device,
                                   std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = check_party(id, device, c, p))
    return outcome::refuse(*err);
  release(*c, device, event_cause::normalClearing, out);
  // A call needs two parties: the one left behind is released too.
  if (c->parties.size() == 1)
    release(*c, c->parties.front().device, event_cause::normalClearing, out);
  if (c->parties.empty())
    calls_.erase(id);
  return outcome::done(id);
}

outcome exchange::clear_call(call_id id, std::vector<domain_event>& out) {
  auto i = calls_.find(id);
  if (i == calls_.end())
    return outcome::refuse(errors::operation("invalidCallID"));
  auto& c = i->second;
  while (!c.parties.empty())
    release(c, c.parties.front().device, event_cause::normalClearing, out);
  calls_.erase(i);
  return outcome::done(id);
}

}  // namespace cstad::sim
