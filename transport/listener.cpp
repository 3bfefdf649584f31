// A listener: accepts connections for one role and hands each to a carrier of that role,
// which makes its session through the factory. It knows nothing of what a session does.

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/stateful_actor.hpp>

#include "common/fan_out.hpp"
#include "common/log.hpp"
#include "transport/brokers.hpp"
#include "transport/descriptor_budget.hpp"
#include "transport/listener.hpp"
#include "transport/sip_brokers.hpp"

namespace cstad::transport {
namespace {

// How long a status request waits for each connection: well within the 2 s the node gives the
// listener (actors/node_state.hpp), so that a connection slow to answer costs the listener's
// figures that connection's part, never the whole row (a metrics counter that vanishes for a
// scrape reads as a reset).
constexpr auto status_timeout = std::chrono::milliseconds(1000);

struct listener_state {
  static inline const char* name = "cstad.listener";
  listener_settings settings;
  session_factory make_session;
  std::vector<carrier_actor> connections;  // open now, for status and for closing on shutdown
  carrier_stats retired;                   // what ended connections did
  std::optional<caf::error> stopping;      // set once it stopped accepting: the exit reason
  bool closing = false;                    // its connections were told to close
  std::uint64_t refused_for_descriptors = 0;  // since the budget was last spent (logged once)
  // Connections open from each client address, and the address of each connection.
  std::unordered_map<std::string, std::size_t> per_address;
  std::unordered_map<caf::actor_addr, std::string> address_of;
  std::unordered_set<std::string> address_full_logged;  // refusals logged until one of theirs ends
  // Connections refused, for status: server full, address full, descriptors.
  std::uint64_t refused_full = 0, refused_address = 0, refused_descriptors = 0;
};

using listener_pointer = caf::stateful_actor<listener_state, listener_broker>*;

listener_broker::behavior_type listener(listener_pointer self, listener_settings settings,
                                        session_factory make_session) {
  auto& st = self->state;
  auto bound = self->add_tcp_doorman(settings.port, settings.host.c_str(), true);
  if (!bound) {
    log::listener().error("cannot listen on {}:{}: {}", settings.host, settings.port,
                          self->system().render(bound.error()));
    self->quit(bound.error());
    return listener_broker::behavior_type::make_empty_behavior();
  }
  settings.port = bound->second;
  st.settings = std::move(settings);
  st.make_session = std::move(make_session);
  log::listener().info("{} listening on {}:{}", st.settings.role.name(), st.settings.host,
                       st.settings.port);
  // Shutdown ends only when every connection has ended: brokers still holding messages when
  // the multiplexer stops would never be cleaned up.
  auto quit_when_drained = [self] {
    if (self->state.stopping && self->state.connections.empty())
      self->quit(*self->state.stopping);
  };
  self->set_down_handler([self, quit_when_drained](const caf::down_msg& dm) {
    auto& st = self->state;
    auto& c = st.connections;
    auto before = c.size();
    c.erase(std::remove_if(c.begin(), c.end(), [&](const carrier_actor& h) { return h.address() == dm.source; }),
            c.end());
    for (auto n = before - c.size(); n > 0; --n)
      give_back_connection_slot();
    if (auto a = st.address_of.find(dm.source); a != st.address_of.end()) {
      if (auto p = st.per_address.find(a->second); p != st.per_address.end() && --p->second == 0)
        st.per_address.erase(p);
      st.address_full_logged.erase(a->second);
      st.address_of.erase(a);
    }
    if (st.refused_for_descriptors > 0 && before != c.size()) {
      log::listener().warn("{} listener on port {}: accepting again ({} connection(s) were refused while "
                           "the process had no file descriptors to spare)",
                           st.settings.role.name(), st.settings.port, st.refused_for_descriptors);
      st.refused_for_descriptors = 0;
    }
    quit_when_drained();
  });
  // Shutdown: stop accepting, then close every connection.
  self->set_exit_handler([self, quit_when_drained](const caf::exit_msg& msg) {
    if (self->state.closing)
      return;
    log::listener().info("closing the {} listener and {} connection(s)",
                         self->state.settings.role.name(), self->state.connections.size());
    self->state.closing = true;
    if (!self->state.stopping)
      self->state.stopping = msg.reason;
    self->close_all();  // no new connections from here on
    for (auto& c : self->state.connections)
      self->send_exit(c, msg.reason);
    quit_when_drained();
  });
  return {
      [self](const caf::io::new_connection_msg& msg) {
        auto& st = self->state;
        if (st.settings.max_connections > 0 && st.connections.size() >= st.settings.max_connections) {
          log::listener().warn("{} listener on port {}: {} connections open, the most it takes; "
                               "a new one from {} is closed",
                               st.settings.role.name(), st.settings.port, st.connections.size(),
                               self->remote_addr(msg.handle));
          ++st.refused_full;
          self->close(msg.handle);
          return;
        }
        auto address = self->remote_addr(msg.handle);
        if (st.settings.max_per_address > 0 && st.per_address[address] >= st.settings.max_per_address) {
          // Logged at the first refusal while that address is at its most.
          if (st.address_full_logged.insert(address).second)
            log::listener().warn("{} listener on port {}: {} has {} connections open, the most one address may "
                                 "have; new ones from it are closed",
                                 st.settings.role.name(), st.settings.port, address, st.per_address[address]);
          ++st.refused_address;
          self->close(msg.handle);
          return;
        }
        if (!take_connection_slot()) {
          if (st.refused_for_descriptors++ == 0)
            log::listener().error("{} listener on port {}: the process is near its file descriptor limit "
                                  "({} connections open): new connections are closed until some end",
                                  st.settings.role.name(), st.settings.port, connections_open());
          ++st.refused_descriptors;
          self->close(msg.handle);
          return;
        }
        std::shared_ptr<const tls_context> tls;
        if (!tls_for_new_connection(st.settings, tls)) {
          give_back_connection_slot();
          self->close(msg.handle);
          return;
        }
        auto conn = fork_j2_connection(self, msg.handle, st.make_session, st.settings.limits,
                                       caf::actor_cast<listener_actor>(self), tls);
        self->monitor(conn);
        st.connections.push_back(conn);
        ++st.per_address[address];
        st.address_of.emplace(conn.address(), address);
      },
      [self](const caf::io::acceptor_closed_msg&) {
        log::listener().error("acceptor closed");
        self->quit();
      },
      [self](atom::port) { return self->state.settings.port; },
      [self](atom::retired, const carrier_stats& s) { self->state.retired += s; },
      [self, quit_when_drained](atom::drain, caf::timespan grace) {
        auto& st = self->state;
        if (st.stopping) {
          // The grace time is over (a drain with none): close what is still open.
          if (grace.count() == 0 && !st.closing) {
            st.closing = true;
            for (auto& c : st.connections)
              self->send_exit(c, caf::exit_reason::user_shutdown);
          }
          return;
        }
        log::listener().info("{} listener on port {}: no new connections, {} to end",
                             st.settings.role.name(), st.settings.port, st.connections.size());
        st.stopping = caf::error{};
        self->close_all();
        self->delayed_send(self, grace, atom::drain_v, caf::timespan{0});
        quit_when_drained();
      },
      [self](atom::status) -> caf::typed_response_promise<listener_status> {
        auto rp = self->make_response_promise<listener_status>();
        auto& st = self->state;
        listener_status out{st.settings.role,      st.settings.host,       st.settings.port,
                            st.connections.size(), st.retired,             st.refused_full,
                            st.refused_address,    st.refused_descriptors};
        fan_out<carrier_stats>(
            self, st.connections, status_timeout,
            [rp, out](std::vector<carrier_stats> open) mutable {
              for (auto& s : open)
                out.carriers += s;
              rp.deliver(out);
            },
            atom::status_v);
        return rp;
      },
  };
}

}  // namespace

bool tls_for_new_connection(const listener_settings& settings, std::shared_ptr<const tls_context>& out) {
  out.reset();
  if (!settings.tls)
    return true;
  std::string error;
  out = settings.tls->current(error);
  if (!error.empty())
    log::listener().error("{} listener on port {}: {}{}", settings.role.name(), settings.port, error,
                          out ? " (the previous certificate stays in use)" : "");
  return out != nullptr;
}

listener_actor spawn_listener(caf::actor_system& sys, listener_settings settings,
                              session_factory make_session) {
  if (settings.role.type == server_type::tr87)
    return spawn_sip_listener(sys, std::move(settings), std::move(make_session));
  auto hdl = sys.middleman().spawn_broker(listener, std::move(settings), std::move(make_session));
  return caf::actor_cast<listener_actor>(hdl);
}

}  // namespace cstad::transport
