// The carrier of one CSTA XML client over TCP or TLS: Annex J.2 framing. It runs on the
// multiplexer thread shared by all brokers, so it only cuts bytes into requests and frames
// answers; decoding happens in the session, and TLS in a worker (tls_worker.hpp), both on the
// scheduler's threads. It owns its envelope, the wire trace, its counters and its write flow
// control (write acknowledgements bound the bytes in flight; past the high-water mark the session
// is told, so that its client gets SystemStatus overloadImminent; a client that stops reading is
// cut off when its queue passes its bound; with TLS the queue holds ciphertext). Reading stops
// while the session has not yet taken too many of the requests handed to it (backpressure: a
// client cannot queue unbounded work in the server faster than it is served).

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/typed_broker.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "common/log.hpp"
#include "transport/brokers.hpp"
#include "transport/direct_write.hpp"
#include "transport/j2_connection_state.hpp"
#include "transport/wire_trace.hpp"

namespace cstad::transport::j2 {

void finish(j2_pointer self, caf::io::connection_handle hdl, const caf::error& reason) {
  auto& st = self->state;
  if (st.tls)
    self->send_exit(*st.tls, caf::exit_reason::user_shutdown);
  st.stats.queued_bytes = 0;
  self->send(st.listener, atom::retired_v, st.stats);
  self->close(hdl);
  self->quit(reason);
}

namespace {

// Plaintext from the client (from the socket, or from the TLS worker): cut into requests.
void on_plaintext(j2_pointer self, std::string_view bytes) {
  auto& st = self->state;
  if (!st.reading)
    return;
  st.envelope.feed(bytes);
  while (auto input = st.envelope.next()) {
    if (auto r = std::get_if<j2_envelope::request>(&*input)) {
      ++st.stats.frames_in;
      trace(st, "->", j2_envelope::invoke_id(r->corr), r->xml);
      // Ahead of the event batches waiting in the session's mailbox: a request is not served
      // after a backlog of events (issue 15).
      self->send<caf::message_priority::high>(st.session, atom::request_v, r->corr, std::move(r->xml));
      if (++st.handed - st.consumed >= max_untaken_requests && !st.paused) {
        st.paused = true;
        ++st.stats.read_pauses;
        log::connection().debug("{}: {} requests not yet taken by the session, reading paused", st.peer,
                                st.handed - st.consumed);
        self->halt(st.hdl);
      }
      continue;
    }
    auto& b = std::get<j2_envelope::broken>(*input);
    ++st.stats.broken;
    st.reading = false;
    log::connection().warn("{}: broken frame: {}", st.peer, b.reason);
    if (b.corr)
      self->send(st.session, atom::broken_v, *b.corr, std::move(b.reason));
    else
      self->send(st.session, atom::broken_v, std::move(b.reason));
    return;
  }
}

// Arms the deadline when the bytes so far end inside a frame.
void watch_partial_frame(j2_pointer self) {
  auto& st = self->state;
  if (!st.reading || st.envelope.buffered() == 0) {
    st.partial_armed = false;
    return;
  }
  if (st.partial_armed && st.partial_frame == st.stats.frames_in)
    return;  // the same frame is still coming: its deadline stands
  st.partial_frame = st.stats.frames_in;
  st.partial_armed = true;
  self->delayed_send(self, st.window.limits().frame_deadline, atom::frame_timeout_v, st.partial_frame);
}

void on_data(j2_pointer self, const caf::io::new_data_msg& msg) {
  auto& st = self->state;
  if (!st.reading)
    return;
  st.stats.bytes_in += msg.buf.size();
  if (st.tls)
    self->send(*st.tls, atom::cipher_v, std::string{msg.buf.begin(), msg.buf.end()});
  else
    on_plaintext(self, {msg.buf.data(), msg.buf.size()});
  if (!st.tls)
    watch_partial_frame(self);  // with TLS, once the worker hands the plaintext back
}

void start_session(j2_pointer self) {
  auto& st = self->state;
  st.session = st.make_session(caf::actor_cast<carrier_actor>(self), st.peer);
  self->monitor(st.session);
}

// Everything sent before goes out, then the connection ends: with TLS, after the worker has
// encrypted what it still holds and added its close_notify.
void end_connection(j2_pointer self, caf::io::connection_handle hdl) {
  auto& st = self->state;
  if (!send_pending(self, hdl, false))
    return;
  // What waits in the window goes first, then the last bytes (the close_notify).
  auto drain_and_finish = [self, hdl](const std::string& last) {
    auto handed = self->state.window.drain_all(
        [&](std::string_view bytes) { self->write(hdl, bytes.size(), bytes.data()); });
    if (!last.empty())
      self->write(hdl, last.size(), last.data());
    self->state.stats.bytes_out += handed + last.size();
    self->flush(hdl);
    finish(self, hdl);
  };
  if (!st.tls || !st.secured) {
    drain_and_finish({});
    return;
  }
  if (st.ending)
    return;
  st.ending = true;
  self->request(*st.tls, std::chrono::seconds(5), atom::close_v)
      .then([drain_and_finish](const std::string& close_notify) { drain_and_finish(close_notify); },
            [drain_and_finish](const caf::error&) { drain_and_finish({}); });
}

j2_broker::behavior_type j2_connection(j2_pointer self, caf::io::connection_handle hdl,
                                       session_factory make_session, write_limits limits,
                                       listener_actor listener, std::shared_ptr<const tls_context> tls) {
  auto& st = self->state;
  st.peer = self->remote_addr(hdl) + ":" + std::to_string(self->remote_port(hdl));
  st.window = write_window{limits};
  st.hdl = hdl;
  st.listener = std::move(listener);
  st.stats.connections = 1;
  self->configure_read(hdl, caf::io::receive_policy::at_most(16384));
  self->ack_writes(hdl, true);
  st.socket = connection_socket(*self, hdl.id());
  st.make_session = std::move(make_session);
  if (tls) {
    st.tls = spawn_tls_worker(self->system(), std::move(tls), caf::actor_cast<tls_carrier_actor>(self));
    self->delayed_send(self, tls_handshake_timeout, atom::tls_timeout_v);
    log::connection().info("{} connected, TLS handshake", st.peer);
  } else {
    start_session(self);
    log::connection().info("{} connected", st.peer);
  }
  // The session ended (it closed, or failed): send what is left, then close.
  self->set_down_handler([self, hdl](const caf::down_msg&) { end_connection(self, hdl); });
  // Shutdown of the listener.
  self->set_exit_handler([self, hdl](const caf::exit_msg& msg) { finish(self, hdl, msg.reason); });
  return {
      [self](const caf::io::new_data_msg& msg) { on_data(self, msg); },
      [self, hdl](const caf::io::connection_closed_msg&) {
        auto& st = self->state;
        log::connection().info("{} disconnected", st.peer);
        if (!st.tls || st.secured) {
          finish(self, hdl);
          return;
        }
        // In the middle of the handshake. Often the worker has just refused it and its alert is
        // what made the client leave: its word why (tls_fail) may still be on its way, and it
        // comes before the worker's answer to this, so it is logged and counted first.
        st.reading = false;
        auto left = [self, hdl] {
          count_handshake(self->state.stats, self->state.handshake_counted, &carrier_stats::tls_handshake_failures);
          finish(self, hdl);
        };
        self->request(*st.tls, tls_handshake_timeout, atom::close_v)
            .then([left](const std::string&) { left(); }, [left](const caf::error&) { left(); });
      },
      [self, hdl](const caf::io::data_transferred_msg& msg) {
        self->state.window.written(msg.written);
        pump(self, hdl);
      },
      [self, hdl](atom::reply, transport::correlation corr, const std::string& xml) {
        send_answer(self, hdl, j2_envelope::invoke_id(corr), xml);
        write_soon(self, hdl);
      },
      [self, hdl](atom::notify, message_batch& batch) {
        hold_notifications(self, hdl, std::move(batch));
        write_soon(self, hdl);
      },
      [self, hdl](atom::close, const std::string& reason) {
        log::connection().info("{} closed by the server: {}", self->state.peer, reason);
        end_connection(self, hdl);
      },
      [self](atom::consumed, std::uint64_t taken) {
        auto& st = self->state;
        st.consumed = std::max(st.consumed, taken);
        if (st.paused && st.handed - st.consumed < max_untaken_requests / 2) {
          st.paused = false;
          self->trigger(st.hdl);
        }
      },
      [self](atom::trace, std::uint64_t selection) { self->state.traced = selection; },
      [self](atom::trace, std::uint64_t selection, transport::correlation corr, const std::string& request) {
        auto& st = self->state;
        st.traced = selection;
        if (wire_trace::active())  // (the debug log had it when it came)
          wire_trace::write(st.peer, st.traced, "->", carrier_name(st), j2_envelope::invoke_id(corr), request);
      },
      [self, hdl](atom::cipher, std::string& bytes) {
        write_out(self, hdl, std::move(bytes));
        write_soon(self, hdl);
      },
      [self](atom::plain, const std::string& bytes) {
        on_plaintext(self, bytes);
        watch_partial_frame(self);
      },
      [self](atom::tls_up, const std::string& summary) {
        auto& st = self->state;
        st.secured = true;
        count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshakes);
        log::connection().info("{}: TLS established: {}", st.peer, summary);
        start_session(self);
      },
      [self, hdl](atom::tls_fail, const std::string& reason, bool orderly) {
        auto& st = self->state;
        if (orderly)
          log::connection().info("{}: {}", st.peer, reason);
        else
          log::connection().warn("{}: TLS {}: {}", st.peer, st.secured ? "failed" : "handshake failed", reason);
        if (!st.secured)
          count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshake_failures);
        // The worker has said its last (an alert it sent came before this and is queued).
        self->send_exit(*st.tls, caf::exit_reason::user_shutdown);
        st.tls.reset();
        end_connection(self, hdl);
      },
      [self, hdl](atom::tls_timeout) {
        auto& st = self->state;
        if (st.secured || !st.tls)
          return;
        log::connection().warn("{}: TLS handshake not finished within {} s, dropped", st.peer,
                               std::chrono::duration_cast<std::chrono::seconds>(tls_handshake_timeout).count());
        count_handshake(st.stats, st.handshake_counted, &carrier_stats::tls_handshake_timeouts);
        finish(self, hdl);
      },
      [self, hdl](atom::frame_timeout, std::uint64_t frame) {
        auto& st = self->state;
        if (!st.partial_armed || st.partial_frame != frame || st.stats.frames_in != frame ||
            st.envelope.buffered() == 0)
          return;  // finished meanwhile
        log::connection().warn("{}: a frame begun {} ms ago is still not complete ({} bytes), closing", st.peer,
                               st.window.limits().frame_deadline.count(), st.envelope.buffered());
        st.reading = false;
        ++st.stats.stalled_frames;
        end_connection(self, hdl);
      },
      [self, hdl](atom::write_now) { write_buffer_now(self, hdl); },
      [self](atom::status) {
        auto s = self->state.stats;
        s.queued_bytes = self->state.window.queued() + self->state.window.in_flight();
        return s;
      },
  };
}

}  // namespace

}  // namespace cstad::transport::j2

namespace cstad::transport {

carrier_actor fork_j2_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                 const session_factory& make_session, const write_limits& limits,
                                 const listener_actor& listener, const std::shared_ptr<const tls_context>& tls) {
  // Passed as lvalues on purpose: CAF 0.17's fork forwards its arguments twice (into the init
  // factory and into spawn_functor), so an rvalue would arrive moved-from.
  return caf::actor_cast<carrier_actor>(parent->fork(j2::j2_connection, hdl, make_session, limits, listener, tls));
}

}  // namespace cstad::transport
