#include "transport/sip_udp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace cstad::transport {
namespace {

// More endpoints than a SIP front end ever has; bounds what a flood of spoofed sources costs.
constexpr std::size_t max_endpoints = 100000;

}  // namespace

std::shared_ptr<sip_udp> sip_udp::open(const std::string& host, std::uint16_t port, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    error = "cannot resolve " + host;
    return nullptr;
  }
  int fd = ::socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int on = 1;
  if (fd >= 0)
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (fd < 0 || ::bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
    error = "cannot receive UDP on " + host + ":" + service + ": " + std::strerror(errno);
    if (fd >= 0)
      ::close(fd);
    ::freeaddrinfo(found);
    return nullptr;
  }
  ::freeaddrinfo(found);
  return std::shared_ptr<sip_udp>(new sip_udp(fd));
}

sip_udp::~sip_udp() { stop(); }

std::int64_t sip_udp::number_of(const sockaddr_storage& addr, socklen_t len, std::string& peer) {
  char host[INET6_ADDRSTRLEN] = "?";
  std::uint16_t port = 0;
  if (addr.ss_family == AF_INET) {
    auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    port = ntohs(a.sin6_port);
  }
  peer = std::string{"udp:"} + host + ":" + std::to_string(port);
  std::string key(reinterpret_cast<const char*>(&addr), len);
  std::lock_guard<std::mutex> guard{mutex_};
  if (auto i = numbers_.find(key); i != numbers_.end())
    return i->second;
  if (endpoints_.size() >= max_endpoints) {
    // Forget the oldest endpoint: its dialog, if any, can no longer be reached.
    auto oldest = endpoints_.begin();
    numbers_.erase(std::string(reinterpret_cast<const char*>(&oldest->second.first), oldest->second.second));
    endpoints_.erase(oldest);
  }
  auto n = next_++;
  numbers_.emplace(key, n);
  endpoints_.emplace(n, std::make_pair(addr, len));
  return n;
}

void sip_udp::start(receiver on_datagram) {
  thread_ = std::thread([this, on_datagram = std::move(on_datagram)] {
    std::vector<char> buf(65536);
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0)
        continue;  // every 200 ms: is it time to stop?
      for (;;) {
        sockaddr_storage from{};
        socklen_t len = sizeof from;
        auto n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0)
          break;  // EAGAIN: all read
        std::string peer;
        auto endpoint = number_of(from, len, peer);
        on_datagram(endpoint, peer, std::string(buf.data(), static_cast<std::size_t>(n)));
      }
    }
  });
}

void sip_udp::send(std::int64_t endpoint, const std::string& bytes) {
  sockaddr_storage to{};
  socklen_t len = 0;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    auto i = endpoints_.find(endpoint);
    if (i == endpoints_.end())
      return;
    to = i->second.first;
    len = i->second.second;
  }
  ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), len);
}

void sip_udp::stop() {
  if (stopping_.exchange(true))
    return;
  if (thread_.joinable())
    thread_.join();
  ::close(fd_);
}

}  // namespace cstad::transport
