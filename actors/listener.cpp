#include <algorithm>
#include <optional>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/typed_broker.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/log.hpp"
#include "actors/spawn.hpp"

namespace cstad {

namespace {

struct listener_state {
  static inline const char* name = "cstad.listener";
  std::uint16_t port = 0;
  directory_ptr dir;
  policy_ptr policy;
  std::vector<caf::actor_addr> connections;  // for closing them all on shutdown
  std::optional<caf::error> stopping;        // set once shutdown began: the exit reason
};

using listener_pointer = caf::stateful_actor<listener_state, listener_broker>*;

listener_broker::behavior_type listener(listener_pointer self, std::string host, std::uint16_t port,
                                        directory_ptr dir, policy_ptr policy) {
  auto bound = self->add_tcp_doorman(port, host.c_str(), true);
  if (!bound) {
    log::listener().error("cannot listen on {}:{}: {}", host, port,
                          self->system().render(bound.error()));
    self->quit(bound.error());
    return listener_broker::behavior_type::make_empty_behavior();
  }
  self->state.port = bound->second;
  self->state.dir = std::move(dir);
  self->state.policy = std::move(policy);
  log::listener().info("listening on {}:{}", host, self->state.port);
  // Shutdown ends only when every connection has ended: brokers still holding messages when
  // the multiplexer stops would never be cleaned up.
  auto quit_when_drained = [self] {
    if (self->state.stopping && self->state.connections.empty())
      self->quit(*self->state.stopping);
  };
  self->set_down_handler([self, quit_when_drained](const caf::down_msg& dm) {
    auto& c = self->state.connections;
    c.erase(std::remove(c.begin(), c.end(), dm.source), c.end());
    quit_when_drained();
  });
  // Shutdown: stop accepting, then close every connection.
  self->set_exit_handler([self, quit_when_drained](const caf::exit_msg& msg) {
    if (self->state.stopping)
      return;
    log::listener().info("closing the listener and {} connection(s)",
                         self->state.connections.size());
    self->state.stopping = msg.reason;
    self->close_all();  // no new connections from here on
    for (auto& c : self->state.connections)
      if (auto h = caf::actor_cast<caf::actor>(c))
        self->send_exit(h, msg.reason);
    quit_when_drained();
  });
  return {
      [self](const caf::io::new_connection_msg& msg) {
        auto conn = fork_connection(self, msg.handle, self->state.dir, self->state.policy);
        self->monitor(conn);
        self->state.connections.push_back(conn);
      },
      [self](const caf::io::acceptor_closed_msg&) {
        log::listener().error("acceptor closed");
        self->quit();
      },
      [self](atom::port) { return self->state.port; },
  };
}

}  // namespace

listener_actor spawn_listener(caf::actor_system& sys, std::string host, std::uint16_t port,
                              directory_ptr dir, policy_ptr policy) {
  auto hdl = sys.middleman().spawn_broker(listener, std::move(host), port, std::move(dir),
                                          std::move(policy));
  return caf::actor_cast<listener_actor>(hdl);
}

}  // namespace cstad
