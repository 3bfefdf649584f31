#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/event_view.hpp"
#include "actors/log.hpp"
#include "actors/spawn.hpp"
#include "sim/simulation.hpp"

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
  sim::steady_clock_source clock;
  std::unique_ptr<sim::simulation> world;  // the exchange, its people and its traffic
  std::shared_ptr<directory> dir;
  std::vector<sim::domain_event> events;  // reused buffer
  std::unordered_map<sim::call_id, std::vector<call_subscription>> call_monitors;
  bool traffic = false;
  sim::time_point next_report{};
};

using lim_pointer = lim_actor::stateful_pointer<lim_state>;

// How often the exchange's timers are looked at; ring times are whole seconds, so this is
// precise enough and costs nothing when no call rings.
constexpr auto tick_interval = std::chrono::milliseconds(100);
// How often the traffic counters are logged while traffic runs.
constexpr auto report_interval = std::chrono::seconds(60);

void send_to_call_monitors(lim_pointer self, const std::vector<call_subscription>& subs,
                           const protocol::csta_event& view) {
  auto filter = std::string{protocol::filter_name(view.type)};
  for (auto& s : subs) {
    if (s.suppressed.count(filter) != 0)
      continue;
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
      send_to_call_monitors(self, i->second, call_view(e));
  }
  for (auto& m : e.moves)
    if (m.old_call != m.new_call)
      if (auto i = monitors.find(m.old_call); i != monitors.end()) {
        auto& target = monitors[m.new_call];
        target.insert(target.end(), i->second.begin(), i->second.end());
        monitors.erase(m.old_call);
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

// Tells every device on the affected calls (and every call monitor) what changed, in order.
void publish(lim_pointer self) {
  auto& st = self->state;
  for (auto& e : st.events) {
    for (auto& o : e.observers)
      if (auto d = st.dir->find(o.device))
        self->send(*d, e);
    publish_to_call_monitors(self, e);
  }
  if (!st.events.empty())
    clear_ended_calls(self);
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
  // A session that ends without MonitorStop loses its call monitors here.
  self->set_down_handler([self](const caf::down_msg& dm) {
    for (auto& [call, subs] : self->state.call_monitors)
      subs.erase(std::remove_if(subs.begin(), subs.end(),
                                [&](const call_subscription& s) { return s.session.address() == dm.source; }),
                 subs.end());
  });
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
      [self](atom::monitor, session_actor session, std::string cross_ref,
             std::set<std::string> suppressed, sim::call_id call) -> bool {
        if (self->state.world->switching().find_call(call) == nullptr)
          return false;
        self->monitor(session);
        self->state.call_monitors[call].push_back(
            {std::move(session), std::move(cross_ref), std::move(suppressed)});
        return true;
      },
      [self](atom::demonitor, const std::string& cross_ref) {
        for (auto& [call, subs] : self->state.call_monitors)
          subs.erase(std::remove_if(subs.begin(), subs.end(),
                                    [&](const call_subscription& s) { return s.cross_ref == cross_ref; }),
                     subs.end());
      },
  };
}

}  // namespace

lim_actor spawn_lim(caf::actor_system& sys, sim::number_plan plan, sim::simulation_config people,
                    sim::exchange_timing timing) {
  return sys.spawn(lim, std::move(plan), std::move(people), timing);
}

}  // namespace cstad
