#pragma once
// What carriers count: plain numbers, added up with += for a listener's or a node's total.

#include <cstdint>

namespace cstad::transport {

struct carrier_stats {
  std::uint64_t connections = 0;  // connections counted into this total
  std::uint64_t frames_in = 0;    // requests received
  std::uint64_t frames_out = 0;   // answers and notifications sent
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;    // handed to the socket
  std::uint64_t broken = 0;       // envelopes that could not be read (the connection then closed)
  std::uint64_t oversized = 0;    // answers too large for one envelope (not sent, logged)
  std::uint64_t queued_bytes = 0;  // waiting for slow clients to read, now
  std::uint64_t overflows = 0;    // connections closed because their client stopped reading
  std::uint64_t overloads = 0;    // times a client's waiting output passed the high-water mark
  std::uint64_t read_pauses = 0;  // times reading stopped: too many requests not yet taken
  std::uint64_t stalled_frames = 0;  // connections closed: a frame begun was not finished in time
  // TLS handshakes: finished, failed (refused by either side, not TLS at all, or the client
  // closed before it was done) and not finished in time.
  std::uint64_t tls_handshakes = 0;
  std::uint64_t tls_handshake_failures = 0;
  std::uint64_t tls_handshake_timeouts = 0;

  carrier_stats& operator+=(const carrier_stats& o) {
    connections += o.connections;
    frames_in += o.frames_in;
    frames_out += o.frames_out;
    bytes_in += o.bytes_in;
    bytes_out += o.bytes_out;
    broken += o.broken;
    oversized += o.oversized;
    queued_bytes += o.queued_bytes;
    overflows += o.overflows;
    overloads += o.overloads;
    read_pauses += o.read_pauses;
    stalled_frames += o.stalled_frames;
    tls_handshakes += o.tls_handshakes;
    tls_handshake_failures += o.tls_handshake_failures;
    tls_handshake_timeouts += o.tls_handshake_timeouts;
    return *this;
  }
};

template <class Inspector>
auto inspect(Inspector& f, carrier_stats& x) {
  return f(x.connections, x.frames_in, x.frames_out, x.bytes_in, x.bytes_out, x.broken,
           x.oversized, x.queued_bytes, x.overflows, x.overloads, x.read_pauses, x.stalled_frames,
           x.tls_handshakes, x.tls_handshake_failures, x.tls_handshake_timeouts);
}

}  // namespace cstad::transport
