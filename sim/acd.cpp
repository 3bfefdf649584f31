// CTI/ACD groups: agents log on, calls queue when no agent is ready and go to the agent that
// has been idle longest; after-call work, queue limit and overflow, agents that do not answer.
// An agent's device may be on another LIM: the group's LIM keeps the agent and offers it calls
// over a leg to that LIM (inter_lim_groups.cpp).

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
namespace errors = protocol::errors;

const agent* exchange::agent_at(const std::string& device) const {
  auto i = agents_.find(device);
  return i == agents_.end() || i->second.state == agent_state::logged_off ? nullptr : &i->second;
}

std::size_t exchange::queue_length(const std::string& group) const {
  auto i = queues_.find(group);
  return i == queues_.end() ? 0 : i->second.size();
}

void exchange::agent_event(domain_event_kind kind, const agent& a, const std::string& group,
                           std::vector<domain_event>& out, std::string pending) {
  auto& e = out.emplace_back();
  e.kind = kind;
  e.subject = a.device;
  e.agent_id = a.id;
  e.group = group;
  e.pending = std::move(pending);
  e.time = clock_.now();
  // The agent's extension and the group both see it.
  e.observers = {observer{a.device, connection_state::null}, observer{group, connection_state::null}};
}

void exchange::change_state(agent& a, agent_state s) {
  if (a.state == agent_state::ready)
    for (auto& g : a.groups)
      ready_[g].erase({a.idle_since, a.device});
  if (s == agent_state::ready) {
    a.idle_since = clock_.now();
    for (auto& g : a.groups)
      ready_[g].insert({a.idle_since, a.device});
  }
  a.state = s;
}

// Moves an agent into a new state and tells its groups; a ready agent may take a queued call.
void exchange::set_agent(agent& a, agent_state s, std::vector<domain_event>& out) {
  change_state(a, s);
  domain_event_kind kind = domain_event_kind::agent_not_ready;
  std::string pending;
  switch (s) {
    case agent_state::ready:
      kind = domain_event_kind::agent_ready;
      break;
    case agent_state::not_ready: kind = domain_event_kind::agent_not_ready; break;
    case agent_state::busy: kind = domain_event_kind::agent_busy; break;
    case agent_state::working_after_call:
      kind = domain_event_kind::agent_working_after_call;
      pending = a.ready_after_work ? "ready" : "notReady";
      break;
    case agent_state::logged_off: kind = domain_event_kind::agent_logged_off; break;
  }
  for (auto& g : a.groups)
    agent_event(kind, a, g, out, pending);
  // distribute() changes other agents only; each group's name is copied all the same (no
  // allocation: short), so that nothing it does can pull it from under it.
  if (s == agent_state::ready)
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
      auto group = a.groups[i];
      distribute(group, out);
    }
}

agent* exchange::longest_idle_ready(const std::string& group) {
  auto i = ready_.find(group);
  if (i == ready_.end())
    return nullptr;
  // Longest idle first (ties: lowest extension); one on a private call cannot take it.
  for (auto& [since, device] : i->second)
    if (!is_busy(device))
      return &agents_.at(device);
  return nullptr;
}

void exchange::acd_offer(call& c, const std::string& group, event_cause, std::vector<domain_event>& out) {
  auto& config = *plan_.acd_group(group);
  auto& queue = queues_[group];
  if (static_cast<int>(queue.size()) >= config.queue_limit) {
    if (!config.overflow.empty() && config.overflow != group &&
        std::find(c.watchers.begin(), c.watchers.end(), config.overflow) == c.watchers.end()) {
      divert(c, group, config.overflow, event_cause::overflow, out);
      deliver(c, config.overflow, event_cause::overflow, out);
    } else {
      fail(c, group, event_cause::busy, out);
    }
    return;
  }
  c.group = group;
  if (std::find(c.watchers.begin(), c.watchers.end(), group) == c.watchers.end())
    c.watchers.push_back(group);
  add_party(c, group, connection_state::queued, false);
  queue.push_back(c.id);
  auto& e = add_event(out, domain_event_kind::queued, c, group, event_cause::enteringDistribution);
  e.number_queued = static_cast<int>(queue.size());
  e.calls_in_front = static_cast<int>(queue.size()) - 1;
  distribute(group, out);
}

