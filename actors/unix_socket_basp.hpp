#pragma once
// CAF's BASP over a Unix socket: how the admin tools reach the node's admin gate.
//
// Why not middleman().publish on 127.0.0.1: every local user can reach a loopback port, and
// CAF 0.17's BASP trusts the first bytes it gets (a 32-byte server_handshake header with no
// payload crashes the process, a huge payload length allocates it), so any local user could
// take the server down without knowing the admin secret. A socket inside the data directory
// (0700) is reachable only by the directory's owner; the admin secret is still checked on
// every request. Everything above the transport is CAF's own publish/remote_actor protocol.

#include <set>
#include <string>

#include <caf/fwd.hpp>

namespace cstad {

/// Publishes whom, speaking the interface sigs, on a Unix socket at path (a stale socket file
/// there is replaced; the new one is readable and writable only by its owner). The returned
/// actor serves that socket until it is sent an exit; an error says why nothing listens.
caf::expected<caf::actor> publish_on_unix_socket(caf::actor_system& sys, caf::strong_actor_ptr whom,
                                                 std::set<std::string> sigs, const std::string& path);

/// Connects to what publish_on_unix_socket published at path, if it speaks interface ifs.
caf::expected<caf::strong_actor_ptr> connect_to_unix_socket(caf::actor_system& sys, const std::string& path,
                                                            const std::set<std::string>& ifs,
                                                            caf::timespan timeout);

}  // namespace cstad
