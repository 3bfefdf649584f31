#pragma once
// The few socket calls a load tool needs around its event loop.

#include <string>

namespace cstad::load {

/// A blocking TCP connection to host:port (IPv4 or IPv6, by name or address), or -1 with errno.
int connect_to(const std::string& host, int port);

/// A port on host that nothing listens on right now (bound and released), or 0 with errno.
int pick_free_port(const std::string& host);

/// Makes fd non-blocking with TCP_NODELAY, as every connection of the load loop is.
void make_nonblocking_nodelay(int fd);

}  // namespace cstad::load