void exchange::distribute(const std::string& group, std::vector<domain_event>& out) {
  auto& queue = queues_[group];
  while (!queue.empty()) {
    auto a = longest_idle_ready(group);
    if (a == nullptr)
      return;
    auto id = queue.front();
    queue.pop_front();
    auto i = calls_.find(id);
    if (i == calls_.end() || i->second.find(group) == nullptr)
      continue;
    auto& c = i->second;
    remove_party(c, group);
    divert(c, group, a->device, event_cause::distributed, out);
    if (is_internal(a->device)) {
      add_party(c, a->device, connection_state::alerting, false).via_group = true;
      add_event(out, domain_event_kind::delivered, c, a->device, event_cause::distributed);
      tell_far(c, inter_lim_signal::kind::alerting, a->device, event_cause::distributed);
      arm_ring_timer(c.id, a->device);
    } else {
      offer_far_member(c, a->device, event_cause::distributed);  // delivered when it rings there
    }
    set_agent(*a, agent_state::busy, out);
  }
}

void exchange::leave_queue(const std::string& group, call_id id) {
  auto i = queues_.find(group);
  if (i != queues_.end())
    i->second.erase(std::remove(i->second.begin(), i->second.end(), id), i->second.end());
}

// An agent let a distributed call ring out: the agent is made not ready and the call goes back
// to the head of the queue.
void exchange::requeue(call& c, const std::string& group, std::vector<domain_event>& out) {
  add_party(c, group, connection_state::queued, false);
  auto& queue = queues_[group];
  queue.push_front(c.id);
  auto& e = add_event(out, domain_event_kind::queued, c, group, event_cause::callNotAnswered);
  e.number_queued = static_cast<int>(queue.size());
  e.calls_in_front = 0;
  distribute(group, out);
}

void exchange::agent_left_call(const std::string& device, bool talked, std::vector<domain_event>& out) {
  auto i = agents_.find(device);
  if (i == agents_.end() || i->second.state != agent_state::busy || !calls_of(device).empty())
    return;
  auto& a = i->second;
  auto work = a.groups.empty() ? duration{} : plan_.acd_group(a.groups.front())->after_call_work;
  if (talked && work > duration::zero()) {
    ++a.wrap_up;
    set_agent(a, agent_state::working_after_call, out);
    timers_.push(clock_.now() + work, timer{timer::kind::after_call_work, 0, device, a.wrap_up});
    return;
  }
  set_agent(a, a.ready_after_work ? agent_state::ready : agent_state::not_ready, out);
}

void exchange::after_call_work_over(const std::string& device, std::uint64_t stamp,
                                    std::vector<domain_event>& out) {
  auto i = agents_.find(device);
  if (i == agents_.end() || i->second.state != agent_state::working_after_call ||
      i->second.wrap_up != stamp)
    return;  // ended by hand meanwhile
  auto& a = i->second;
  set_agent(a, a.ready_after_work ? agent_state::ready : agent_state::not_ready, out);
}

