#pragma once
// Writing to a non-blocking socket in an epoll loop, as every load tool and the trivial server
// do it: send what is queued until the socket takes no more, and ask epoll for EPOLLOUT only
// while something waits.

#include <sys/epoll.h>

#include <cstddef>
#include <string>

namespace cstad::load {

enum class send_outcome {
  all_sent,     // out is emptied and pos is 0
  would_block,  // the peer does not read: wait for EPOLLOUT
  failed,       // errno says why
};

/// Sends out from pos on fd until all of it is sent or the socket takes no more.
send_outcome send_pending(int fd, std::string& out, std::size_t& pos);

/// Whether epoll reports fd writable too (it always reports input: EPOLLIN | EPOLLRDHUP);
/// `writing` holds the current state, so that a call changing nothing costs no system call.
void watch_writable(int epoll_fd, int fd, epoll_data_t data, bool& writing, bool on);

}  // namespace cstad::load
