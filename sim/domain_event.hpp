#pragma once
// What the exchange reports when something changes. One event per change; the LIM delivers it
// to every device in `observers`, and each device actor renders it as the CSTA event its
// monitors see, using its own connection state from there.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/connection_state.hpp"
#include "protocol/event_cause.hpp"
#include "protocol/forwarding_type.hpp"
#include "sim/clock.hpp"

namespace cstad::sim {

using call_id = std::uint64_t;

enum class domain_event_kind : unsigned char {
  service_initiated,   // a device started a call (make call, consultation)
  originated,          // the caller's connection is set up and dialling is done
  delivered,           // a device (or an outside number) is alerting
  established,         // a device answered
  connection_cleared,  // a device left the call
  held,                // a device put its connection on hold
  retrieved,           // a device took its connection off hold
  transferred,         // a device left two calls, joining their parties (or single-step)
  conferenced,         // a device joined two calls into one
  diverted,            // the call left a device for another (forwarding, deflect, pickup)
  failed,              // the call could not reach its destination
  network_reached,     // the call left the exchange on a trunk
  digits_generated,    // DTMF sent on a connection
  do_not_disturb,      // a device's DND changed (no call)
  forwarding,          // a device's forwarding changed (no call)
  queued,              // the call waits in an ACD group's queue
  agent_logged_on,     // agent events: subject = agent's device, agent_id, group
  agent_logged_off,
  agent_ready,
  agent_not_ready,
  agent_busy,
  agent_working_after_call,  // pending = "ready" or "notReady": where it will end
  message_waiting,     // a device's message waiting indicator changed (no call): flag = on
  call_information,    // data was associated with a call: data = all it carries now
};
inline constexpr std::size_t domain_event_kind_count = 24;

/// What an application associated with a call (AssociateData): it stays with the call and is
/// reported to its monitors.
struct call_data {
  std::string account;     // account code
  std::string correlator;  // correlator data

  bool empty() const { return account.empty() && correlator.empty(); }
  friend bool operator==(const call_data& a, const call_data& b) {
    return a.account == b.account && a.correlator == b.correlator;
  }
};

template <class Inspector>
auto inspect(Inspector& f, call_data& x) {
  return f(x.account, x.correlator);
}

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

/// One connection moved by a transfer or conference: device's connection in old_call now
/// belongs to new_call.
struct connection_move {
  std::string device;
  call_id old_call = 0;
  call_id new_call = 0;

  friend bool operator==(const connection_move& a, const connection_move& b) {
    return a.device == b.device && a.old_call == b.old_call && a.new_call == b.new_call;
  }
};

template <class Inspector>
auto inspect(Inspector& f, connection_move& x) {
  return f(x.device, x.old_call, x.new_call);
}

struct domain_event {
  domain_event_kind kind = domain_event_kind::delivered;
  call_id call = 0;
  std::string subject;  // the device whose connection (or feature) changed
  std::string calling;  // the call's calling device
  std::string called;   // the call's called device (as dialled)
  protocol::event_cause cause = protocol::event_cause::normal;
  std::vector<observer> observers;
  time_point time{};
  // Only where the kind has them:
  call_id secondary_call = 0;          // transferred/conferenced: the other old call
  std::string other;                   // transferred-to, added party, new destination
  std::string last_redirection;        // delivered/established after a diversion
  std::vector<connection_move> moves;  // transferred/conferenced
  std::string text;                    // digits_generated: the digits; network_reached: trunk
  bool flag = false;                   // do_not_disturb: on; forwarding: active
  protocol::forwarding_type forwarding = protocol::forwarding_type::forwardImmediate;
  std::string agent_id;                // agent events
  std::string group;                   // agent events: the ACD group
  std::string pending;                 // agent_working_after_call / agent_busy: pending state
  int number_queued = 0;               // queued: calls in the queue, this one included
  int calls_in_front = 0;              // queued
  call_data data;                      // call_information
};

template <class Inspector>
auto inspect(Inspector& f, domain_event& x) {
  return f(x.kind, x.call, x.subject, x.calling, x.called, x.cause, x.observers, x.time,
           x.secondary_call, x.other, x.last_redirection, x.moves, x.text, x.flag, x.forwarding,
           x.agent_id, x.group, x.pending, x.number_queued, x.calls_in_front, x.data);
}

}  // namespace cstad::sim
