#pragma once

#include <chrono>
// Write flow control of one connection. A client that stops reading must not make the server
// hold unbounded output for it: at most `in_flight` bytes sit in the socket layer unwritten
// (CAF's write buffer; it reports what went out with write acknowledgements), at most `queued`
// more wait here, in whole messages. Past that the connection is over its bound and its owner
// ends it. Pure accounting, no I/O.

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace cstad::transport {

struct write_limits {
  std::size_t in_flight = 256 * 1024;        // handed to the socket layer, not yet written
  std::size_t queued = 16 * 1024 * 1024;     // waiting here beyond that
  std::size_t high_water = 4 * 1024 * 1024;  // queued beyond this: the client is falling behind
  // Not of writing, but of the same connection: how long a frame begun may take to arrive
  // whole before the connection is closed (a client that sends half a frame and waits).
  std::chrono::milliseconds frame_deadline{30000};
};

class write_window {
public:
  explicit write_window(write_limits limits = {}) : limits_(limits) {}

  /// Adds a message to send. False when that would take the queue over its bound: the message
  /// is not taken, and the connection has to end.
  bool push(std::string bytes, bool first = false);

  /// Sends a message: straight to write(std::string_view) when nothing waits and the socket
  /// layer has room (the usual case, no queueing), else queued as push does (then drain).
  /// False when the queue would pass its bound.
  template <class Write>
  bool send(std::string bytes, Write&& write) {
    if (takes_now(bytes.size())) {
      in_flight_ += bytes.size();
      write(std::string_view{bytes});
      return true;
    }
    return push(std::move(bytes));
  }

  /// As send, for an answer: when it has to wait, it waits ahead of every message queued (those
  /// are notifications; a client waiting for its answer must not wait for a backlog of events).
  template <class Write>
  bool send_first(std::string bytes, Write&& write) {
    if (takes_now(bytes.size())) {
      in_flight_ += bytes.size();
      write(std::string_view{bytes});
      return true;
    }
    return push(std::move(bytes), true);
  }

  /// As send, for a message in `count` parts (a frame's header and the pieces of its body):
  /// written part by part when it goes straight out, joined into one string only when it has
  /// to wait.
  template <class Write>
  bool send(const std::string_view* parts, std::size_t count, Write&& write) {
    std::size_t size = 0;
    for (std::size_t i = 0; i < count; ++i)
      size += parts[i].size();
    if (takes_now(size)) {
      in_flight_ += size;
      for (std::size_t i = 0; i < count; ++i)
        if (!parts[i].empty())
          write(parts[i]);
      return true;
    }
    std::string joined;
    joined.reserve(size);
    for (std::size_t i = 0; i < count; ++i)
      joined.append(parts[i]);
    return push(std::move(joined));
  }
  /// Hands messages to write(std::string_view) while the socket layer has room (always at
  /// least one when nothing is in flight, however large). Returns how many bytes it handed.
  template <class Write>
  std::size_t drain(Write&& write) {
    std::size_t handed = 0;
    while (!queue_.empty() && (in_flight_ == 0 || in_flight_ + queue_.front().size() <= limits_.in_flight)) {
      handed += hand_over(write);
    }
    return handed;
  }

  /// Hands every queued message over, whatever is in flight (closing: flush what is left).
  template <class Write>
  std::size_t drain_all(Write&& write) {
    std::size_t handed = 0;
    while (!queue_.empty())
      handed += hand_over(write);
    return handed;
  }

  /// The socket layer wrote n bytes to the network.
  void written(std::size_t n) { in_flight_ = n > in_flight_ ? 0 : in_flight_ - n; }

  std::size_t in_flight() const { return in_flight_; }
  std::size_t queued() const { return queued_; }
  /// True while more than the high-water mark waits here.
  bool behind() const { return queued_ > limits_.high_water; }
  /// True once the queue is back under half the high-water mark: the client has caught up
  /// (the gap between the two keeps a client near the mark from flapping).
  bool caught_up() const { return queued_ <= limits_.high_water / 2; }
  const write_limits& limits() const { return limits_; }

private:
  // Nothing waits, and the socket layer has room (or nothing at all in flight).
  bool takes_now(std::size_t size) const {
    return queue_.empty() && (in_flight_ == 0 || in_flight_ + size <= limits_.in_flight);
  }

  template <class Write>
  std::size_t hand_over(Write& write) {
    auto bytes = std::move(queue_.front());
    queue_.pop_front();
    if (answers_ > 0)
      --answers_;
    queued_ -= bytes.size();
    in_flight_ += bytes.size();
    write(std::string_view{bytes});
    return bytes.size();
  }

  write_limits limits_;
  std::deque<std::string> queue_;
  std::size_t queued_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t answers_ = 0;  // how many of the queue's first messages are answers (send_first)
};

}  // namespace cstad::transport
