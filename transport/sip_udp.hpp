#pragma once
// SIP over UDP for a TR/87 listener, on a socket of our own: CAF 0.17's datagram servant keeps
// the multiplexer (and so the process) from ever ending once it was opened, even after it is
// closed. A thread waits for datagrams (polling, so it can be stopped) and hands each to the
// agent; answers go out with sendto from whoever calls send. Remote endpoints are numbered, so
// a sip_path can name one. Include only from transport's .cpp files.

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cstad::transport {

class sip_udp {
public:
  /// Called on the receiving thread for each datagram: its endpoint's number, its peer text
  /// ("udp:1.2.3.4:5060") and its bytes.
  using receiver = std::function<void(std::int64_t endpoint, const std::string& peer, std::string bytes)>;

  /// Binds host:port; nothing, and why, when it cannot.
  static std::shared_ptr<sip_udp> open(const std::string& host, std::uint16_t port, std::string& error);
  ~sip_udp();

  /// Starts the receiving thread.
  void start(receiver on_datagram);
  /// Sends to a numbered endpoint (dropped when unknown).
  void send(std::int64_t endpoint, const std::string& bytes);
  /// Stops the thread and closes the socket (also done by the destructor).
  void stop();

private:
  explicit sip_udp(int fd) : fd_(fd) {}
  std::int64_t number_of(const sockaddr_storage& addr, socklen_t len, std::string& peer);

  int fd_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, std::int64_t> numbers_;  // by the address's bytes
  std::map<std::int64_t, std::pair<sockaddr_storage, socklen_t>> endpoints_;
  std::int64_t next_ = 0;
};

}  // namespace cstad::transport
