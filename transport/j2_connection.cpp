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
#include <array>
#include <string_view>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/typed_broker.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "common/log.hpp"
#include "transport/brokers.hpp"
#include "transport/direct_write.hpp"
#include "transport/j2_envelope.hpp"
#include "transport/tls_worker.hpp"
#include "transport/trace_mask.hpp"
#include "transport/wire_trace.hpp"

namespace cstad::transport {
namespace {

struct j2_connection_state {
  static inline const char* name = "cstad.j2-connection";
  j2_envelope envelope;
  write_window window;
  carrier_stats stats;
  session_inbox_actor session;
  listener_actor listener;
  std::string peer;
  bool reading = true;  // false once the stream broke: nothing more is read
  // TLS: the worker that holds the connection's TLS state, and whether the handshake is done
  // (the session is made only then).
  std::optional<tls_worker_actor> tls;
  bool secured = false;
  bool handshake_counted = false;  // its end is in stats
  bool ending = false;  // the close_notify was asked for; the connection ends with its answer
  // A frame begun and not finished: which one (frames completed before it), and whether its
  // deadline is armed. A client that sends half a frame and waits holds a connection and its
  // buffer; past the deadline it is closed.
  std::uint64_t partial_frame = 0;
  bool partial_armed = false;
  session_factory make_session;
  caf::io::connection_handle hdl;
  // Backpressure: requests handed to the session, and how many it said it has taken.
  std::uint64_t handed = 0;
  std::uint64_t consumed = 0;
  bool paused = false;
  bool overloaded = false;  // the session was told its client is past the high-water mark
  // The wire trace selection (its number) under which the session said this connection is
  // traced; 0: never.
  std::uint64_t traced = 0;
  // The connection's socket, written to directly (direct_write.hpp); -1: only through CAF.
  int socket = -1;
  bool write_wanted = false;  // the connection's buffer has bytes this turn added
  bool write_asked = false;   // a write_now is on its way to this broker
  // Batches of notifications of this turn, not yet framed (hold_notifications).
  std::vector<message_batch> pending;
  // Reused by send_frames_now: the frames' headers, and header and body of each in turn.
  std::vector<std::array<char, protocol::frame_header_size>> heads;
  std::vector<std::string_view> parts;
};


using j2_pointer = caf::stateful_actor<j2_connection_state, j2_broker>*;

// The connection ends: its counters go to the listener, then the broker quits.
void finish(j2_pointer self, caf::io::connection_handle hdl, const caf::error& reason = {}) {
  auto& st = self->state;
  if (st.tls)
    self->send_exit(*st.tls, caf::exit_reason::user_shutdown);
  st.stats.queued_bytes = 0;
  self->send(st.listener, atom::retired_v, st.stats);
  self->close(hdl);
  self->quit(reason);
}

// Tells the session when its client falls behind the high-water mark, and when it has caught up.
void watch_overload(j2_pointer self) {
  auto& st = self->state;
  if (!st.session)
    return;
  if (!st.overloaded && st.window.behind()) {
    st.overloaded = true;
    ++st.stats.overloads;
    log::connection().warn("{}: the client reads too slowly ({} bytes waiting, high-water mark {}): "
                           "overloadImminent",
                           st.peer, st.window.queued(), st.window.limits().high_water);
    self->send(st.session, atom::overload_v, true);
  } else if (st.overloaded && st.window.caught_up()) {
    st.overloaded = false;
    log::connection().info("{}: the client has caught up: overloadRelieved", st.peer);
    self->send(st.session, atom::overload_v, false);
  }
}

// What the connection's buffer holds goes to the socket once the messages already in the
// mailbox have added theirs: one send for a turn's answers and notifications, straight from
// here when CAF holds none of the connection's bytes (everything in flight is in that buffer),
// else through CAF's write path behind what it holds.
void ask_write(j2_pointer self) {
  auto& st = self->state;
  if (st.write_asked)
    return;
  st.write_asked = true;
  // Anonymous: a message to itself that names itself as sender holds the broker alive, and one
  // still queued when the connection ends would keep broker and message forever (LeakSanitizer
  // saw it after a broken frame's error answer).
  caf::anon_send(caf::actor_cast<j2_broker::actor_hdl>(self), atom::write_now_v);
}

void write_buffer_now(j2_pointer self, caf::io::connection_handle hdl);
bool send_pending(j2_pointer self, caf::io::connection_handle hdl, bool direct);

// At the end of a message that added bytes to the connection's buffer: with nothing more in
// the mailbox the turn ends here, so they go out now; else once the rest has added its bytes
// (write_now). The common case, one batch of notifications a turn, costs no message to itself.
void write_soon(j2_pointer self, caf::io::connection_handle hdl) {
  if (!self->state.write_wanted)
    return;
  if (self->mailbox().empty())
    write_buffer_now(self, hdl);
  else
    ask_write(self);
}

// Messages the window held back, into the connection's buffer as far as the socket layer has
// room.
void refill(j2_pointer self, caf::io::connection_handle hdl) {
  self->state.stats.bytes_out += self->state.window.drain(
      [&](std::string_view bytes) { self->write(hdl, bytes.size(), bytes.data()); });
}

void write_buffer_now(j2_pointer self, caf::io::connection_handle hdl) {
  auto& st = self->state;
  st.write_asked = false;
  st.write_wanted = false;
  if (!self->valid(hdl))
    return;
  if (!send_pending(self, hdl, true))
    return;
  auto& buf = self->wr_buf(hdl);
  // Straight to the socket while everything in flight is in this buffer; what the window held
  // back follows as the socket takes it (no write acknowledgement comes for these bytes).
  while (!buf.empty() && st.window.in_flight() == buf.size()) {
    auto taken = write_now(st.socket, buf);
    if (taken == 0)
      break;
    st.window.written(taken);
    refill(self, hdl);
  }
  if (!buf.empty())
    self->flush(hdl);
  watch_overload(self);
}

void pump(j2_pointer self, caf::io::connection_handle hdl) {
  refill(self, hdl);
  self->flush(hdl);
  watch_overload(self);
}

const char* carrier_name(const j2_connection_state& st) { return st.tls ? "tls" : "tcp"; }

// Whole messages, passwords masked: at debug level in the log, and in the wire trace file for
// the clients it traces (csta -t); nothing is done when both are off.
void trace(const j2_connection_state& st, const char* direction, int invoke, std::string_view xml) {
  auto& out = log::connection();
  if (out.should_log(spdlog::level::debug))
    out.debug("{} {} {:04d} {}", st.peer, direction, invoke, mask_passwords(xml));
  if (wire_trace::active())
    wire_trace::write(st.peer, st.traced, direction, carrier_name(st), invoke, xml);
}

bool write_out(j2_pointer self, caf::io::connection_handle hdl, std::string bytes_out);

// Bytes for the socket through the write window: offer(write) hands them to the window, which
// puts them into the connection's buffer now (written by write_soon at the end of the message)
// or queues them. False when the window overflowed and the connection ended.
template <class Offer>
bool through_window(j2_pointer self, caf::io::connection_handle hdl, std::size_t size, Offer&& offer) {
  auto& st = self->state;
  bool wrote = false;
  auto write = [&](std::string_view bytes) {
    auto& buf = self->wr_buf(hdl);
    buf.insert(buf.end(), bytes.begin(), bytes.end());
    wrote = true;
  };
  if (!offer(write)) {
    ++st.stats.overflows;
    log::connection().warn("{}: the client does not read ({} bytes waiting, bound {}), closing",
                           st.peer, st.window.queued() + st.window.in_flight(),
                           st.window.limits().queued);
    finish(self, hdl);
    return false;
  }
  if (wrote) {
    st.stats.bytes_out += size;
    st.write_wanted = true;
  } else {
    watch_overload(self);
  }
  return true;
}

// Bytes for the socket (a frame, or TLS records).
bool write_out(j2_pointer self, caf::io::connection_handle hdl, std::string bytes_out) {
  auto size = bytes_out.size();
  return through_window(
      self, hdl, size, [&](auto& write) { return self->state.window.send(std::move(bytes_out), write); });
}

// The frame header of an outgoing message, counted and traced; nothing (logged) when the
// message does not fit into one frame. Answers and notifications alike.
std::optional<std::array<char, protocol::frame_header_size>> outgoing_header(j2_connection_state& st, int invoke,
                                                                              std::string_view xml) {
  auto header = protocol::frame_header(invoke, xml.size());
  if (!header) {
    ++st.stats.oversized;
    log::connection().error("{}: message of {} bytes does not fit into one frame, not sent", st.peer, xml.size());
    return std::nullopt;
  }
  trace(st, "<-", invoke, xml);
  ++st.stats.frames_out;
  return header;
}

// An answer: ahead of the notifications waiting in the window (with TLS the worker keeps the
// order: records cannot be reordered once encrypted).
void send_answer(j2_pointer self, caf::io::connection_handle hdl, int invoke, const std::string& xml) {
  // The notifications before it first: into the buffer, to go out with it in one write.
  if (!send_pending(self, hdl, false))
    return;
  auto header = outgoing_header(self->state, invoke, xml);
  if (!header)
    return;
  std::string frame(header->data(), header->size());
  frame += xml;
  if (self->state.tls) {
    self->send(*self->state.tls, atom::plain_v, std::move(frame));  // back as ciphertext (write_out)
    return;
  }
  auto size = frame.size();
  through_window(
      self, hdl, size, [&](auto& write) { return self->state.window.send_first(std::move(frame), write); });
}

// What one turn of the session produced goes out together: header and body of each frame
// into the connection's buffer, behind what it holds (with TLS: one message to the worker).
// Each frame stays a message of its own in the write window, so its bounds count whole
// messages. False when the connection is over.
bool frame_into_window(j2_pointer self, caf::io::connection_handle hdl, const message_batch& batch) {
  auto& st = self->state;
  if (st.tls) {
    std::string frames;
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (auto header = outgoing_header(st, protocol::event_invoke_id, batch[i]))
        frames.append(header->data(), header->size()).append(batch[i]);
    if (!frames.empty())
      self->send(*st.tls, atom::plain_v, std::move(frames));
    return true;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto body = batch[i];
    auto header = outgoing_header(st, protocol::event_invoke_id, body);
    if (!header)
      continue;
    std::string_view head{header->data(), header->size()};
    auto offer = [&](auto& write) { return st.window.send(head, body, write); };
    if (!through_window(self, hdl, head.size() + body.size(), offer))
      return false;  // the client does not read: the connection is over
  }
  return true;
}

// Over TCP a batch of notifications waits, uncopied, for the end of the turn (write_soon,
// write_now): then the turn's batches go out from where their sessions wrote them
// (send_pending). Copying each into the connection's buffer first cost 5% of the server's time
// at full load, most of it fetching the batch from the cache of the core that wrote it.
void hold_notifications(j2_pointer self, caf::io::connection_handle hdl, message_batch&& batch) {
  auto& st = self->state;
  if (st.tls || st.socket < 0) {
    frame_into_window(self, hdl, batch);
    return;
  }
  st.pending.push_back(std::move(batch));
  st.write_wanted = true;
}

// The frames of the batches in sendmsg calls of up to max_gathered_parts parts each, while the
// socket takes all it is offered; from the first frame it cuts short on, the rest goes through
// the window (that frame's rest first). False: the connection is over.
bool send_frames_now(j2_pointer self, caf::io::connection_handle hdl, const std::vector<message_batch>& batches) {
  auto& st = self->state;
  bool blocked = false;
  // Sends what st.parts holds (header and body of each frame), then accounts for it.
  auto settle = [&]() -> bool {
    auto taken = blocked ? 0 : write_now(st.socket, st.parts.data(), st.parts.size());
    for (std::size_t k = 0; k + 1 < st.parts.size(); k += 2) {
      auto head = st.parts[k];
      auto body = st.parts[k + 1];
      auto size = head.size() + body.size();
      if (taken >= size) {
        taken -= size;
        st.stats.bytes_out += size;
        continue;
      }
      blocked = true;
      st.stats.bytes_out += taken;
      head.remove_prefix(std::min(taken, head.size()));
      body.remove_prefix(taken > protocol::frame_header_size ? taken - protocol::frame_header_size : 0);
      taken = 0;
      auto offer = [&](auto& write) { return st.window.send(head, body, write); };
      if (!through_window(self, hdl, head.size() + body.size(), offer))
        return false;
    }
    st.heads.clear();
    st.parts.clear();
    return true;
  };
  st.heads.clear();
  st.parts.clear();
  st.heads.reserve(max_gathered_parts / 2);  // (parts point into it: it must not move)
  for (auto& batch : batches)
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto body = batch[i];
      auto header = outgoing_header(st, protocol::event_invoke_id, body);
      if (!header)
        continue;
      st.heads.push_back(*header);
      st.parts.emplace_back(st.heads.back().data(), st.heads.back().size());
      st.parts.push_back(body);
      if (st.parts.size() == max_gathered_parts && !settle())
        return false;
    }
  return settle();
}

// The batches held this turn go out, in order: straight to the socket when `direct` allows it
// and nothing of the connection waits anywhere else, else into the connection's buffer through
// the window. False: the connection is over.
bool send_pending(j2_pointer self, caf::io::connection_handle hdl, bool direct) {
  auto& st = self->state;
  if (st.pending.empty())
    return true;
  auto batches = std::move(st.pending);
  st.pending.clear();
  bool alive = true;
  if (direct && st.window.in_flight() == 0 && st.window.queued() == 0 && self->wr_buf(hdl).empty())
    alive = send_frames_now(self, hdl, batches);
  else
    for (auto& batch : batches)
      if (alive)
        alive = frame_into_window(self, hdl, batch);
  batches.clear();
  if (st.pending.empty())
    st.pending = std::move(batches);  // its room serves the next turn
  return alive;
}

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

carrier_actor fork_j2_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                 const session_factory& make_session, const write_limits& limits,
                                 const listener_actor& listener, const std::shared_ptr<const tls_context>& tls) {
  // Passed as lvalues on purpose: CAF 0.17's fork forwards its arguments twice (into the init
  // factory and into spawn_functor), so an rvalue would arrive moved-from.
  return caf::actor_cast<carrier_actor>(parent->fork(j2_connection, hdl, make_session, limits, listener, tls));
}

}  // namespace cstad::transport
