#include "tools/cstaload/socket_output.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace cstad::load {

send_outcome send_pending(int fd, std::string& out, std::size_t& pos) {
  while (pos < out.size()) {
    auto n = ::send(fd, out.data() + pos, out.size() - pos, MSG_NOSIGNAL);
    if (n > 0) {
      pos += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return send_outcome::would_block;
    return send_outcome::failed;
  }
  out.clear();
  pos = 0;
  return send_outcome::all_sent;
}

void watch_writable(int epoll_fd, int fd, epoll_data_t data, bool& writing, bool on) {
  if (writing == on)
    return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data = data;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
  writing = on;
}

}  // namespace cstad::load
