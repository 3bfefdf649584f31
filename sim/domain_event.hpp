#pragma once
// What the exchange reports when a connection changes. One event per change; the LIM delivers
// it to every device on the call, and each device actor renders it as the CSTA event its
// monitors see, using its own connection state from `observers`.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/connection_state.hpp"
#include "protocol/event_cause.hpp"
#include "sim/clock.hpp"

namespace cstad::sim {

using call_id = std::uint64_t;

enum class domain_event_kind : unsigned char {
  service_initiated,   // a device started a call (off-hook or make call)
  originated,          // the caller's connection is set up and dialling is done
  delivered,           // the called device is alerting
  established,         // the called device answered
  connection_cleared,  // a device left the call
};

/// A device on the call and its connection state right after the change.
struct observer {
  std::string device;
  protocol::connection_state state = protocol::connection_state::null;

  friend bool operator==(const observer& a, const observer& b) {
    return a.device == b.device && a.state == b.state;
  }
};

template <class Inspector>
auto inspect(Inspector& f, observer& x) {
  return f(x.device, x.state);
}

struct domain_event {
  domain_event_kind kind = domain_event_kind::delivered;
  call_id call = 0;
  std::string subject;  // the device whose connection changed
  std::string calling;  // the call's calling device
  std::string called;   // the call's called device
  protocol::event_cause cause = protocol::event_cause::normal;
  std::vector<observer> observers;
  time_point time{};
};

template <class Inspector>
auto inspect(Inspector& f, domain_event& x) {
  return f(x.kind, x.call, x.subject, x.calling, x.called, x.cause, x.observers, x.time);
}

}  // namespace cstad::sim
