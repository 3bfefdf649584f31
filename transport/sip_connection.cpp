// One TCP or TLS client of a TR/87 listener (usually a Lync front end carrying the dialogs of
// many lines): its byte stream cut into SIP messages for the agent, and what the agent sends
// back. On the multiplexer thread, so it only frames; parsing and dialogs are the agent's, and
// TLS the worker's (tls_worker.hpp), as for CSTA XML over TLS.

#include <chrono>
#include <memory>
#include <optional>

#include <caf/actor_cast.hpp>
#include <caf/io/broker.hpp>
#include <caf/stateful_actor.hpp>

#include "common/log.hpp"
#include "transport/sip_brokers.hpp"
#include "transport/sip_stream.hpp"
#include "transport/tls_worker.hpp"

namespace cstad::transport {
namespace {

struct sip_connection_state {
  static inline const char* name = "cstad.sip-connection";
  sip_stream stream;
  tr87_agent_actor agent;
  std::string peer;
  std::optional<tls_worker_actor> tls;
  bool secured = false;
  bool closing = false;  // a last answer is on its way through TLS; then the connection closes
  listener_actor listener;  // gets its counters (TLS handshakes) at the end
  carrier_stats stats;
  bool handshake_counted = false;
};

using connection_pointer = caf::stateful_actor<sip_connection_state, sip_connection_broker>*;

// Plaintext from the client (from the socket, or from the TLS worker): cut into messages.
template <class Gone>
void on_plaintext(connection_pointer self, caf::io::connection_handle hdl, std::string_view bytes, Gone gone) {
  auto& st = self->state;
  st.stream.feed(bytes);
  while (auto text = st.stream.next())
    self->send(st.agent, atom::sip_in_v, sip_path{caf::actor_cast<caf::actor>(self), -1, st.peer}, std::move(*text));
  if (st.stream.broken().empty())
    return;
  // The stream cannot be cut any more: say why, once, and hang up.
  log::connection().warn("{}: SIP stream broken ({}), closing", st.peer, st.stream.broken());
  std::string answer = st.stream.broken() == "oversized"
                           ? "SIP/2.0 413 Request Entity Too Large\r\nContent-Length: 0\r\n\r\n"
                           : "SIP/2.0 400 Bad Request\r\nWarning: 399 cstad \"no Content-Length\"\r\n"
                             "Content-Length: 0\r\n\r\n";
  if (st.tls) {
    // Through TLS: the worker's answer comes back as ciphertext, so the close waits a moment.
    self->send(*st.tls, atom::plain_v, std::move(answer));
    self->delayed_send(self, std::chrono::milliseconds(100), atom::tls_timeout_v);
    st.closing = true;
    return;
  }
  self->write(hdl, answer.size(), answer.data());
  self->flush(hdl);
  gone();
}

sip_connection_broker::behavior_type sip_connection(connection_pointer self, caf::io::connection_handle hdl,
                                                    tr87_agent_actor agent, std::shared_ptr<const tls_context> tls,
                                                    listener_actor listener) {
  auto& st = self->state;
  st.agent = std::move(agent);
  st.listener = std::move(listener);
  st.peer = std::string{tls ? "tls:" : "tcp:"} + self->remote_addr(hdl) + ":" + std::to_string(self->remote_port(hdl));
  self->configure_read(hdl, caf::io::receive_policy::at_most(16384));
  auto gone = [self, hdl] {
    auto& st = self->state;
    self->send(st.agent, atom::sip_gone_v, caf::actor_cast<caf::actor>(self));
    self->send(st.listener, atom::retired_v, st.stats);
    if (st.tls)
      self->send_exit(*st.tls, caf::exit_reason::user_shutdown);
    self->close(hdl);
    self->quit();
  };
  if (tls) {
    st.tls = spawn_tls_worker(self->system(), std::move(tls), caf::actor_cast<tls_carrier_actor>(self));
    self->delayed_send(self, tls_handshake_timeout, atom::tls_timeout_v);
    log::connection().info("{} connected (SIP), TLS handshake", st.peer);
  } else {
    log::connection().info("{} connected (SIP)", st.peer);
  }
  self->set_exit_handler([gone](const caf::exit_msg&) { gone(); });
  return {
      [self, hdl, gone](const caf::io::new_data_msg& msg) {
        auto& st = self->state;
        if (st.tls) {
          self->send(*st.tls, atom::cipher_v, std::string{msg.buf.begin(), msg.buf.end()});
          return;
        }
        on_plaintext(self, hdl, {msg.buf.data(), msg.buf.size()}, gone);
      },
      [self, hdl, gone](atom::plain, const std::string& bytes) { on_plaintext(self, hdl, bytes, gone); },
      [self, hdl](atom::cipher, const std::string& bytes) {
        self->write(hdl, bytes.size(), bytes.data());
        self->flush(hdl);
      },
      [self](atom::tls_up, const std::string& summary) {
        auto& st = self->state;
        st.secured = true;
        count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshakes);
        log::connection().info("{}: TLS established: {}", st.peer, summary);
      },
      [self, gone](atom::tls_fail, const std::string& reason, bool orderly) {
        auto& st = self->state;
        if (orderly)
          log::connection().info("{}: {}", st.peer, reason);
        else
          log::connection().warn("{}: TLS failed: {}", st.peer, reason);
        if (!st.secured)
          count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshake_failures);
        gone();
      },
      [self, gone](atom::tls_timeout) {
        auto& st = self->state;
        if (st.closing) {
          gone();
          return;
        }
        if (st.secured)
          return;
        log::connection().warn("{}: TLS handshake not finished within {} s, dropped", st.peer,
                               std::chrono::duration_cast<std::chrono::seconds>(tls_handshake_timeout).count());
        count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshake_timeouts);
        gone();
      },
      [self, gone](const caf::io::connection_closed_msg&) {
        auto& st = self->state;
        log::connection().info("{} disconnected (SIP)", st.peer);
        if (st.tls && !st.secured)  // the client gave up in the middle of the handshake
          count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshake_failures);
        gone();
      },
      [self, hdl](atom::sip_out, std::string& text) {
        if (self->state.tls) {
          self->send(*self->state.tls, atom::plain_v, std::move(text));  // back as ciphertext
          return;
        }
        self->write(hdl, text.size(), text.data());
        self->flush(hdl);
      },
  };
}

}  // namespace

caf::actor fork_sip_connection(sip_listener_broker* parent, caf::io::connection_handle hdl, tr87_agent_actor agent,
                               const std::shared_ptr<const tls_context>& tls) {
  // Lvalues on purpose: CAF 0.17's fork forwards its arguments twice (see fork_j2_connection).
  auto listener = caf::actor_cast<listener_actor>(parent);
  return caf::actor_cast<caf::actor>(parent->fork(sip_connection, hdl, agent, tls, listener));
}

}  // namespace cstad::transport
