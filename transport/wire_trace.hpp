#pragma once
// The wire trace: every message to and from the clients chosen (all, or one client address),
// whole, with passwords masked, into its own rotating file (trace.log in the data directory).
// Switched at run time (csta -t on|off) or at start (cstad --trace); off, a carrier pays one
// relaxed atomic load per message.

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

namespace cstad::transport::wire_trace {

/// Where the trace goes: `path` (trace.log), then trace.1.log … as it rotates at `max_bytes`.
void open(const std::string& path, std::size_t max_bytes = 10 * 1024 * 1024, std::size_t files = 5);

/// Traces every client (client empty) or the clients from one address; or nobody (on false).
void select(bool on, const std::string& client = {});
/// What is traced now: "off", "all clients" or "clients from ADDR".
std::string describe();

namespace detail {
extern std::atomic<bool> on;
}

/// Whether anything is traced at all: the cheap check before anything else.
inline bool active() { return detail::on.load(std::memory_order_relaxed); }

/// Writes one message if its client (peer "address:port") is traced: direction "->" (from the
/// client) or "<-", the carrier ("tcp", "tls", "sip"), the invoke id, the message.
void write(std::string_view peer, const char* direction, const char* carrier, int invoke, std::string_view xml);

}  // namespace cstad::transport::wire_trace
