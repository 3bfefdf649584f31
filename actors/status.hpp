#pragma once
// What the node answers for a status request: plain counters of its parts, each added up with
// +=, so the admin tools (and later a whole system of LIMs) can total them.

#include <cstdint>
#include <vector>

#include "service/session_stats.hpp"
#include "sim/traffic.hpp"
#include "transport/listener_role.hpp"

namespace cstad {

struct lim_status {
  int id = 0;
  std::uint64_t devices = 0;          // numbers of its plan
  std::uint64_t calls = 0;            // calls now
  std::uint64_t watched_devices = 0;  // devices with an actor (monitored at some time)
  std::uint64_t call_monitors = 0;    // call monitors now
  sim::traffic_counters traffic;      // what its simulated traffic did
};

template <class Inspector>
auto inspect(Inspector& f, lim_status& x) {
  return f(x.id, x.devices, x.calls, x.watched_devices, x.call_monitors, x.traffic);
}

struct node_status {
  std::vector<transport::listener_status> listeners;  // each with its carriers' counters
  std::uint64_t sessions_open = 0;
  service::session_stats sessions;  // every session, open or ended
  std::vector<lim_status> lims;

  /// The carriers of every listener together.
  transport::carrier_stats carriers() const {
    transport::carrier_stats total;
    for (auto& l : listeners)
      total += l.carriers;
    return total;
  }
};

template <class Inspector>
auto inspect(Inspector& f, node_status& x) {
  return f(x.listeners, x.sessions_open, x.sessions, x.lims);
}

}  // namespace cstad
