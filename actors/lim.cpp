#include <chrono>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/log.hpp"
#include "actors/spawn.hpp"
#include "sim/exchange.hpp"

namespace cstad {
namespace {

struct lim_state {
  static inline const char* name = "cstad.lim";
  sim::steady_clock_source clock;
  std::unique_ptr<sim::exchange> exchange;
  std::shared_ptr<directory> dir;
  std::vector<sim::domain_event> events;  // reused buffer
};

using lim_pointer = lim_actor::stateful_pointer<lim_state>;

// How often the exchange's timers are looked at; ring times are whole seconds, so this is
// precise enough and costs nothing when no call rings.
constexpr auto tick_interval = std::chrono::milliseconds(100);

// Tells every device on the affected calls what changed, in order.
void publish(lim_pointer self) {
  auto& st = self->state;
  for (auto& e : st.events)
    for (auto& o : e.observers)
      if (auto d = st.dir->find(o.device))
        self->send(*d, e);
  st.events.clear();
}

lim_actor::behavior_type lim(lim_pointer self, sim::number_plan plan, sim::exchange_timing timing) {
  auto& st = self->state;
  st.dir = std::make_shared<directory>();
  st.dir->lim = caf::actor_cast<lim_actor>(self);
  for (auto& d : plan.devices())
    st.dir->devices.emplace(d.number, spawn_device(self, d.number, st.dir->lim));
  log::lim().info("LIM up with {} devices", plan.devices().size());
  st.exchange = std::make_unique<sim::exchange>(std::move(plan), st.clock, timing);
  self->delayed_send(self, tick_interval, atom::tick_v);
  return {
      [self](const sim::operation& op) -> caf::typed_response_promise<sim::outcome> {
        auto& st = self->state;
        st.events.clear();
        auto result = st.exchange->apply(op, st.events);
        // Answer first, so the client sees the response before the events it causes.
        auto rp = self->make_response_promise<sim::outcome>();
        rp.deliver(result);
        publish(self);
        return rp;
      },
      [self](atom::tick) {
        self->state.exchange->tick(self->state.events);
        publish(self);
        self->delayed_send(self, tick_interval, atom::tick_v);
      },
      [self](atom::directory) -> directory_ptr { return self->state.dir; },
  };
}

}  // namespace

lim_actor spawn_lim(caf::actor_system& sys, sim::number_plan plan, sim::exchange_timing timing) {
  return sys.spawn(lim, std::move(plan), timing);
}

}  // namespace cstad
