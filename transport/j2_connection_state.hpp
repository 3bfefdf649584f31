#pragma once
// The J.2 carrier of one connection (j2_connection.cpp), its state and what its two files share:
// j2_connection.cpp takes bytes in and runs the connection; j2_output.cpp frames what goes out
// and writes it (the write window, straight to the socket where it can). Only these two include
// this.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/io/connection_handle.hpp>
#include <caf/stateful_actor.hpp>

#include "common/message_batch.hpp"
#include "protocol/framing.hpp"
#include "transport/brokers.hpp"
#include "transport/carrier_stats.hpp"
#include "transport/j2_envelope.hpp"
#include "transport/tls_worker.hpp"
#include "transport/write_window.hpp"

namespace cstad::transport::j2 {

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
  // Reused by send_frames_now: the frames' headers; the parts of each frame in turn (its header
  // and the pieces of its body), and how many parts each frame has.
  std::vector<std::array<char, protocol::frame_header_size>> heads;
  std::vector<std::string_view> parts;
  std::vector<std::uint32_t> frame_parts;
};


using j2_pointer = caf::stateful_actor<j2_connection_state, j2_broker>*;

// -- j2_connection.cpp ------------------------------------------------------------------------

/// The connection ends: its counters go to the listener, then the broker quits.
void finish(j2_pointer self, caf::io::connection_handle hdl, const caf::error& reason = {});

// -- j2_output.cpp ----------------------------------------------------------------------------

/// Tells the session when its client falls behind the high-water mark, and when it has caught up.
void watch_overload(j2_pointer self);
/// At the end of a message that added bytes to the connection's buffer: they go out now, or
/// once the rest of the mailbox has added its bytes.
void write_soon(j2_pointer self, caf::io::connection_handle hdl);
/// The turn's output to the socket (the carrier's write_now).
void write_buffer_now(j2_pointer self, caf::io::connection_handle hdl);
/// After a write acknowledgement: what the window held back, as far as there is room.
void pump(j2_pointer self, caf::io::connection_handle hdl);
/// "tls" or "tcp", as the wire trace names the carrier.
const char* carrier_name(const j2_connection_state& st);
/// A whole message, passwords masked, to the debug log and the wire trace when they are on.
void trace(const j2_connection_state& st, const char* direction, int invoke, std::string_view xml);
/// Bytes for the socket (a frame, or TLS records), through the write window. False when the
/// connection ended (the client does not read).
bool write_out(j2_pointer self, caf::io::connection_handle hdl, std::string bytes_out);
/// An answer, ahead of the notifications waiting in the window.
void send_answer(j2_pointer self, caf::io::connection_handle hdl, int invoke, const std::string& xml);
/// A session's batch of notifications, sent with the rest of the turn's output.
void hold_notifications(j2_pointer self, caf::io::connection_handle hdl, message_batch&& batch);
/// The batches held this turn, framed: to the socket at once when `direct` allows, else into the
/// connection's buffer. False when the connection ended.
bool send_pending(j2_pointer self, caf::io::connection_handle hdl, bool direct);

}  // namespace cstad::transport::j2
