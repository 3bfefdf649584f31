#pragma once
// What a listener serves, in the operator's terms (csta -i --type=xml|tr87 --tls=yes|no), and
// what it has seen.

#include <cstdint>
#include <string>

#include "transport/carrier_stats.hpp"

namespace cstad::transport {

enum class server_type : std::uint8_t {
  xml,   // CSTA XML, Annex J.2 framing
  tr87,  // uaCSTA over SIP
};

struct listener_role {
  server_type type = server_type::xml;
  bool tls = false;

  /// "xml/tcp", "xml/tls", "tr87/tcp", …
  std::string name() const {
    return std::string{type == server_type::xml ? "xml" : "tr87"} + (tls ? "/tls" : "/tcp");
  }
};

template <class Inspector>
auto inspect(Inspector& f, listener_role& x) {
  return f(x.type, x.tls);
}

struct listener_status {
  listener_role role;
  std::string host;
  std::uint16_t port = 0;
  std::uint64_t open = 0;  // connections open now
  carrier_stats carriers;  // what every connection, open or ended, did
  // New connections closed at once: the server had its most, the client address had its
  // most, the process was near its file descriptor limit.
  std::uint64_t refused_full = 0;
  std::uint64_t refused_address = 0;
  std::uint64_t refused_descriptors = 0;
};

template <class Inspector>
auto inspect(Inspector& f, listener_status& x) {
  return f(x.role, x.host, x.port, x.open, x.carriers, x.refused_full, x.refused_address, x.refused_descriptors);
}

}  // namespace cstad::transport
