#pragma once
// Whose messages the wire trace writes (transport/wire_trace.hpp): nobody, everyone, the
// clients of one address (or one connection, ADDR:PORT), one session (its ECMA-354 sessionID),
// or the sessions of one device. A carrier decides the first three by its peer alone; the last
// two only its session can decide, and it tells its carrier (atom::trace). Plain data: the
// admin tools send it, the node hands it to every session.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cstad {

struct trace_selection {
  enum class by : std::uint8_t { nobody, everyone, client, session, device };
  by who = by::nobody;
  std::string value;  // client: ADDR or ADDR:PORT; session: its sessionID; device: its number
  // Which selection this is, counted by wire_trace::select: a session's word that its carrier
  // is traced holds for the selection of that number only, so a stale one never writes.
  std::uint64_t generation = 0;

  /// Whether a session, not its carrier, decides if it is traced.
  bool decided_by_session() const { return who == by::session || who == by::device; }
};

template <class Inspector>
auto inspect(Inspector& f, trace_selection& x) {
  return f(x.who, x.value, x.generation);
}

/// What is traced, in an operator's words: "off", "all clients", "clients from 192.0.2.7",
/// "session 5f0c…", "the sessions of device 1010".
std::string describe(const trace_selection& s);

/// Whether a client selection names this peer ("address:port"): its address, or all of it.
/// (Inline: sessions ask it too, and the service library links no transport.)
inline bool names_client(const trace_selection& s, std::string_view peer) {
  if (peer == s.value)
    return true;
  auto colon = peer.rfind(':');
  return colon != std::string_view::npos && peer.substr(0, colon) == s.value;
}

/// Why a --client value is not an IP address or ADDRESS:PORT; nothing when it is one.
std::optional<std::string> client_problem(std::string_view value);

/// cstad --trace: "all", "device:NUMBER" or ADDR[:PORT]. Nothing (and why in problem) when the
/// text is none of them. (A session cannot be chosen before it exists: csta -t does that.)
std::optional<trace_selection> parse_trace_option(std::string_view text, std::string& problem);

}  // namespace cstad
