// Logical device services: do-not-disturb and forwarding, one operation on the LIM of the
// device; agent state, at the LIM of the agent's ACD group.

#include <algorithm>
#include <functional>

#include "protocol/responses.hpp"
#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;
using sim::operation_kind;

namespace {

sim::agent_request to_sim(p::requested_agent_state s) {
  switch (s) {
    case p::requested_agent_state::logged_on: return sim::agent_request::logged_on;
    case p::requested_agent_state::logged_off: return sim::agent_request::logged_off;
    case p::requested_agent_state::not_ready: return sim::agent_request::not_ready;
    case p::requested_agent_state::ready: return sim::agent_request::ready;
    case p::requested_agent_state::working_after_call: return sim::agent_request::working_after_call;
  }
  return sim::agent_request::ready;
}

const char* agent_state_name(sim::agent_state s) {
  switch (s) {
    case sim::agent_state::logged_off: return "agentNull";
    case sim::agent_state::not_ready: return "agentNotReady";
    case sim::agent_state::ready: return "agentReady";
    case sim::agent_state::busy: return "agentBusy";
    case sim::agent_state::working_after_call: return "agentWorkingAfterCall";
  }
  return "agentNull";
}

}  // namespace

void handle(session_core& s, const incoming& in, p::set_do_not_disturb_request& r) {
  if (auto lim = device_lim(s, in, r.device)) {
    auto op = make_op(operation_kind::set_do_not_disturb, r.device);
    op.flag = r.on;
    s.run(in, *lim, std::move(op), empty_response(in.name));
  }
}

void handle(session_core& s, const incoming& in, p::get_do_not_disturb_request& r) {
  if (auto lim = device_lim(s, in, r.device))
    s.run(in, *lim, make_op(operation_kind::get_do_not_disturb, r.device),
          [](const sim::outcome& out, std::string_view ns) {
            return p::encode_get_do_not_disturb_response(out.flag, ns);
          });
}

void handle(session_core& s, const incoming& in, p::set_forwarding_request& r) {
  if (auto lim = device_lim(s, in, r.device)) {
    auto op = make_op(operation_kind::set_forwarding, r.device);
    op.flag = r.activate;
    op.forwarding = r.type;
    op.other = r.destination;
    op.ring_count = r.ring_count;
    s.run(in, *lim, std::move(op), empty_response(in.name));
  }
}

void handle(session_core& s, const incoming& in, p::get_forwarding_request& r) {
  if (auto lim = device_lim(s, in, r.device))
    s.run(in, *lim, make_op(operation_kind::get_forwarding, r.device),
          [](const sim::outcome& out, std::string_view ns) {
            std::vector<p::forwarding_entry> list;
            for (auto& f : out.forwards)
              list.push_back({f.type, f.active, f.destination});
            return p::encode_get_forwarding_response(list, ns);
          });
}

// Where an agent's state is kept: at the LIM of its ACD group, which need not be the LIM of
// its device (sim/exchange.hpp, set_agent_state). The device's own LIM first, then every
// other LIM that has ACD groups.
std::vector<int> agent_lims(const session_core& s, int device_lim) {
  std::vector<int> out{device_lim};
  for (auto& r : s.dir().ranges())
    if (r.kind == sim::device_kind::acd_group && std::find(out.begin(), out.end(), r.lim) == out.end())
      out.push_back(r.lim);
  return out;
}

// Asks the LIMs in turn for the device's agent; found(lim, agents) with the first LIM that
// has it logged on (lim 0 and nothing: none has). A LIM that refuses (it does not know the
// device) is passed over.
void find_agent(session_core& s, const incoming& in, std::string device, std::vector<int> lims, std::size_t next,
                std::function<void(int, const sim::outcome&)> found) {
  if (next == lims.size()) {
    found(0, sim::outcome::done(0, device));
    return;
  }
  auto lim = lims[next];
  auto again = [&s, in, device, lims, next, found](const sim::outcome&) {
    find_agent(s, in, device, lims, next + 1, found);
  };
  auto answer = [lim, again, found](const sim::outcome& out) {
    if (out.agents.empty())
      again(out);
    else
      found(lim, out);
  };
  // The device's own LIM's refusal is the client's answer; another LIM's only means it is
  // not there.
  if (next == 0)
    s.run_then(in, lim, make_op(operation_kind::get_agent_state, device), answer);
  else
    s.run_either(in, lim, make_op(operation_kind::get_agent_state, device), answer, again);
}

void handle(session_core& s, const incoming& in, p::set_agent_state_request& r) {
  auto lim = device_lim(s, in, r.device);
  if (!lim)
    return;
  auto op = make_op(operation_kind::set_agent_state, r.device);
  op.agent = to_sim(r.state);
  op.agent_id = r.agent_id;
  op.password = r.password;
  op.group = r.group;
  auto render = [](const sim::outcome& out, std::string_view ns) {
    return p::encode_set_agent_state_response(out.pending, ns);
  };
  // Logging on names the group: its LIM keeps the agent.
  if (!r.group.empty()) {
    auto group = s.dir().find(r.group);
    s.run(in, group != nullptr ? group->lim : *lim, std::move(op), render);
    return;
  }
  // Otherwise the LIM where the agent is logged on (its device's when none has it).
  find_agent(s, in, r.device, agent_lims(s, *lim), 0,
             [&s, in, op = std::move(op), render, own = *lim](int at, const sim::outcome&) mutable {
               s.run(in, at != 0 ? at : own, std::move(op), render);
             });
}

void handle(session_core& s, const incoming& in, p::get_agent_state_request& r) {
  auto lim = device_lim(s, in, r.device);
  if (!lim)
    return;
  find_agent(s, in, r.device, agent_lims(s, *lim), 0, [&s, in, ns = s.ns()](int, const sim::outcome& out) {
    std::vector<p::agent_entry> list;
    for (auto& a : out.agents)
      list.push_back({a.id, a.group, agent_state_name(a.state)});
    s.reply(in, p::encode_get_agent_state_response(list, ns));
  });
}

}  // namespace cstad::service
