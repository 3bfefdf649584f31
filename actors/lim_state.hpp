#pragma once
// The LIM actor's state and what its two files share: lim.cpp runs the exchange and answers
// its messages; lim_events.cpp sends out what the exchange's steps produce (events to the
// sessions monitoring its devices and calls, signals to other LIMs, route messages). Only
// these two include this.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/spawn.hpp"
#include "service/device_monitors.hpp"
#include "service/event_outbox.hpp"

namespace cstad::lim_impl {

// Device monitors (service/device_monitors.hpp), by the watching session's actor.
using event_outbox = service::event_outbox<caf::actor_addr, session_actor>;
using device_registry = service::device_monitors<caf::actor_addr, session_actor, event_outbox::place_hint>;

// A call monitor: a session that watches one call, whoever is on it.
struct call_subscription {
  session_actor session;
  std::string cross_ref;
  std::set<std::string> suppressed;
  std::uint32_t slot = service::no_monitor_slot;  // the session's number of the monitor
};

struct lim_state {
  static inline const char* name = "cstad.lim";
  int id = 1;
  std::shared_ptr<const sim::clock> clock;
  std::unique_ptr<sim::simulation> world;  // the exchange, its people and its traffic
  std::vector<sim::domain_event> events;   // reused buffer
  device_registry devices;  // the monitored ones
  std::unordered_map<sim::call_id, std::vector<call_subscription>> call_monitors;
  std::uint64_t tick_generation = 0;        // the current timer; older ticks are ignored
  std::optional<sim::time_point> tick_at;   // when the current timer fires
  bool traffic = false;
  sim::time_point next_report{};
  node_actor node;  // told when DND or forwarding change
  // A system of several LIMs: every number with its LIM, and the way to each other LIM.
  std::shared_ptr<const service::directory> system;
  std::unordered_map<int, signal_sink_actor> routes;
  std::vector<sim::inter_lim_signal> signals;  // reused buffer
  // Routeing registrations (RouteRegister) by id, and the session holding each.
  std::unordered_map<std::string, session_actor> route_sessions;
  std::vector<sim::route_message> route_messages;  // reused buffer
  // What the steps of this turn produced, one batch per session (flush_soon).
  event_outbox outbox;
  bool flush_asked = false;  // an atom::flush is on its way to this LIM
};

using lim_pointer = lim_actor::stateful_pointer<lim_state>;

// -- lim_events.cpp ---------------------------------------------------------------------------

/// Tells every monitored device on the affected calls (and every call monitor) what the last
/// step changed, in order: into the outbox.
void publish(lim_pointer self);
/// The events posted so far go to their sessions, one batch each.
void flush_events(lim_pointer self);
/// The same once this turn's operations are done (at once when nothing more waits).
void flush_soon(lim_pointer self);
/// The signalling for calls with parties on other LIMs, to those LIMs.
void send_signals(lim_pointer self);
/// RouteRequest and RouteEnd, each to the session holding its registration.
void send_route_messages(lim_pointer self);

}  // namespace cstad::lim_impl
