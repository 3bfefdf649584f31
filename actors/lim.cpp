// The LIM actor: hosts one LIM's exchange (sim/), a single-threaded deterministic engine, so
// transfer, conference and ACD distribution never race. It answers each operation before it
// publishes the events the operation caused. It holds the monitors of its devices and calls
// itself: it renders each event once for each monitored device it concerns and sends it once to
// each session watching that device. One sender for all of a LIM's events is what keeps them in
// the exchange's order at every session, across all of its monitors (a caller's
// OriginatedEvent before the called party's DeliveredEvent). Sending out what a step produced
// is in lim_events.cpp.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/lim_state.hpp"
#include "actors/spawn.hpp"
#include "protocol/forwarding_type.hpp"
#include "common/log.hpp"
#include "service/device_monitors.hpp"
#include "service/event_outbox.hpp"
#include "service/event_view.hpp"
#include "sim/system_ids.hpp"

namespace cstad::lim_impl {
namespace {

// Whether the session holds a call monitor here (its end is watched while it holds any monitor).
bool watches_calls(const lim_state& st, const session_actor& session) {
  return std::any_of(st.call_monitors.begin(), st.call_monitors.end(), [&](const auto& c) {
    return std::any_of(c.second.begin(), c.second.end(), [&](const call_subscription& s) { return s.session == session; });
  });
}

// How often the traffic counters are logged while traffic runs.
constexpr auto report_interval = std::chrono::seconds(60);

bool changes_settings(sim::operation_kind k) {
  return k == sim::operation_kind::set_do_not_disturb || k == sim::operation_kind::set_forwarding;
}

// DND and forwarding as the exchange has them, in the configuration's terms.
std::vector<admin::feature_entry> settings_of(const sim::exchange& ex) {
  std::vector<admin::feature_entry> out;
  for (auto& d : ex.settings()) {
    if (d.dnd)
      out.push_back({d.device, "doNotDisturb", {}, 0});
    for (auto& f : d.forwards)
      out.push_back({d.device, std::string{protocol::to_string(f.type)}, f.destination, f.ring_count});
  }
  return out;
}

// Sets what the configuration kept; there are no monitors yet, so the events go nowhere.
void restore_settings(sim::simulation& world, const std::vector<admin::feature_entry>& features) {
  std::vector<sim::domain_event> ignored;
  for (auto& f : features) {
    auto op = admin::operation_of(f);
    if (!op)
      continue;
    if (auto out = world.apply(*op, ignored); out.refused)
      log::lim().warn("kept setting {} of {} not restored: {}/{}", f.feature, f.device,
                      protocol::to_string(out.error.category), out.error.value);
  }
}

void arm(lim_pointer self);

// What one step of the exchange produced goes out: events, signals to other LIMs, route
// messages; then the next timer is armed.
void after_step(lim_pointer self) {
  auto& st = self->state;
  publish(self);
  st.world->switching().take_signals(st.signals);
  st.world->switching().take_route_messages(st.route_messages);
  // Signals and route messages do not wait, and the events before them go first.
  if (st.signals.empty() && st.route_messages.empty())
    flush_soon(self);
  else
    flush_events(self);
  send_signals(self);
  send_route_messages(self);
  arm(self);
}

void report(lim_pointer self) {
  auto& st = self->state;
  auto now = st.clock->now();
  if (!st.traffic || now < st.next_report)
    return;
  st.next_report = now + report_interval;
  auto c = st.world->counters();
  log::lim().info("LIM {} traffic: {} offered, {} answered, {} abandoned, {} failed, average wait "
                  "{:.1f} s, service level {:.0f} %",
                  st.id, c.offered, c.answered, c.abandoned, c.failed, c.average_wait_seconds(),
                  100 * c.service_level());
}

// Arms the timer for whatever comes first: the exchange's next timer, or the next traffic
// report. A timer that is already armed for that time or earlier stays.
void arm(lim_pointer self) {
  auto& st = self->state;
  auto next = st.world->next_timer();
  if (st.traffic && (!next || st.next_report < *next))
    next = st.next_report;
  if (!next || (st.tick_at && *st.tick_at <= *next))
    return;
  st.tick_at = next;
  self->delayed_send(self, until(*st.clock, *next), atom::tick_v, ++st.tick_generation);
}

lim_actor::behavior_type lim(lim_pointer self, lim_settings settings,
                             std::shared_ptr<const sim::clock> clock, node_actor node) {
  auto& st = self->state;
  st.id = settings.id;
  st.clock = std::move(clock);
  st.node = std::move(node);
  auto& plan = settings.plan;
  log::lim().info("LIM {} up with {} devices, {} ACD and {} hunt groups, {} agents logged on",
                  st.id, plan.devices().size(), plan.acd_groups().size(), plan.hunt_groups().size(),
                  plan.agents().size());
  for (auto& t : settings.simulation.traffic)
    if (t.calls_per_hour > 0) {
      st.traffic = true;
      log::lim().info("traffic: {} calls/hour from outside numbers to {} (seed {})", t.calls_per_hour,
                      t.target, t.seed);
    }
  st.next_report = st.clock->now() + report_interval;
  st.world = std::make_unique<sim::simulation>(std::move(settings.plan), std::move(settings.simulation),
                                               *st.clock, settings.timing, sim::first_id_of(st.id));
  st.system = std::move(settings.system);
  if (st.system)
    st.world->switching().set_remote_numbers([dir = st.system, id = st.id](const std::string& number) {
      auto r = dir->find(number);
      return r != nullptr && r->lim != id;
    });
  restore_settings(*st.world, settings.features);
  // This actor hands the route messages to the registered sessions (send_route_messages).
  st.world->switching().enable_routeing(true);
  // A session that ends without MonitorStop loses its monitors here.
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    flush_events(self);
    st.devices.release(dm.source);
    for (auto& [call, subs] : st.call_monitors)
      subs.erase(std::remove_if(subs.begin(), subs.end(),
                                [&](const call_subscription& s) { return s.session.address() == dm.source; }),
                 subs.end());
    // Its routeing registrations end: their waiting calls go to the groups' queues.
    std::vector<std::string> gone;
    for (auto& [registration, session] : st.route_sessions)
      if (session.address() == dm.source)
        gone.push_back(registration);
    for (auto& registration : gone) {
      st.route_sessions.erase(registration);
      sim::operation cancel;
      cancel.kind = sim::operation_kind::route_register_cancel;
      cancel.text = registration;
      cancel.owner = caf::to_string(dm.source);
      st.world->apply(cancel, st.events);
    }
    if (!gone.empty())
      after_step(self);
  });
  arm(self);
  auto drop_monitor = [self](const session_actor& session, const std::string& cross_ref) {
    auto& st = self->state;
    bool last = false;
    if (st.devices.remove(session.address(), cross_ref, last)) {
      if (last && !watches_calls(st, session))
        self->demonitor(session.address());
      return;
    }
    for (auto& [call, subs] : st.call_monitors)
      subs.erase(std::remove_if(subs.begin(), subs.end(),
                                [&](const call_subscription& s) {
                                  return s.cross_ref == cross_ref && s.session == session;
                                }),
                 subs.end());
  };
  return {
      [self](const sim::operation& op) -> caf::typed_response_promise<sim::outcome> {
        auto& st = self->state;
        auto result = st.world->apply(op, st.events);
        // Answer first, so the client sees the response before the events it causes.
        auto rp = self->make_response_promise<sim::outcome>();
        rp.deliver(result);
        after_step(self);
        if (!result.refused && changes_settings(op.kind) && st.node)
          self->send(st.node, atom::changed_v, st.id);
        return rp;
      },
      [self](atom::route, const session_actor& session, sim::operation& op) -> caf::typed_response_promise<sim::outcome> {
        auto& st = self->state;
        // The session's actor is who owns a registration: not a text the client can forge.
        op.owner = caf::to_string(session.address());
        auto result = st.world->apply(op, st.events);
        if (!result.refused && op.kind == sim::operation_kind::route_register) {
          st.route_sessions[result.reference] = session;
          self->monitor(session);
        } else if (!result.refused && op.kind == sim::operation_kind::route_register_cancel) {
          st.route_sessions.erase(op.text);
        }
        auto rp = self->make_response_promise<sim::outcome>();
        rp.deliver(result);
        after_step(self);
        return rp;
      },
      [self](atom::watch, const session_actor& session, const std::string& number,
             std::string& cross_ref, std::set<std::string>& suppressed, std::uint32_t slot) -> bool {
        auto& st = self->state;
        flush_events(self);  // what was published before the monitor does not wait for its answer
        log::device().debug("{}: monitor {} started", number, cross_ref);
        if (st.devices.add(session.address(), session, number, std::move(cross_ref), std::move(suppressed), slot) &&
            !watches_calls(st, session))
          self->monitor(session);
        return true;
      },
      [self](atom::watch, const session_actor& session, sim::call_id call, std::string& cross_ref,
             std::set<std::string>& suppressed, std::uint32_t slot) -> bool {
        flush_events(self);
        if (self->state.world->switching().find_call(call) == nullptr)
          return false;
        self->monitor(session);
        self->state.call_monitors[call].push_back({session, std::move(cross_ref), std::move(suppressed), slot});
        return true;
      },
      [self, drop_monitor](atom::unwatch, const session_actor& session, const std::string& cross_ref) {
        flush_events(self);
        drop_monitor(session, cross_ref);
      },
      [self](atom::filter, const session_actor& session, const std::string& cross_ref,
             const std::set<std::string>& suppressed) {
        auto& st = self->state;
        flush_events(self);  // the filter applies to events after it
        if (st.devices.set_filter(session.address(), cross_ref, suppressed))
          return;
        for (auto& [call, subs] : self->state.call_monitors)
          for (auto& s : subs)
            if (s.cross_ref == cross_ref && s.session == session)
              s.suppressed = suppressed;
      },
      [self](atom::flush) {
        self->state.flush_asked = false;
        flush_events(self);
      },
      [self](atom::tick, std::uint64_t generation) {
        auto& st = self->state;
        if (generation != st.tick_generation)
          return;  // superseded by an earlier timer
        st.tick_at.reset();
        st.world->tick(st.events);
        report(self);
        after_step(self);
      },
      [self](const std::vector<sim::inter_lim_signal>& signals) {
        auto& st = self->state;
        for (auto& s : signals)
          if (auto out = st.world->receive(s, st.events); out.refused) {
            // A signal about a call this side has ended already crossed that end on the way
            // (an answer crossing a hang-up): normal between two LIMs, so not worth a warning.
            auto crossed = out.error.value == "invalidCallID" && s.what != sim::inter_lim_signal::kind::setup;
            (crossed ? log::lim().debug("LIM {}: signal about call {} from {} came after its end", st.id, s.call, s.from)
                     : log::lim().warn("LIM {}: signal about call {} from {} refused: {}", st.id, s.call, s.from,
                                       out.error.value));
          }
        after_step(self);
      },
      [self](atom::join, int lim, signal_sink_actor& route) {
        self->state.routes.insert_or_assign(lim, std::move(route));
      },
      [self](atom::lim_state, int lim, bool up) {
        auto& st = self->state;
        if (up || !st.system)
          return;
        // Calls with parties there lose them, as if the line had been cut.
        st.world->far_lim_lost(
            [&](const std::string& number) {
              auto r = st.system->find(number);
              return r != nullptr && r->lim == lim;
            },
            st.events);
        after_step(self);
      },
      [self](atom::rehome, const session_actor& from, const session_actor& to, const std::vector<std::string>& cross_refs) {
        // Session recovery: the monitors keep their cross-references and filters; from this
        // answer on, their events go to the new session (those before it to the old one, first).
        auto& st = self->state;
        flush_events(self);
        bool first = false;
        auto moved = st.devices.move(from.address(), cross_refs, to.address(), to, first);
        std::set<std::string> wanted(cross_refs.begin(), cross_refs.end());
        for (auto& [call, subs] : st.call_monitors)
          for (auto& s : subs)
            if (s.session == from && wanted.count(s.cross_ref) != 0) {
              s.session = to;
              ++moved;
            }
        // Its routeing registrations go with it: the dialogues go on with the new session.
        for (auto& id : st.world->switching().reown_route_registrations(caf::to_string(from.address()),
                                                                       caf::to_string(to.address())))
          st.route_sessions[id] = to;
        self->monitor(to);  // its end releases them here
        log::lim().debug("LIM {}: {} monitor(s) moved to another session", st.id, moved);
        return true;
      },
      [self](atom::stats) -> sim::traffic_counters { return self->state.world->counters(); },
      [self](atom::status) -> lim_status {
        auto& st = self->state;
        std::uint64_t call_monitors = 0;
        for (auto& [call, subs] : st.call_monitors)
          call_monitors += subs.size();
        return {st.id, st.world->switching().plan().devices().size(), st.world->switching().call_count(),
                st.devices.device_count(), call_monitors, st.world->counters()};
      },
      [self](atom::settings) { return settings_of(self->state.world->switching()); },
      [self](atom::groups) {
        auto& ex = self->state.world->switching();
        std::vector<admin::group_report> out;
        for (auto& g : ex.plan().acd_groups()) {
          admin::group_report r{g.number, g.name, ex.queue_length(g.number)};
          for (auto& [device, a] : ex.agents()) {
            if (a.state == sim::agent_state::logged_off ||
                std::find(a.groups.begin(), a.groups.end(), g.number) == a.groups.end())
              continue;
            ++r.agents;
            switch (a.state) {
              case sim::agent_state::ready: ++r.ready; break;
              case sim::agent_state::busy: ++r.busy; break;
              case sim::agent_state::not_ready: ++r.not_ready; break;
              case sim::agent_state::working_after_call: ++r.after_call_work; break;
              case sim::agent_state::logged_off: break;
            }
          }
          out.push_back(std::move(r));
        }
        return out;
      },
      [self](atom::devices) {
        auto& st = self->state;
        auto& plan = st.world->switching().plan();
        std::vector<admin::device_report> out;
        st.devices.for_each([&](const std::string& number, const device_registry::device& d) {
          std::uint64_t n = 0;
          for (auto& sub : d.sessions)
            n += sub.monitors.size();
          if (n == 0)
            return;
          auto device = plan.find(number);
          out.push_back({number, device ? std::string{sim::to_string(device->kind)} : "", n});
        });
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
        return out;
      },
  };
}

}  // namespace
}  // namespace cstad::lim_impl

namespace cstad {

lim_actor spawn_lim(caf::actor_system& sys, lim_settings settings,
                    std::shared_ptr<const sim::clock> clock, node_actor node) {
  return sys.spawn(lim_impl::lim, std::move(settings), std::move(clock), std::move(node));
}

}  // namespace cstad
