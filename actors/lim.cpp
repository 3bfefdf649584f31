#include <chrono>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/log.hpp"
#include "actors/spawn.hpp"
#include "sim/simulation.hpp"

namespace cstad {
namespace {

struct lim_state {
  static inline const char* name = "cstad.lim";
  sim::steady_clock_source clock;
  std::unique_ptr<sim::simulation> world;  // the exchange, its people and its traffic
  std::shared_ptr<directory> dir;
  std::vector<sim::domain_event> events;  // reused buffer
  bool traffic = false;
  sim::time_point next_report{};
};

using lim_pointer = lim_actor::stateful_pointer<lim_state>;

// How often the exchange's timers are looked at; ring times are whole seconds, so this is
// precise enough and costs nothing when no call rings.
constexpr auto tick_interval = std::chrono::milliseconds(100);
// How often the traffic counters are logged while traffic runs.
constexpr auto report_interval = std::chrono::seconds(60);

// Tells every device on the affected calls what changed, in order.
void publish(lim_pointer self) {
  auto& st = self->state;
  for (auto& e : st.events)
    for (auto& o : e.observers)
      if (auto d = st.dir->find(o.device))
        self->send(*d, e);
  st.events.clear();
}

void report(lim_pointer self) {
  auto& st = self->state;
  auto now = st.clock.now();
  if (!st.traffic || now < st.next_report)
    return;
  st.next_report = now + report_interval;
  auto c = st.world->counters();
  log::lim().info("traffic: {} offered, {} answered, {} abandoned, {} failed, average wait {:.1f} s, "
                  "service level {:.0f} %",
                  c.offered, c.answered, c.abandoned, c.failed, c.average_wait_seconds(),
                  100 * c.service_level());
}

lim_actor::behavior_type lim(lim_pointer self, sim::number_plan plan, sim::simulation_config people,
                             sim::exchange_timing timing) {
  auto& st = self->state;
  st.dir = std::make_shared<directory>();
  st.dir->lim = caf::actor_cast<lim_actor>(self);
  for (auto& d : plan.devices())
  {
    st.dir->devices.emplace(d.number, spawn_device(self, d.number, st.dir->lim));
    st.dir->plan.emplace_back(d.number, d.kind);
  }
  log::lim().info("LIM up with {} devices, {} ACD and {} hunt groups, {} agents logged on",
                  plan.devices().size(), plan.acd_groups().size(), plan.hunt_groups().size(),
                  plan.agents().size());
  for (auto& t : people.traffic)
    if (t.calls_per_hour > 0) {
      st.traffic = true;
      log::lim().info("traffic: {} calls/hour from outside numbers to {} (seed {})", t.calls_per_hour,
                      t.target, t.seed);
    }
  st.next_report = st.clock.now() + report_interval;
  st.world = std::make_unique<sim::simulation>(std::move(plan), std::move(people), st.clock, timing);
  self->delayed_send(self, tick_interval, atom::tick_v);
  return {
      [self](const sim::operation& op) -> caf::typed_response_promise<sim::outcome> {
        auto& st = self->state;
        auto result = st.world->apply(op, st.events);
        // Answer first, so the client sees the response before the events it causes.
        auto rp = self->make_response_promise<sim::outcome>();
        rp.deliver(result);
        publish(self);
        return rp;
      },
      [self](atom::tick) {
        self->state.world->tick(self->state.events);
        publish(self);
        report(self);
        self->delayed_send(self, tick_interval, atom::tick_v);
      },
      [self](atom::directory) -> directory_ptr { return self->state.dir; },
      [self](atom::stats) -> sim::traffic_counters { return self->state.world->counters(); },
  };
}

}  // namespace

lim_actor spawn_lim(caf::actor_system& sys, sim::number_plan plan, sim::simulation_config people,
                    sim::exchange_timing timing) {
  return sys.spawn(lim, std::move(plan), std::move(people), timing);
}

}  // namespace cstad
