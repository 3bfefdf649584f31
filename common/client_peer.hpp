#pragma once
// Who a client is, from the peer text its carrier gave: a J.2 carrier's is "ADDRESS:PORT";
// a SIP path's is "tcp:ADDRESS:PORT", and a TR/87 session's "tcp:ADDRESS:PORT line URI" (udp:
// and tls: alike, transport/tr87_agent.cpp). The wire trace selects by ADDRESS[:PORT], and
// failed log-ons are counted by ADDRESS (a client must not escape that count by a new port or
// line).

#include <string_view>

namespace cstad {

/// "ADDRESS:PORT" of the peer.
inline std::string_view client_endpoint(std::string_view peer) {
  for (std::string_view prefix : {"tcp:", "udp:", "tls:"})
    if (peer.substr(0, prefix.size()) == prefix) {
      peer.remove_prefix(prefix.size());
      return peer.substr(0, peer.find(' '));
    }
  return peer;
}

/// "ADDRESS" of the peer (an IPv6 address keeps its colons: the port is after the last).
inline std::string_view client_address(std::string_view peer) {
  auto endpoint = client_endpoint(peer);
  auto colon = endpoint.rfind(':');
  return colon == std::string_view::npos ? endpoint : endpoint.substr(0, colon);
}

}  // namespace cstad
