// The authenticator actor: service::authenticator on a thread of its own (password hashes are
// slow on purpose and must not hold up the scheduler's threads, which carry everyone's events).
// An address that keeps failing gets its answers late, without blocking anyone else's.

#include <unordered_map>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"

namespace cstad {
namespace {

struct authenticator_state {
  static inline const char* name = "cstad.authenticator";
  service::authenticator logic;
  std::shared_ptr<const sim::clock> clock;
  std::unordered_map<std::uint64_t, std::pair<caf::typed_response_promise<service::verdict>, service::verdict>> held;
  std::uint64_t next_held = 1;
};

using authenticator_pointer = authenticator_actor::stateful_pointer<authenticator_state>;

authenticator_actor::behavior_type authenticator(authenticator_pointer self,
                                                 std::vector<service::account> accounts,
                                                 std::shared_ptr<const sim::clock> clock) {
  self->state.logic.set_accounts(std::move(accounts));
  self->state.clock = std::move(clock);
  return {
      [self](atom::verify, const service::credentials& c) -> caf::typed_response_promise<service::verdict> {
        auto& st = self->state;
        auto now = st.clock->now();
        auto rp = self->make_response_promise<service::verdict>();
        auto [v, hold] = st.logic.decide(c, now);
        auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(hold);
        if (delay.count() == 0) {
          rp.deliver(std::move(v));
          return rp;
        }
        log::session().warn("{}: failed application session log-ons: answers held back {} ms", c.address,
                            delay.count());
        auto id = st.next_held++;
        st.held.emplace(id, std::make_pair(rp, std::move(v)));
        self->delayed_send(self, delay, atom::tick_v, id);
        return rp;
      },
      [self](atom::accounts, std::vector<service::account>& accounts) {
        self->state.logic.set_accounts(std::move(accounts));
      },
      [self](atom::tick, std::uint64_t id) {
        auto i = self->state.held.find(id);
        if (i == self->state.held.end())
          return;
        i->second.first.deliver(std::move(i->second.second));
        self->state.held.erase(i);
      },
  };
}

}  // namespace

authenticator_actor spawn_authenticator(caf::actor_system& sys, std::vector<service::account> accounts,
                                        std::shared_ptr<const sim::clock> clock, bool own_thread) {
  if (own_thread)
    return sys.spawn<caf::detached>(authenticator, std::move(accounts), std::move(clock));
  return sys.spawn(authenticator, std::move(accounts), std::move(clock));
}

}  // namespace cstad
