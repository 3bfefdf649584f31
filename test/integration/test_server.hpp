#pragma once
// A complete cstad node (actor system, LIM, device actors, listener) on an ephemeral loopback
// port, started and stopped by each test.

#include <cstdint>
#include <memory>

namespace cstad::test {

class test_server {
public:
  test_server();
  ~test_server();
  std::uint16_t port() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cstad::test
