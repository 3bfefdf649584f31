// Logical device services: do-not-disturb, forwarding and agent state, each one operation on
// the LIM of the device.

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

void handle(session_core& s, const incoming& in, p::set_agent_state_request& r) {
  if (auto lim = device_lim(s, in, r.device)) {
    auto op = make_op(operation_kind::set_agent_state, r.device);
    op.agent = to_sim(r.state);
    op.agent_id = r.agent_id;
    op.password = r.password;
    op.group = r.group;
    s.run(in, *lim, std::move(op), [](const sim::outcome& out, std::string_view ns) {
      return p::encode_set_agent_state_response(out.pending, ns);
    });
  }
}

void handle(session_core& s, const incoming& in, p::get_agent_state_request& r) {
  if (auto lim = device_lim(s, in, r.device))
    s.run(in, *lim, make_op(operation_kind::get_agent_state, r.device),
          [](const sim::outcome& out, std::string_view ns) {
            std::vector<p::agent_entry> list;
            for (auto& a : out.agents)
              list.push_back({a.id, a.group, agent_state_name(a.state)});
            return p::encode_get_agent_state_response(list, ns);
          });
}

}  // namespace cstad::service
