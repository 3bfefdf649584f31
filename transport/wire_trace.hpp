#pragma once
// The wire trace: every message to and from the clients chosen (common/trace_selection.hpp:
// all, one address or connection, one session, the sessions of one device), whole, with
// passwords masked, into its own rotating file (trace.log in the data directory). Switched at
// run time (csta -t on|off) or at start (cstad --trace); off, a carrier pays one relaxed atomic
// load per message.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/trace_selection.hpp"

namespace cstad::transport::wire_trace {

/// Where the trace goes: `path` (trace.log), then trace.1.log … as it rotates at `max_bytes`.
void open(const std::string& path, std::size_t max_bytes = 10 * 1024 * 1024, std::size_t files = 5);

/// Puts a selection in force (by::nobody: off) and returns it with its generation, which a
/// session's word that its carrier is traced must carry. Without a trace file it stays off.
trace_selection select(trace_selection s);
/// The selection in force.
trace_selection current();
/// What is traced now, as describe() of the selection says it; "off" without a trace file.
std::string describe();

namespace detail {
extern std::atomic<bool> on;
}

/// Whether anything is traced at all: the cheap check before anything else.
inline bool active() { return detail::on.load(std::memory_order_relaxed); }

/// Writes one message if its connection is traced: its client (peer "address:port") is chosen,
/// or its session said so for the selection numbered `traced` (0: it never did). Direction
/// "->" (from the client) or "<-", the carrier ("tcp", "tls"), the invoke id, the message.
void write(std::string_view peer, std::uint64_t traced, const char* direction, const char* carrier, int invoke,
           std::string_view xml);

/// The same for a whole SIP message (TR/87; carrier "sip-tcp", "sip-udp", "sip-tls"), its
/// credentials and passwords masked. It has no invoke id ("-" in its place): SIP pairs a
/// request with its answer by CSeq and Via branch, which the message itself shows, and the
/// CSTA XML inside it has no id of its own. Its lines after the first are indented, so that
/// every entry starts at the line's start and no line a client wrote can pass for one.
void write_sip(std::string_view peer, std::uint64_t traced, const char* direction, const char* carrier,
               std::string_view message);

}  // namespace cstad::transport::wire_trace
