// The LIM actor: hosts one LIM's exchange (sim/), a single-threaded deterministic engine, so
// transfer, conference and ACD distribution never race. It answers each operation before it
// publishes the events the operation caused; it sends each event to the actors of the devices
// on it that are monitored (spawning a device's actor on its first monitor), and to the call
// monitors of the call, which it holds itself.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/spawn.hpp"
#include "common/fan_out.hpp"
#include "protocol/forwarding_type.hpp"
#include "common/log.hpp"
#include "service/event_view.hpp"
#include "sim/system_ids.hpp"

namespace cstad {
namespace {

// A call monitor: a session that watches one call, whoever is on it.
struct call_subscription {
  session_actor session;
  std::string cross_ref;
  std::set<std::string> suppressed;
};

struct lim_state {
  static inline const char* name = "cstad.lim";
  int id = 1;
  std::shared_ptr<const sim::clock> clock;
  std::unique_ptr<sim::simulation> world;  // the exchange, its people and its traffic
  std::vector<sim::domain_event> events;   // reused buffer
  std::unordered_map<std::string, device_actor> devices;  // the monitored ones
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
};

using lim_pointer = lim_actor::stateful_pointer<lim_state>;

// How often the traffic counters are logged while traffic runs.
constexpr auto report_interval = std::chrono::seconds(60);
// How long a device's actor may take to say how many monitors it has (csta -p --devices).
constexpr auto device_status_timeout = std::chrono::milliseconds(2000);

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

void send_to_call_monitors(lim_pointer self, const std::vector<call_subscription>& subs,
                           const protocol::csta_event& view) {
  auto filter = std::string{protocol::filter_name(view.type)};
  for (auto& s : subs)
    if (s.suppressed.count(filter) == 0) {
      auto copy = view;
      copy.cross_ref = s.cross_ref;
      self->send(s.session, std::move(copy));
    }
}

// Call monitors follow their call: through a transfer or conference into the call that goes
// on, and out with a CallClearedEvent when it ends.
void publish_to_call_monitors(lim_pointer self, const sim::domain_event& e) {
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

void clear_ended_calls(lim_pointer self) {
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

// Tells every monitored device on the affected calls (and every call monitor) what changed, in
// order.
void publish(lim_pointer self) {
  auto& st = self->state;
  for (auto& e : st.events) {
    if (!st.devices.empty())
      for (auto& o : e.observers)
        if (auto d = st.devices.find(o.device); d != st.devices.end())
          self->send(d->second, e);
    publish_to_call_monitors(self, e);
  }
  if (!st.events.empty())
    clear_ended_calls(self);
  st.events.clear();
}

// Hands the signalling for calls with parties on other LIMs to those LIMs, one message per
// LIM for everything a step produced (in order), never one per signal.
void send_signals(lim_pointer self) {
  auto& st = self->state;
  st.world->switching().take_signals(st.signals);
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
  // A session that ends without MonitorStop loses its call monitors here.
  self->set_down_handler([self](const caf::down_msg& dm) {
    for (auto& [call, subs] : self->state.call_monitors)
      subs.erase(std::remove_if(subs.begin(), subs.end(),
                                [&](const call_subscription& s) { return s.session.address() == dm.source; }),
                 subs.end());
  });
  arm(self);
  auto drop_call_monitor = [self](const session_actor& session, const std::string& cross_ref) {
    for (auto& [call, subs] : self->state.call_monitors)
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
        publish(self);
        send_signals(self);
        arm(self);
        if (!result.refused && changes_settings(op.kind) && st.node)
          self->send(st.node, atom::changed_v, st.id);
        return rp;
      },
      [self](atom::watch, const session_actor& session, const std::string& number,
             std::string& cross_ref, std::set<std::string>& suppressed) -> device_actor {
        auto& devices = self->state.devices;
        auto i = devices.find(number);
        if (i == devices.end())
          i = devices.emplace(number, spawn_device(self, number)).first;
        // Sent before the answer, so the device has the monitor before the session can stop it.
        self->send(i->second, atom::watch_v, session, std::move(cross_ref), std::move(suppressed));
        return i->second;
      },
      [self](atom::watch, const session_actor& session, sim::call_id call, std::string& cross_ref,
             std::set<std::string>& suppressed) -> bool {
        if (self->state.world->switching().find_call(call) == nullptr)
          return false;
        self->monitor(session);
        self->state.call_monitors[call].push_back({session, std::move(cross_ref), std::move(suppressed)});
        return true;
      },
      [drop_call_monitor](atom::unwatch, const session_actor& session, const std::string& cross_ref) {
        drop_call_monitor(session, cross_ref);
      },
      [self](atom::filter, const session_actor& session, const std::string& cross_ref,
             const std::set<std::string>& suppressed) {
        for (auto& [call, subs] : self->state.call_monitors)
          for (auto& s : subs)
            if (s.cross_ref == cross_ref && s.session == session)
              s.suppressed = suppressed;
      },
      [self](atom::tick, std::uint64_t generation) {
        auto& st = self->state;
        if (generation != st.tick_generation)
          return;  // superseded by an earlier timer
        st.tick_at.reset();
        st.world->tick(st.events);
        publish(self);
        send_signals(self);
        report(self);
        arm(self);
      },
      [self](const std::vector<sim::inter_lim_signal>& signals) {
        auto& st = self->state;
        for (auto& s : signals)
          if (auto out = st.world->receive(s, st.events); out.refused)
            log::lim().warn("LIM {}: signal about call {} from {} refused: {}", st.id, s.call, s.from,
                            out.error.value);
        publish(self);
        send_signals(self);
        arm(self);
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
        publish(self);
        send_signals(self);
        arm(self);
      },
      [self](atom::stats) -> sim::traffic_counters { return self->state.world->counters(); },
      [self](atom::status) -> lim_status {
        auto& st = self->state;
        std::uint64_t call_monitors = 0;
        for (auto& [call, subs] : st.call_monitors)
          call_monitors += subs.size();
        return {st.id, st.world->switching().plan().devices().size(), st.world->switching().call_count(),
                st.devices.size(), call_monitors, st.world->counters()};
      },
      [self](atom::settings) { return settings_of(self->state.world->switching()); },
      [self](atom::devices) -> caf::typed_response_promise<std::vector<admin::device_report>> {
        auto rp = self->make_response_promise<std::vector<admin::device_report>>();
        std::vector<std::string> numbers;
        std::vector<device_actor> actors;
        for (auto& [number, device] : self->state.devices) {
          numbers.push_back(number);
          actors.push_back(device);
        }
        auto& plan = self->state.world->switching().plan();
        fan_out_indexed<std::uint64_t>(
            self, actors, device_status_timeout,
            [rp, numbers, &plan](std::vector<std::optional<std::uint64_t>> counts) mutable {
              std::vector<admin::device_report> out;
              for (std::size_t i = 0; i < numbers.size(); ++i)
                if (counts[i] && *counts[i] > 0) {
                  auto d = plan.find(numbers[i]);
                  out.push_back({numbers[i], d ? std::string{sim::to_string(d->kind)} : "", *counts[i]});
                }
              std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
              rp.deliver(std::move(out));
            },
            atom::status_v);
        return rp;
      },
  };
}

}  // namespace

lim_actor spawn_lim(caf::actor_system& sys, lim_settings settings,
                    std::shared_ptr<const sim::clock> clock, node_actor node) {
  return sys.spawn(lim, std::move(settings), std::move(clock), std::move(node));
}

}  // namespace cstad
