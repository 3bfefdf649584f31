#pragma once
// Starting a listener. Each role has its carrier: the J.2 carrier for "xml/tcp" and, with a
// TLS context per connection, for "xml/tls"; SIP carriers join here.

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include <memory>

#include "transport/carrier_actors.hpp"
#include "transport/tls_context_source.hpp"
#include "transport/write_window.hpp"

namespace cstad::transport {

struct listener_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  listener_role role;
  write_limits limits;     // per connection
  std::size_t max_connections = 0;  // open at once; 0: no limit (csta -i --max-sessions)
  std::size_t max_per_address = 0;  // open at once from one client address; 0: no limit
  std::shared_ptr<tls_context_source> tls;  // role.tls: where each connection's TLS context comes from
};

/// The TLS context for a new connection of a listener (none for a plain one). False when the
/// connection must be refused because no certificate can be used (logged); a certificate that
/// cannot replace the one in use is logged and the old one stays.
bool tls_for_new_connection(const listener_settings& settings, std::shared_ptr<const tls_context>& out);

/// A listener on host:port that gives each connection a carrier and, through make_session, a
/// session. It ends (with the reason) when it cannot bind.
listener_actor spawn_listener(caf::actor_system& sys, listener_settings settings,
                              session_factory make_session);

}  // namespace cstad::transport
