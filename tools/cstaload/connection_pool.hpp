#pragma once
// The client connections of a load run on one epoll set: one thread, non-blocking sockets,
// Annex J.2 frames in (protocol::frame_decoder) and out (protocol::encode_frame). Requests are
// queued per connection and written once per round of the loop (one send per connection for
// everything its frames asked for); frames are handed to a frame_handler as they are read.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/framing.hpp"
#include "protocol/requests.hpp"

namespace cstad::load {

enum class request_kind : unsigned char {
  start_session,
  reset_session_timer,
  monitor_start,
  make_call,
  answer_call,
  clear_connection,
};

/// "MakeCall"; the positive answer's root is this name + "Response" (ECMA-354: "PosResponse").
const char* request_name(request_kind k);

struct pending_request {
  request_kind kind = request_kind::monitor_start;
  int pair = -1;  // the call pair, for call requests
  std::chrono::steady_clock::time_point sent{};
};

struct connection {
  int index = 0;
  int fd = -1;
  protocol::frame_decoder decoder;
  std::string out;
  std::size_t out_pos = 0;
  bool writing = false;  // EPOLLOUT registered
  bool queued = false;   // in the pool's list of connections with output to send
  int next_invoke = 1;
  std::unordered_map<int, pending_request> pending;  // by invoke id
};

class frame_handler {
public:
  virtual ~frame_handler() = default;
  /// A frame with invoke id 9999.
  virtual void on_event(connection& c, std::string_view body, std::chrono::steady_clock::time_point at) = 0;
  /// The answer (response or error) to request p of connection c.
  virtual void on_answer(connection& c, const pending_request& p, std::string_view body,
                         std::chrono::steady_clock::time_point at) = 0;
};

class connection_pool {
public:
  /// The requests go out in namespace ns (ECMA-354 ones in their own).
  explicit connection_pool(std::string ns);
  ~connection_pool();
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  /// Opens n more connections to host:port; throws run_failure when one cannot be made.
  void open(const std::string& host, int port, int n);
  /// Closes every connection (what is in flight is dropped).
  void close_all();

  std::vector<connection>& connections() { return connections_; }
  /// Requests waiting for their answers, on all connections.
  std::size_t outstanding() const { return outstanding_; }
  std::uint64_t bytes_in() const { return bytes_in_; }

  /// Queues request r on c; it goes out at the end of the next poll (or flush). Throws
  /// run_failure when the invoke id it would take is still waiting for its answer (9998
  /// requests outstanding on one connection).
  void send(connection& c, request_kind kind, int pair, const protocol::request& r);

  /// Writes what is queued, waits up to timeout_ms for input, hands every whole frame to h,
  /// and writes what h queued. Throws run_failure on a broken frame, a lost connection, or an
  /// answer to no request; `lost` (when set) is asked first why a connection was lost.
  void poll(int timeout_ms, frame_handler& h);
  void flush_queued();

  /// Called when a connection is lost, before the run_failure; returns what to add to its
  /// reason (e.g. "the server died: killed by signal 11").
  std::function<std::string()> lost;

private:
  void flush(connection& c);
  void set_writing(connection& c, bool on);
  void read_from(connection& c, frame_handler& h);
  void dispatch(connection& c, protocol::frame& f, frame_handler& h);
  [[noreturn]] void fail(const connection& c, const std::string& what);

  std::string ns_;
  int epoll_fd_ = -1;
  std::vector<connection> connections_;
  std::vector<int> queued_;  // connections with output to send
  std::size_t outstanding_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::vector<char> read_buf_;
};

}  // namespace cstad::load
