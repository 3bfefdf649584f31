// A TR/87 listener: SIP over TCP and UDP on one port. TCP clients each get a connection broker
// that frames their stream; UDP datagrams are whole messages and go from the UDP socket's
// thread (sip_udp.hpp) to the agent directly. The agent (tr87_agent.cpp) holds the dialogs and
// their sessions.

#include <algorithm>
#include <optional>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "common/log.hpp"
#include "transport/sip_brokers.hpp"
#include "transport/descriptor_budget.hpp"
#include "transport/sip_udp.hpp"

namespace cstad::transport {
namespace {

struct sip_listener_state {
  static inline const char* name = "cstad.sip-listener";
  listener_settings settings;
  tr87_agent_actor agent;
  std::vector<caf::actor> connections;
  carrier_stats retired;
  bool stopping = false;
  caf::error reason;
  std::shared_ptr<sip_udp> udp;
};

using sip_listener_pointer = caf::stateful_actor<sip_listener_state, sip_listener_broker>*;

void finish(sip_listener_pointer self) {
  log::listener().info("{} listener on port {}: closed", self->state.settings.role.name(), self->state.settings.port);
  self->send_exit(self->state.agent, caf::exit_reason::user_shutdown);
  for (auto& c : self->state.connections)
    self->send_exit(c, caf::exit_reason::user_shutdown);
  self->close_all();
  if (self->state.udp)
    self->state.udp->stop();
  self->quit(self->state.reason);
}

// The agent says goodbye to every dialog (BYE) while the sockets are still open; the listener
// ends when the agent has (its end arrives as a down message).
void stop(sip_listener_pointer self, const caf::error& reason) {
  auto& st = self->state;
  if (st.stopping)
    return;
  st.stopping = true;
  st.reason = reason;
  log::listener().info("{} listener on port {}: stopping", st.settings.role.name(), st.settings.port);
  caf::anon_send(st.agent, atom::drain_v);  // its answer does not matter: its end does
  self->delayed_send(self, std::chrono::seconds(2), atom::drain_v, caf::timespan{0});  // in case it does not
}

sip_listener_broker::behavior_type sip_listener(sip_listener_pointer self, listener_settings settings,
                                                session_factory make_session) {
  auto& st = self->state;
  auto bound = self->add_tcp_doorman(settings.port, settings.host.c_str(), true);
  if (!bound) {
    log::listener().error("cannot listen on {}:{}: {}", settings.host, settings.port,
                          self->system().render(bound.error()));
    self->quit(bound.error());
    return sip_listener_broker::behavior_type::make_empty_behavior();
  }
  settings.port = bound->second;
  // UDP too, unless the server is TLS (SIP over TLS is a stream).
  std::shared_ptr<sip_udp> udp;
  if (!settings.role.tls) {
    std::string why;
    udp = sip_udp::open(settings.host, settings.port, why);
    if (!udp) {
      log::listener().error("{}", why);
      self->quit(caf::make_error(caf::sec::cannot_open_port, why));
      return sip_listener_broker::behavior_type::make_empty_behavior();
    }
  }
  st.settings = std::move(settings);
  st.agent = spawn_tr87_agent(self->system(), st.settings.host, st.settings.port, st.settings.role.tls,
                              std::move(make_session));
  st.udp = std::move(udp);
  if (st.udp)
    st.udp->start([agent = st.agent, via = caf::actor_cast<caf::actor>(self)](std::int64_t endpoint,
                                                                           const std::string& peer, std::string bytes) {
    caf::anon_send(agent, atom::sip_in_v, sip_path{via, endpoint, peer}, std::move(bytes));
  });
  self->monitor(st.agent);
  log::listener().info("{} listening on {}:{} ({})", st.settings.role.name(), st.settings.host, st.settings.port,
                       st.settings.role.tls ? "TLS" : "TCP and UDP");
  self->set_down_handler([self](const caf::down_msg& dm) {
    if (dm.source == self->state.agent.address()) {
      finish(self);
      return;
    }
    auto& c = self->state.connections;
    auto before = c.size();
    c.erase(std::remove_if(c.begin(), c.end(), [&](const caf::actor& a) { return a.address() == dm.source; }),
            c.end());
    for (auto n = before - c.size(); n > 0; --n)
      give_back_connection_slot();
  });
  self->set_exit_handler([self](const caf::exit_msg& msg) { stop(self, msg.reason); });
  return {
      [self](const caf::io::new_connection_msg& msg) {
        auto& st = self->state;
        if (st.stopping) {
          self->close(msg.handle);
          return;
        }
        if (!take_connection_slot()) {
          log::listener().warn("SIP listener on port {}: near the file descriptor limit, a new connection is closed",
                               st.settings.port);
          self->close(msg.handle);
          return;
        }
        std::shared_ptr<const tls_context> tls;
        if (!tls_for_new_connection(st.settings, tls)) {
          give_back_connection_slot();
          self->close(msg.handle);
          return;
        }
        auto conn = fork_sip_connection(self, msg.handle, st.agent, tls);
        self->monitor(conn);
        st.connections.push_back(conn);
        ++st.retired.connections;
      },
      [self](const caf::io::acceptor_closed_msg&) {
        if (!self->state.stopping)
          log::listener().error("SIP acceptor closed");
      },
      [self](atom::sip_out, std::int64_t endpoint, const std::string& text) {
        self->state.retired.bytes_out += text.size();
        if (self->state.udp)
          self->state.udp->send(endpoint, text);
      },
      [self](atom::port) { return self->state.settings.port; },
      [self](atom::status) {
        auto& st = self->state;
        return listener_status{st.settings.role, st.settings.host, st.settings.port, st.connections.size(),
                               st.retired};
      },
      [self](atom::retired, const carrier_stats& s) { self->state.retired += s; },
      [self](atom::drain, caf::timespan grace) {
        if (self->state.stopping && grace.count() == 0)
          finish(self);  // the agent did not end in time
        else
          stop(self, caf::error{});
      },
  };
}

}  // namespace

listener_actor spawn_sip_listener(caf::actor_system& sys, listener_settings settings, session_factory make_session) {
  auto hdl = sys.middleman().spawn_broker(sip_listener, std::move(settings), std::move(make_session));
  return caf::actor_cast<listener_actor>(hdl);
}

}  // namespace cstad::transport
