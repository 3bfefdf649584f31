// csta -t: the node puts a wire trace selection in force and tells every session of it, since
// only a session knows its sessionID and its devices; the answer says how many are traced now.

#include <algorithm>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/node_state.hpp"
#include "common/fan_out.hpp"
#include "common/log.hpp"
#include "common/printable.hpp"
#include "transport/wire_trace.hpp"

namespace cstad::node_impl {
namespace {

using by = trace_selection::by;

// Why the node cannot trace what csta -t named; nothing when it can.
std::optional<std::string> trace_problem(node_pointer self, const trace_selection& s) {
  auto& st = self->state;
  if (s.who == by::client) {
    if (auto why = client_problem(s.value))
      return "--client: " + printable(*why, 100);
  } else if (s.who == by::session) {
    if (st.session_ids.count(s.value) == 0)
      return "--session: no session of LIM " + std::to_string(st.settings.lim) + " has the id \"" +
             printable(s.value) + "\" (csta -p shows each session's id)";
  } else if (s.who == by::device) {
    if (!st.dir || !st.dir->contains(s.value))
      return "--device: \"" + printable(s.value) + "\" is not a number of the system's plan";
  }
  return std::nullopt;
}

}  // namespace

caf::result<admin_reply> select_trace(node_pointer self, trace_selection s) {
  if (auto why = trace_problem(self, s))
    return admin_reply{*why, {}};
  s = transport::wire_trace::select(std::move(s));
  auto now = describe(s);
  log::node().info("wire trace: {}", printable(now, 200));
  std::vector<session_actor> sessions;  // told even of off: none keeps following an old choice
  for (auto& entry : self->state.sessions)
    sessions.push_back(entry.first);
  auto rp = self->make_response_promise<admin_reply>();
  fan_out<bool>(
      self, sessions, status_timeout,
      [rp, now](std::vector<bool> traced) mutable {
        if (now == "off") {
          rp.deliver(admin_reply{{}, "wire trace: off"});
          return;
        }
        auto n = std::count(traced.begin(), traced.end(), true);
        rp.deliver(admin_reply{{}, "wire trace: " + now + " (" + std::to_string(n) + (n == 1 ? " session" : " sessions") +
                                       " traced now)"});
      },
      atom::trace_v, s);
  return rp;
}

void tell_trace_selection(node_pointer self, const session_actor& session) {
  if (!transport::wire_trace::active())
    return;
  auto s = transport::wire_trace::current();
  if (s.decided_by_session())
    self->request(session, status_timeout, atom::trace_v, s).then([](bool) {}, [](const caf::error&) {});
}

}  // namespace cstad::node_impl
