#pragma once
// Where a SIP message came from and its answers go: the broker that owns the socket, and for
// UDP the remote endpoint (CAF's datagram handle, as its number: the handle type has no type
// id in CAF 0.17). A TCP or TLS connection is its own broker.

#include <cstdint>
#include <string>

#include <caf/actor.hpp>

namespace cstad::transport {

struct sip_path {
  caf::actor via;
  std::int64_t endpoint = -1;  // UDP: the datagram handle's number; -1: a stream
  std::string peer;            // for logs: "udp:127.0.0.1:5060" or "tcp:127.0.0.1:41234"

  bool datagram() const { return endpoint >= 0; }
};

template <class Inspector>
auto inspect(Inspector& f, sip_path& x) {
  return f(x.via, x.endpoint, x.peer);
}

}  // namespace cstad::transport
