#pragma once
// What one LIM's exchange tells another about a call between them. Each exchange owns its own
// parties and holds the far LIM's side of the call as one *remote* party; the two keep that
// party in step with these signals, under the call's one system-wide id, so monitors on both
// LIMs see one call. Plain data: the LIM actors carry it, the exchanges make and apply it.

#include <string>
#include <vector>

#include "protocol/connection_state.hpp"
#include "protocol/event_cause.hpp"
#include "sim/domain_event.hpp"

namespace cstad::sim {

/// How many times one call may be set up between LIMs: forwardings that lead from LIM to LIM
/// in a circle (2000 to 3000 on another LIM, 3000 back to 2000) would otherwise send it round
/// for ever, as no LIM sees the whole circle. Past this, the call fails.
inline constexpr int max_lim_hops = 8;

/// A party of a call as the LIM that signals it sees it (conferenced: whom the receiver is to
/// show besides its own parties).
struct call_party {
  std::string device;
  protocol::connection_state state = protocol::connection_state::connected;

  friend bool operator==(const call_party& a, const call_party& b) {
    return a.device == b.device && a.state == b.state;
  }
};

template <class Inspector>
auto inspect(Inspector& f, call_party& x) {
  return f(x.device, x.state);
}

// A LIM may relay between two others: a conference made there (inter_lim_conference.cpp) and
// a group whose member is on another LIM (inter_lim_groups.cpp) keep the call on the LIM that
// made it, which passes on what one far LIM signals to the others. Such a signal names the
// party it is about in `from` though that party is not the sender's, and `relay` then names the
// sender: the receiver addresses its own signals about that party to the relay.
struct inter_lim_signal {
  enum class kind : unsigned char {
    setup,        // call `to` for the caller `from` (the receiver makes the call with id `call`)
    alerting,     // `from` rings (it may not be the number dialled: diverted, hunted)
    answered,     // `from` answered
    failed,       // the call could not reach `from` (cause: busy, numberUnallocated, …)
    released,     // the sender's side of the call is gone (`from` left); with `other`: the
                  // sender leaves a conference it relayed, and `other` (on a third LIM, reached
                  // through `relay` when set) is the far party from now on
    held,         // `from` put the call on hold
    retrieved,    // `from` took the call off hold
    transferred,  // `from` transferred: `other` (in state other_state) is the far party now
    conferenced,  // `from` conferenced its calls into new_call: `other` was added, `parties` are
                  // on the call besides the receiver's own and `from` (the sender relays them)
  };
  kind what = kind::setup;
  call_id call = 0;        // the system-wide call id
  std::string from;        // the device on the sending LIM this is about (setup: the caller)
  std::string to;          // the far party's device: the receiving LIM is the LIM owning this number
  std::string called;      // setup: the number as dialled
  protocol::event_cause cause = protocol::event_cause::normal;
  call_id new_call = 0;    // transferred: the call id the far party's connection belongs to now
  std::string other;       // transferred: the device that replaces `from` as the far party
  // transferred: the state of `other`'s connection (alerting when it has not answered yet).
  protocol::connection_state other_state = protocol::connection_state::connected;
  int hops = 0;  // setup: how many times the call has been set up between LIMs so far (1: first)
  // `from` is a party on a third LIM that the sender relays (see above): this is the sender's
  // number to signal about it. A group's setup for a member names the group here.
  std::string relay;
  call_id secondary_call = 0;          // conferenced: the other call the conference joined
  std::vector<call_party> parties;     // conferenced: the parties the receiver is to show
  std::vector<connection_move> moves;  // conferenced: the event's connection list

  friend bool operator==(const inter_lim_signal& a, const inter_lim_signal& b) {
    return a.what == b.what && a.call == b.call && a.from == b.from && a.to == b.to &&
           a.called == b.called && a.cause == b.cause && a.new_call == b.new_call &&
           a.other == b.other && a.other_state == b.other_state && a.hops == b.hops &&
           a.relay == b.relay && a.secondary_call == b.secondary_call && a.parties == b.parties &&
           a.moves == b.moves;
  }
};

template <class Inspector>
auto inspect(Inspector& f, inter_lim_signal& x) {
  return f(x.what, x.call, x.from, x.to, x.called, x.cause, x.new_call, x.other, x.other_state,
           x.hops, x.relay, x.secondary_call, x.parties, x.moves);
}

}  // namespace cstad::sim
