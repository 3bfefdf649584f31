#pragma once
// The node's read-only HTTP side (cstad --metrics=HOST:PORT): /metrics in Prometheus' text
// format, / the live status page, /status.json its data. It runs on a thread of its own
// (cpp-httplib) and asks the node for a fresh look at each request, so it never holds up the
// actors; bound to loopback unless told otherwise.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/actors.hpp"

namespace cstad {

class http_gate {
public:
  /// Listens on host:port (0: any free port) and serves until destroyed; nothing, with the
  /// reason in error, when it cannot listen.
  static std::unique_ptr<http_gate> start(caf::actor_system& sys, node_actor node, const std::string& host,
                                          std::uint16_t port, std::string& error);
  ~http_gate();
  std::uint16_t port() const;

  struct impl;
  explicit http_gate(std::unique_ptr<impl> i);

private:
  std::unique_ptr<impl> impl_;
};

}  // namespace cstad
