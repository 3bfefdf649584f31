#pragma once
// A request to the exchange, in domain terms (no XML): what the session asks and the LIM runs.

#include <string>
#include <vector>

#include "protocol/csta_error.hpp"
#include "protocol/forwarding_type.hpp"
#include "sim/agent.hpp"
#include "sim/domain_event.hpp"

namespace cstad::sim {

enum class operation_kind : unsigned char {
  make_call,             // device calls other
  answer_call,           // device answers call
  clear_connection,      // device leaves call
  clear_call,            // every party leaves call
  hold_call,             // device holds call
  retrieve_call,         // device retrieves call
  consultation_call,     // device holds call and calls other
  transfer_call,         // device joins held call (call) and active call (second_call), leaves
  conference_call,       // device joins held call (call) and active call (second_call), stays
  alternate_call,        // device holds active (second_call), retrieves held (call)
  reconnect_call,        // device clears active (second_call), retrieves held (call)
  deflect_call,          // alerting device sends call on to other
  single_step_transfer,  // device leaves call, other is called in its place
  pickup_call,           // device takes over call alerting elsewhere
  generate_digits,       // device sends DTMF text on call
  set_do_not_disturb,    // device's DND := flag
  get_do_not_disturb,
  set_forwarding,        // device's forwarding of type := flag, to other, after ring_count rings
  get_forwarding,
  snapshot_device,       // the calls device is on, with its connection state in each
  snapshot_call,         // the devices on call, with their connection states
  set_agent_state,       // device: agent_request for agent_id (password) in group
  get_agent_state,
  incoming_call,         // a call from outside number `device` arrives for `other` (simulation)
  single_step_conference,  // other joins call, on which device is, at once (flag: silently)
  associate_data,        // device attaches data to call
  set_message_waiting,   // device's message waiting indicator := flag
  get_message_waiting,
  // Routeing by an application (application_routeing.cpp); owner: who registered, the only
  // one who may act on the registration and its dialogues.
  route_register,        // owner asks to route group `device`'s calls; outcome.reference: its id
  route_register_cancel, // owner ends registration `text`
  route_select,          // owner sends the call of dialogue `text` to `other` (registration
                         // `group`, when the client names it)
  route_end,             // owner abandons dialogue `text`: the group queues the call
};

struct operation {
  operation_kind kind = operation_kind::make_call;
  std::string device;  // the acting device
  std::string other;   // called, consulted, new destination, forwarding destination
  call_id call = 0;
  call_id second_call = 0;
  std::string text;    // digits
  bool flag = false;
  protocol::forwarding_type forwarding = protocol::forwarding_type::forwardImmediate;
  int ring_count = 0;  // 0: the exchange's default
  agent_request agent = agent_request::ready;
  std::string agent_id;
  std::string password;
  std::string group;
  call_data data;      // associate_data
  std::string owner;   // routeing operations
};

template <class Inspector>
auto inspect(Inspector& f, operation& x) {
  return f(x.kind, x.device, x.other, x.call, x.second_call, x.text, x.flag, x.forwarding,
           x.ring_count, x.agent, x.agent_id, x.password, x.group, x.data, x.owner);
}

/// One forwarding setting of a device.
struct forward_setting {
  protocol::forwarding_type type = protocol::forwarding_type::forwardImmediate;
  bool active = false;
  std::string destination;
  int ring_count = 0;

  friend bool operator==(const forward_setting& a, const forward_setting& b) {
    return a.type == b.type && a.active == b.active && a.destination == b.destination &&
           a.ring_count == b.ring_count;
  }
};

template <class Inspector>
auto inspect(Inspector& f, forward_setting& x) {
  return f(x.type, x.active, x.destination, x.ring_count);
}

/// One connection in a snapshot.
struct connection_snapshot {
  call_id call = 0;
  std::string device;
  protocol::connection_state state = protocol::connection_state::null;

  friend bool operator==(const connection_snapshot& a, const connection_snapshot& b) {
    return a.call == b.call && a.device == b.device && a.state == b.state;
  }
};

template <class Inspector>
auto inspect(Inspector& f, connection_snapshot& x) {
  return f(x.call, x.device, x.state);
}

/// The result of an operation: refused with one ECMA-269 error, or done.
struct outcome {
  bool refused = false;
  protocol::csta_error error;
  call_id call = 0;       // the call the result is about (new, resulting or same call)
  std::string device;     // the device of the resulting connection, where there is one
  bool flag = false;      // get_do_not_disturb, get_message_waiting
  std::vector<forward_setting> forwards;  // get_forwarding
  std::vector<connection_snapshot> connections;  // snapshot_device, snapshot_call
  std::vector<agent_snapshot> agents;            // get_agent_state
  std::string pending;  // set_agent_state while busy: the state after the call ("ready", …)
  std::string reference;  // route_register: the registration's id

  static outcome done(call_id id, std::string device = {}) {
    outcome o;
    o.call = id;
    o.device = std::move(device);
    return o;
  }
  static outcome refuse(protocol::csta_error e) {
    outcome o;
    o.refused = true;
    o.error = std::move(e);
    return o;
  }
  explicit operator bool() const { return !refused; }
};

template <class Inspector>
auto inspect(Inspector& f, outcome& x) {
  return f(x.refused, x.error, x.call, x.device, x.flag, x.forwards, x.connections, x.agents,
           x.pending, x.reference);
}

}  // namespace cstad::sim
