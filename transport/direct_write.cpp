#include "transport/direct_write.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <cstdint>

#include <caf/io/abstract_broker.hpp>
#include <caf/io/network/default_multiplexer.hpp>

namespace cstad::transport {

int connection_socket(caf::io::abstract_broker& broker, std::int64_t handle_id) {
  // Other multiplexers (a test multiplexer) have handles that are no sockets.
  if (dynamic_cast<caf::io::network::default_multiplexer*>(&broker.backend()) == nullptr)
    return -1;
  auto hdl = caf::io::connection_handle::from_int(handle_id);
  if (!broker.valid(hdl))
    return -1;
  return static_cast<int>(handle_id);  // default_multiplexer: conn_hdl_from_socket(fd)
}

std::size_t write_now(int socket, std::vector<char>& out) {
  if (socket < 0 || out.empty())
    return 0;
  ssize_t n;
  do {
    n = ::send(socket, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n <= 0)
    return 0;  // EAGAIN: CAF waits until the socket takes more; an error: CAF's write meets it
  out.erase(out.begin(), out.begin() + n);
  return static_cast<std::size_t>(n);
}

std::size_t write_now(int socket, const std::string_view* parts, std::size_t count) {
  if (socket < 0 || count == 0)
    return 0;
  std::array<iovec, max_gathered_parts> iov;
  std::size_t used = 0;
  for (std::size_t i = 0; i < count && used < iov.size(); ++i)
    if (!parts[i].empty())
      iov[used++] = {const_cast<char*>(parts[i].data()), parts[i].size()};
  if (used == 0)
    return 0;
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = used;
  ssize_t n;
  do {
    n = ::sendmsg(socket, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n <= 0 ? 0 : static_cast<std::size_t>(n);
}

}  // namespace cstad::transport
