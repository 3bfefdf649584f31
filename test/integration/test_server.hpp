#pragma once
// A complete cstad node (actor system, node, LIM, listener) on an ephemeral loopback port,
// started and stopped by each test.

#include <cstdint>
#include <memory>

#include "service/account.hpp"
#include "service/application_session.hpp"
#include "sim/exchange.hpp"
#include "sim/simulation.hpp"
#include "transport/write_window.hpp"

namespace cstad {
struct node_status;
}

namespace cstad::test {

class test_server {
public:
  /// timing: the exchange's ring times (tests shorten them to see timers fire).
  /// sessions: the ECMA-354 policy (required or not, accounts, durations).
  /// simulation: people and traffic; none by default, so nothing happens unless a test does it.
  /// limits: write flow control of each connection.
  /// accounts: for application session authentication (none: sessions need no credentials).
  explicit test_server(sim::exchange_timing timing = {}, service::session_policy sessions = {},
                       sim::simulation_config simulation = {}, transport::write_limits limits = {},
                       std::vector<service::account> accounts = {});

  /// The traffic generator's counters so far.
  sim::traffic_counters traffic() const;
  ~test_server();
  std::uint16_t port() const;

  /// Lets a call from an outside number arrive for `to`, as the network would; returns the
  /// call id.
  std::string incoming_call(const std::string& from, const std::string& to);

  /// What the node answers for status.
  node_status status() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cstad::test
