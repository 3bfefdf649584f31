// The broker of one client connection. It runs on the multiplexer thread shared by all
// brokers, so it only cuts the byte stream into frames and moves bytes; decoding happens in
// the session actor on the scheduler's threads.

#include <caf/actor_cast.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/typed_broker.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/log.hpp"
#include "actors/spawn.hpp"
#include "protocol/framing.hpp"

namespace cstad {
namespace {

struct connection_state {
  static inline const char* name = "cstad.connection";
  protocol::frame_decoder decoder;
  session_actor session;
  std::string peer;
  bool broken = false;  // the stream lost framing: read nothing more
};

using connection_pointer = caf::stateful_actor<connection_state, connection_broker>*;

connection_broker::behavior_type connection(connection_pointer self, caf::io::connection_handle hdl,
                                            directory_ptr dir, policy_ptr policy) {
  auto& st = self->state;
  st.peer = self->remote_addr(hdl) + ":" + std::to_string(self->remote_port(hdl));
  self->configure_read(hdl, caf::io::receive_policy::at_most(16384));
  st.session = spawn_session(self, caf::actor_cast<connection_actor>(self), std::move(dir),
                             std::move(policy), st.peer);
  self->monitor(st.session);
  self->set_down_handler([self](const caf::down_msg&) { self->quit(); });
  log::connection().info("{} connected", st.peer);
  return {
      [self](const caf::io::new_data_msg& msg) {
        auto& st = self->state;
        if (st.broken)
          return;
        st.decoder.feed({msg.buf.data(), msg.buf.size()});
        for (;;) {
          auto r = st.decoder.next();
          if (r.state == protocol::frame_decoder::status::need_more)
            return;
          if (r.state == protocol::frame_decoder::status::error) {
            st.broken = true;
            self->send(st.session, atom::bad_frame_v, r.invoke_id.value_or(-1),
                       std::string{protocol::to_string(r.error)});
            return;
          }
          self->send(st.session, atom::frame_v, r.value.invoke_id, std::move(r.value.body));
        }
      },
      [self](const caf::io::connection_closed_msg&) {
        log::connection().info("{} disconnected", self->state.peer);
        self->quit();
      },
      [self, hdl](atom::write, const std::string& bytes) {
        self->write(hdl, bytes.size(), bytes.data());
        self->flush(hdl);
      },
      [self, hdl](atom::close) {
        log::connection().info("{} closed by the server", self->state.peer);
        self->close(hdl);
        self->quit();
      },
  };
}

}  // namespace

caf::actor_addr fork_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                directory_ptr dir, policy_ptr policy) {
  // Passed as an lvalue on purpose: CAF 0.17's typed_broker::fork forwards its arguments twice
  // (into the init factory and into spawn_functor), so an rvalue would arrive moved-from.
  return parent->fork(connection, hdl, dir, policy).address();
}

}  // namespace cstad
