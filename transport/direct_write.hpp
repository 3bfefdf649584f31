#pragma once
// Writing a broker's output straight to its socket, on the multiplexer thread, instead of
// through CAF's write path. CAF 0.17 writes a flushed buffer only in the multiplexer's next
// round, and registers and unregisters write interest with epoll for every flush: three system
// calls and a round's delay where one send() does (issue 15: the multiplexer thread spent most
// of its time in the kernel). The carrier uses this only while CAF holds none of its bytes, so
// the order on the wire stays; what the socket does not take now stays in CAF's buffer, and
// CAF writes it (and meets any error) as before.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace caf::io {
class abstract_broker;
}  // namespace caf::io

namespace cstad::transport {

/// The socket behind a broker's connection handle, or -1 when the broker does not run on
/// CAF's default multiplexer (whose handles are the sockets themselves) or the handle is not
/// its connection.
int connection_socket(caf::io::abstract_broker& broker, std::int64_t handle_id);

/// Sends from the front of out without waiting; erases what the socket took and returns how
/// many bytes that was (0 when it takes nothing now, or on an error: CAF's own write of the
/// rest then reports it).
std::size_t write_now(int socket, std::vector<char>& out);

/// Sends parts, one after the other as one stream of bytes, gathered into one sendmsg without
/// waiting (at most max_gathered_parts of them): how many bytes the socket took (0 as above).
/// Nothing is copied on the way (a batch of frames goes out from where it was written).
constexpr std::size_t max_gathered_parts = 512;
std::size_t write_now(int socket, const std::string_view* parts, std::size_t count);

}  // namespace cstad::transport
