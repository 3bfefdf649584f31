#pragma once
// What a session asks its actor to do. The session core never does I/O itself: it returns
// these, in order, and the actor carries them out (and reports back what came of them).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "sim/clock.hpp"
#include "sim/domain_event.hpp"
#include "service/authenticator.hpp"
#include "sim/operation.hpp"
#include "transport/correlation.hpp"
#include "common/message_batch.hpp"

namespace cstad::service {

/// Names one outstanding exchange operation or monitor start of a session.
using ticket = std::uint64_t;

/// Monitor-filter names the client asked not to receive.
using event_filter = std::set<std::string>;

/// What a monitor watches: a device (by number) or a call.
struct monitor_target {
  std::string device;
  sim::call_id call = 0;  // non-zero: a call monitor

  bool is_call() const { return call != 0; }
};

namespace effect {

/// The answer to one request.
struct reply {
  transport::correlation to;
  std::string xml;
};

/// Messages the client did not ask for (events, list segments, a session termination), in
/// order; consecutive ones gather into one effect.
struct notify {
  message_batch messages;
};

/// Ends the connection once everything sent before has gone out.
struct close {
  std::string reason;
};

/// Runs an operation on the LIM that owns it; its outcome comes back with the ticket.
struct run_operation {
  ticket id = 0;
  int lim = 0;
  sim::operation op;
};

/// Starts a monitor: on a device (its LIM hands it to the device's actor) or on a call (its
/// LIM holds it). Whether it started comes back with the ticket.
struct start_monitor {
  ticket id = 0;
  int lim = 0;
  monitor_target target;
  std::string cross_ref;
  event_filter suppressed;
  std::uint32_t slot = 0;  // the session's number of the monitor, for its LIM to echo
};

/// Ends one of this session's monitors.
struct stop_monitor {
  std::string cross_ref;
  int lim = 0;
  bool call = false;
};

/// Replaces the filter of one of this session's monitors.
struct change_filter {
  std::string cross_ref;
  int lim = 0;
  bool call = false;
  event_filter suppressed;
};

/// Wake the session at this time (the ECMA-354 session's deadline).
struct wake {
  sim::time_point at{};
};

/// Asks the authenticator whether these credentials may start a session; the verdict comes
/// back with the ticket.
struct authenticate {
  ticket id = 0;
  service::credentials offered;
};

/// Asks for the session with this id (on the same node) to hand its monitors and held messages
/// over to this one, if it belongs to this user; the answer comes back with the ticket
/// (session_core::on_adopted).
struct adopt {
  ticket id = 0;
  std::string session_id;
  std::string user;
};

/// This session's ECMA-354 session id, under which a later connection may take it over.
struct announce {
  std::string session_id;
};

/// The wire trace follows this session now, under the selection with this number: its carrier
/// writes what it sends and gets. With a request: from that one on (the carrier passed it on
/// before the session knew it names the device traced).
struct trace {
  std::uint64_t selection = 0;
  std::optional<transport::correlation> request;
  std::string xml;
};

}  // namespace effect

using effect_type = std::variant<effect::reply, effect::notify, effect::close,
                                 effect::run_operation, effect::start_monitor,
                                 effect::stop_monitor, effect::change_filter, effect::wake,
                                 effect::authenticate, effect::adopt, effect::announce, effect::trace>;

}  // namespace cstad::service