namespace {

// CSTA sends the password as hexBinary ("31323334"); some clients send it as plain text.
bool password_matches(const std::string& sent, const std::string& expected) {
  if (sent == expected)
    return true;
  std::string decoded;
  if (sent.size() % 2 != 0 || sent.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return false;
  for (std::size_t i = 0; i < sent.size(); i += 2)
    decoded.push_back(static_cast<char>(std::stoi(sent.substr(i, 2), nullptr, 16)));
  return decoded == expected;
}

}  // namespace

outcome exchange::set_agent_state(const std::string& device, agent_request request,
                                  const std::string& agent_id, const std::string& group,
                                  std::vector<domain_event>& out, const std::string& password) {
  // An agent at another LIM's device is kept here, with the group (see exchange.hpp).
  auto dev = plan_.find(device);
  if (dev == nullptr ? !is_remote(device)
                     : dev->kind == device_kind::acd_group || dev->kind == device_kind::hunt_group)
    return outcome::refuse(errors::operation("invalidDeviceID"));
  auto& a = agents_[device];
  bool logged_on = a.state != agent_state::logged_off;
  switch (request) {
    case agent_request::logged_on: {
      if (agent_id.empty() || (logged_on && a.id != agent_id))
        return outcome::refuse(errors::operation("invalidAgentIdentifier"));
      for (auto& [other_device, other] : agents_)
        if (other_device != device && other.state != agent_state::logged_off && other.id == agent_id)
          return outcome::refuse(errors::operation("invalidAgentIdentifier"));
      if (auto expected = plan_.agent_password(agent_id);
          expected != nullptr && !password_matches(password, *expected))
        return outcome::refuse(errors::operation("invalidAgentPassword"));
      if (plan_.acd_group(group) == nullptr)
        return outcome::refuse(errors::operation("invalidAgentGroup"));
      if (std::find(a.groups.begin(), a.groups.end(), group) != a.groups.end())
        return outcome::done(0, device);  // already there
      if (!logged_on) {
        a.id = agent_id;
        a.device = device;
        change_state(a, agent_state::not_ready);
        a.ready_after_work = plan_.acd_group(group)->ready_after_work;
      }
      a.groups.push_back(group);
      if (a.state == agent_state::ready)
        ready_[group].insert({a.idle_since, a.device});
      agent_event(domain_event_kind::agent_logged_on, a, group, out);
      return outcome::done(0, device);
    }
    case agent_request::logged_off: {
      if (!logged_on)
        return outcome::refuse(errors::operation("invalidAgentState"));
      std::vector<std::string> leaving;
      if (group.empty())
        leaving = a.groups;
      else if (std::find(a.groups.begin(), a.groups.end(), group) != a.groups.end())
        leaving = {group};
      else
        return outcome::refuse(errors::operation("invalidAgentGroup"));
      auto state = a.state;
      change_state(a, agent_state::logged_off);  // out of every ready list ...
      for (auto& g : leaving) {
        agent_event(domain_event_kind::agent_logged_off, a, g, out);
        a.groups.erase(std::find(a.groups.begin(), a.groups.end(), g));
      }
      if (!a.groups.empty())
        change_state(a, state);  // ... and back into those of the groups it stays in
      return outcome::done(0, device);
    }
    default: break;
  }
  if (!logged_on)
    return outcome::refuse(errors::operation("invalidAgentState"));
  if (a.state == agent_state::busy) {
    // On a call: the request takes effect when the call (and its after-call work) ends.
    if (request == agent_request::working_after_call)
      return outcome::refuse(errors::operation("invalidAgentState"));
    a.ready_after_work = request == agent_request::ready;
    auto o = outcome::done(0, device);
    o.pending = a.ready_after_work ? "agentReady" : "agentNotReady";
    return o;
  }
  auto target = request == agent_request::ready       ? agent_state::ready
                : request == agent_request::not_ready ? agent_state::not_ready
                                                      : agent_state::working_after_call;
  if (target == a.state)
    return outcome::done(0, device);
  if (target == agent_state::working_after_call)
    ++a.wrap_up;  // manual after-call work: no timer ends it
  set_agent(a, target, out);
  return outcome::done(0, device);
}

outcome exchange::get_agent_state(const std::string& device) const {
  if (!is_internal(device) && !is_remote(device))
    return outcome::refuse(errors::operation("invalidDeviceID"));
  auto o = outcome::done(0, device);
  if (auto a = agent_at(device))
    for (auto& g : a->groups)
      o.agents.push_back({a->id, g, a->state});
  return o;
}

}  // namespace cstad::sim
