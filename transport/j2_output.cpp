// The J.2 carrier's output: what the session sends (answers, batches of notifications) framed
// and written, through the write window (write flow control, overload reporting), straight to
// the socket where nothing of the connection waits elsewhere (direct_write.hpp), else through
// CAF's write path. Runs on the multiplexer thread, as the carrier does.

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
#include "transport/caf_logger_off.hpp"
#include "transport/direct_write.hpp"
#include "transport/j2_connection_state.hpp"
#include "transport/trace_mask.hpp"
#include "transport/wire_trace.hpp"

namespace cstad::transport::j2 {

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
static void ask_write(j2_pointer self) {
  auto& st = self->state;
  if (st.write_asked)
    return;
  st.write_asked = true;
  // Anonymous: a message to itself that names itself as sender holds the broker alive, and one
  // still queued when the connection ends would keep broker and message forever (LeakSanitizer
  // saw it after a broken frame's error answer).
  caf::anon_send(caf::actor_cast<j2_broker::actor_hdl>(self), atom::write_now_v);
}

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
static void refill(j2_pointer self, caf::io::connection_handle hdl) {
  self->state.stats.bytes_out += self->state.window.drain(
      [&](std::string_view bytes) { self->write(hdl, bytes.size(), bytes.data()); });
}

void write_buffer_now(j2_pointer self, caf::io::connection_handle hdl) {
  caf_logger_off_on_this_thread();
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

// Whether trace() writes anything: a message in pieces is joined for it only then.
static bool tracing() { return log::connection().should_log(spdlog::level::debug) || wire_trace::active(); }

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

using frame_head = std::array<char, protocol::frame_header_size>;

// The frame header of an outgoing message into `header`, the message counted and traced;
// false (logged) when the message does not fit into one frame. Answers and notifications alike.
static bool outgoing_header(j2_connection_state& st, int invoke, const message_batch::pieces& body,
                            frame_head& header) {
  if (!protocol::put_frame_header(header.data(), invoke, body.size())) {
    ++st.stats.oversized;
    log::connection().error("{}: message of {} bytes does not fit into one frame, not sent", st.peer, body.size());
    return false;
  }
  if (body.before.empty() && body.after.empty())
    trace(st, "<-", invoke, body.own);
  else if (tracing())
    trace(st, "<-", invoke, body.text());
  ++st.stats.frames_out;
  return true;
}

// An answer: ahead of the notifications waiting in the window (with TLS the worker keeps the
// order: records cannot be reordered once encrypted).
void send_answer(j2_pointer self, caf::io::connection_handle hdl, int invoke, const std::string& xml) {
  // The notifications before it first: into the buffer, to go out with it in one write.
  if (!send_pending(self, hdl, false))
    return;
  frame_head header;
  if (!outgoing_header(self->state, invoke, {{}, xml, {}}, header))
    return;
  std::string frame(header.data(), header.size());
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
static bool frame_into_window(j2_pointer self, caf::io::connection_handle hdl, const message_batch& batch) {
  auto& st = self->state;
  if (st.tls) {
    std::string frames;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto body = batch[i];
      frame_head header;
      if (outgoing_header(st, protocol::event_invoke_id, body, header)) {
        frames.append(header.data(), header.size());
        body.append_to(frames);
      }
    }
    if (!frames.empty())
      self->send(*st.tls, atom::plain_v, std::move(frames));
    return true;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto body = batch[i];
    frame_head header;
    if (!outgoing_header(st, protocol::event_invoke_id, body, header))
      continue;
    std::string_view parts[] = {{header.data(), header.size()}, body.before, body.own, body.after};
    auto offer = [&](auto& write) { return st.window.send(parts, 4, write); };
    if (!through_window(self, hdl, body.size() + protocol::frame_header_size, offer))
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

// The frames of the batches in sendmsg calls of up to max_gathered_parts parts each (a frame's
// header and the pieces of its body), while the socket takes all it is offered; from the first
// frame it cuts short on, the rest goes through the window (that frame's rest first). False:
// the connection is over.
static bool send_frames_now(j2_pointer self, caf::io::connection_handle hdl, const std::vector<message_batch>& batches) {
  auto& st = self->state;
  bool blocked = false;
  // Sends what st.parts holds, then accounts for it frame by frame (st.frame_parts).
  auto settle = [&]() -> bool {
    auto taken = blocked ? 0 : write_now(st.socket, st.parts.data(), st.parts.size());
    auto* part = st.parts.data();
    for (auto count : st.frame_parts) {
      std::size_t size = 0;
      for (std::size_t k = 0; k < count; ++k)
        size += part[k].size();
      if (taken >= size) {
        taken -= size;
        st.stats.bytes_out += size;
      } else {
        // The rest of this frame, and every frame after it, through the window.
        blocked = true;
        st.stats.bytes_out += taken;
        auto rest = size - taken;
        for (std::size_t k = 0; k < count; ++k) {
          auto cut = std::min(taken, part[k].size());
          part[k].remove_prefix(cut);
          taken -= cut;
        }
        auto offer = [&](auto& write) { return st.window.send(part, count, write); };
        if (!through_window(self, hdl, rest, offer))
          return false;
      }
      part += count;
    }
    st.heads.clear();
    st.parts.clear();
    st.frame_parts.clear();
    return true;
  };
  st.heads.clear();
  st.parts.clear();
  st.frame_parts.clear();
  st.heads.reserve(max_gathered_parts);  // (parts point into it: it must not move)
  for (auto& batch : batches)
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (st.parts.size() + 4 > max_gathered_parts && !settle())
        return false;
      auto body = batch[i];
      auto& header = st.heads.emplace_back();
      if (!outgoing_header(st, protocol::event_invoke_id, body, header)) {
        st.heads.pop_back();
        continue;
      }
      auto first = st.parts.size();
      st.parts.emplace_back(header.data(), header.size());
      for (auto piece : {body.before, body.own, body.after})
        if (!piece.empty())
          st.parts.push_back(piece);
      st.frame_parts.push_back(static_cast<std::uint32_t>(st.parts.size() - first));
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

}  // namespace cstad::transport::j2
