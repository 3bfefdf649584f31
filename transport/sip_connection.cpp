// One TCP client of a TR/87 listener (usually a Lync front end carrying the dialogs of many
// lines): its byte stream cut into SIP messages for the agent, and what the agent sends back.
// On the multiplexer thread, so it only frames; parsing and dialogs are the agent's.

#include <caf/actor_cast.hpp>
#include <caf/io/broker.hpp>
#include <caf/stateful_actor.hpp>

#include "common/log.hpp"
#include "transport/sip_brokers.hpp"
#include "transport/sip_stream.hpp"

namespace cstad::transport {
namespace {

struct sip_connection_state {
  static inline const char* name = "cstad.sip-connection";
  sip_stream stream;
  tr87_agent_actor agent;
  std::string peer;
};

using connection_pointer = caf::stateful_actor<sip_connection_state, sip_connection_broker>*;

sip_connection_broker::behavior_type sip_connection(connection_pointer self, caf::io::connection_handle hdl,
                                                    tr87_agent_actor agent) {
  auto& st = self->state;
  st.agent = std::move(agent);
  st.peer = "tcp:" + self->remote_addr(hdl) + ":" + std::to_string(self->remote_port(hdl));
  self->configure_read(hdl, caf::io::receive_policy::at_most(16384));
  log::connection().info("{} connected (SIP)", st.peer);
  auto gone = [self, hdl] {
    self->send(self->state.agent, atom::sip_gone_v, caf::actor_cast<caf::actor>(self));
    self->close(hdl);
    self->quit();
  };
  self->set_exit_handler([gone](const caf::exit_msg&) { gone(); });
  return {
      [self, hdl, gone](const caf::io::new_data_msg& msg) {
        auto& st = self->state;
        st.stream.feed({msg.buf.data(), msg.buf.size()});
        while (auto text = st.stream.next())
          self->send(st.agent, atom::sip_in_v, sip_path{caf::actor_cast<caf::actor>(self), -1, st.peer},
                     std::move(*text));
        if (!st.stream.broken().empty()) {
          // The stream cannot be cut any more: say why, once, and hang up.
          log::connection().warn("{}: SIP stream broken ({}), closing", st.peer, st.stream.broken());
          std::string answer = st.stream.broken() == "oversized"
                                   ? "SIP/2.0 413 Request Entity Too Large\r\nContent-Length: 0\r\n\r\n"
                                   : "SIP/2.0 400 Bad Request\r\nWarning: 399 cstad \"no Content-Length\"\r\n"
                                     "Content-Length: 0\r\n\r\n";
          self->write(hdl, answer.size(), answer.data());
          self->flush(hdl);
          gone();
        }
      },
      [self, gone](const caf::io::connection_closed_msg&) {
        log::connection().info("{} disconnected (SIP)", self->state.peer);
        gone();
      },
      [self, hdl](atom::sip_out, const std::string& text) {
        self->write(hdl, text.size(), text.data());
        self->flush(hdl);
      },
  };
}

}  // namespace

caf::actor fork_sip_connection(sip_listener_broker* parent, caf::io::connection_handle hdl, tr87_agent_actor agent) {
  return caf::actor_cast<caf::actor>(parent->fork(sip_connection, hdl, agent));
}

}  // namespace cstad::transport
