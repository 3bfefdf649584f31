// What a LIM's exchange produces, sent out: each event rendered once for every monitored device
// (and call) it concerns and posted to the watching sessions, batched per turn; signals for
// calls with parties on other LIMs; route messages to the sessions that registered for them.
// Part of the LIM actor (lim.cpp), on its state.

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/lim_state.hpp"
#include "common/log.hpp"
#include "transport/caf_logger_off.hpp"
#include "service/event_view.hpp"

namespace cstad::lim_impl {

// Whether a monitor wants events of this kind. Asked for every watcher of every event, and most
// filter nothing: inline, so that case costs a size check.
inline bool wants(const std::set<std::string>& suppressed, protocol::event_type type) {
  return suppressed.empty() || suppressed.count(std::string{protocol::filter_name(type)}) == 0;
}

static void send_to_call_monitors(lim_pointer self, const std::vector<call_subscription>& subs,
                                  protocol::csta_event view) {
  auto event = std::make_shared<const service::event_payload>(std::move(view));
  for (auto& s : subs)
    if (wants(s.suppressed, event->view().type))
      self->state.outbox.post(s.session.address(), s.session, event, s.cross_ref, s.slot);
}

// Call monitors follow their call: through a transfer or conference into the call that goes
// on, and out with a CallClearedEvent when it ends.
static void publish_to_call_monitors(lim_pointer self, const sim::domain_event& e) {
  auto& monitors = self->state.call_monitors;
  if (monitors.empty())
    return;
  for (auto id : {e.call, e.secondary_call}) {
    auto i = monitors.find(id);
    if (id != 0 && i != monitors.end())
      send_to_call_monitors(self, i->second, service::call_view(e));
  }
  for (auto& m : e.moves)
    if (m.old_call != m.new_call)
      if (auto i = monitors.find(m.old_call); i != monitors.end()) {
        auto moved = std::move(i->second);
        monitors.erase(i);
        auto& target = monitors[m.new_call];
        target.insert(target.end(), moved.begin(), moved.end());
      }
}

static void clear_ended_calls(lim_pointer self) {
  auto& st = self->state;
  for (auto i = st.call_monitors.begin(); i != st.call_monitors.end();) {
    if (st.world->switching().find_call(i->first) != nullptr) {
      ++i;
      continue;
    }
    protocol::csta_event cleared;
    cleared.type = protocol::event_type::call_cleared;
    cleared.connection = {std::to_string(i->first), {}};
    cleared.cause = protocol::event_cause::normalClearing;
    send_to_call_monitors(self, i->second, cleared);
    i = st.call_monitors.erase(i);
  }
}

// The event as one monitored device sees it: made once, for every monitor of every session
// watching the device that wants it.
static void publish_to_device(lim_pointer self, const std::string& number, device_registry::device& d,
                              const sim::domain_event& e) {
  auto view = service::view_of(e, number);
  if (!view)
    return;
  auto event = std::make_shared<const service::event_payload>(std::move(*view));
  auto type = event->view().type;
  for (auto& sub : d.sessions)
    for (auto& w : sub.monitors)
      if (wants(w.suppressed, type))
        self->state.outbox.post(sub.key, sub.session, sub.extra, event, w.cross_ref, w.slot);
}

// Tells every monitored device on the affected calls (and every call monitor) what changed, in
// order.
void publish(lim_pointer self) {
  transport::caf_logger_off_on_this_thread();
  auto& st = self->state;
  for (auto& e : st.events) {
    if (!st.devices.empty())
      for (auto& o : e.observers)
        if (auto d = st.devices.find(o.device))
          publish_to_device(self, o.device, *d, e);
    publish_to_call_monitors(self, e);
  }
  if (!st.events.empty())
    clear_ended_calls(self);
  st.events.clear();
}

// The events posted so far go to their sessions, one batch each.
void flush_events(lim_pointer self) {
  self->state.outbox.flush([self](const session_actor& session, service::event_batch&& batch) {
    self->send(session, std::move(batch));
  });
}

// Under load several operations wait in the mailbox: the events of all their steps go out
// together once they are done (one message per session for the lot, not one per step), when
// the flush sent to itself comes after them. Nothing more waiting: at once. Each session still
// sees its events in the exchange's order; answers to operations are never held.
void flush_soon(lim_pointer self) {
  auto& st = self->state;
  if (st.outbox.empty())
    return;
  if (self->mailbox().empty()) {
    flush_events(self);
  } else if (!st.flush_asked) {
    st.flush_asked = true;
    caf::anon_send(caf::actor_cast<lim_actor>(self), atom::flush_v);
  }
}

// Hands the signalling for calls with parties on other LIMs (taken from the exchange into
// st.signals) to those LIMs, one message per LIM for everything a step produced (in order),
// never one per signal.
void send_signals(lim_pointer self) {
  auto& st = self->state;
  if (st.signals.empty())
    return;
  std::unordered_map<int, std::vector<sim::inter_lim_signal>> by_lim;
  for (auto& s : st.signals) {
    auto range = st.system ? st.system->find(s.to) : nullptr;
    if (range == nullptr || range->lim == st.id) {
      log::lim().error("LIM {}: signal for {}, which is no other LIM's number, dropped", st.id, s.to);
      continue;
    }
    by_lim[range->lim].push_back(std::move(s));
  }
  st.signals.clear();
  for (auto& [lim, batch] : by_lim) {
    auto route = st.routes.find(lim);
    if (route == st.routes.end()) {
      log::lim().error("LIM {}: no way to LIM {}; {} signal(s) dropped", st.id, lim, batch.size());
      continue;
    }
    self->send(route->second, std::move(batch));
  }
}

// RouteRequest and RouteEnd (taken from the exchange into st.route_messages), each to the
// session holding its registration.
void send_route_messages(lim_pointer self) {
  auto& st = self->state;
  for (auto& m : st.route_messages) {
    auto i = st.route_sessions.find(m.registration);
    if (i == st.route_sessions.end()) {
      log::lim().warn("LIM {}: route message for registration {}, which no session holds, dropped", st.id,
                      m.registration);
      continue;
    }
    self->send(i->second, m);
  }
  st.route_messages.clear();
}

}  // namespace cstad::lim_impl
