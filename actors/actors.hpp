#pragma once
// Every actor interface of cstad, its atoms and its type ids. One header, so the whole message
// flow can be read in one place:
//
//   listener ──fork──▶ connection (broker) ──frames──▶ session ──operation──▶ device ──▶ lim
//                          ▲                              ▲                     │
//                          └──────── encoded frames ──────┴──── csta_event ◀────┘ domain_event

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/io/fwd.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "protocol/csta_event.hpp"
#include "sim/domain_event.hpp"
#include "sim/device_kind.hpp"
#include "sim/operation.hpp"
#include "sim/traffic.hpp"

namespace cstad {
struct directory;  // forward: number -> device actor, shared read-only by every session
using directory_ptr = std::shared_ptr<const directory>;
}  // namespace cstad

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cstad::directory_ptr)  // in-process only, never serialised

CAF_BEGIN_TYPE_ID_BLOCK(cstad, caf::first_custom_type_id)
  CAF_ADD_ATOM(cstad, cstad::atom, write, "write")
  CAF_ADD_ATOM(cstad, cstad::atom, close, "close")
  CAF_ADD_ATOM(cstad, cstad::atom, frame, "frame")
  CAF_ADD_ATOM(cstad, cstad::atom, bad_frame, "bad_frame")
  CAF_ADD_ATOM(cstad, cstad::atom, monitor, "monitor")
  CAF_ADD_ATOM(cstad, cstad::atom, demonitor, "demonitor")
  CAF_ADD_ATOM(cstad, cstad::atom, directory, "directory")
  CAF_ADD_ATOM(cstad, cstad::atom, port, "port")
  CAF_ADD_ATOM(cstad, cstad::atom, tick, "tick")
  CAF_ADD_ATOM(cstad, cstad::atom, expire, "expire")
  CAF_ADD_ATOM(cstad, cstad::atom, stats, "stats")
  CAF_ADD_ATOM(cstad, cstad::atom, filter, "filter")
  CAF_ADD_TYPE_ID(cstad, (cstad::protocol::csta_event))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::domain_event))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::operation))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::outcome))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::traffic_counters))
CAF_END_TYPE_ID_BLOCK(cstad)

namespace cstad {

/// The byte side of one client connection, as its session sees it.
using connection_actor = caf::typed_actor<
    // Sends an already framed message to the client.
    caf::reacts_to<atom::write, std::string>,
    // Closes the connection once everything written so far has gone out.
    caf::reacts_to<atom::close>>;

/// The broker behind connection_actor: also receives the socket's events.
using connection_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_data_msg>, caf::reacts_to<caf::io::connection_closed_msg>,
    caf::reacts_to<atom::write, std::string>, caf::reacts_to<atom::close>>;

/// One client session: decodes requests, answers each exactly once, forwards events.
using session_actor = caf::typed_actor<
    // A complete frame from the client: invoke id and XML body.
    caf::reacts_to<atom::frame, int, std::string>,
    // The byte stream broke; invoke id of the broken frame (-1 if unreadable) and why.
    caf::reacts_to<atom::bad_frame, int, std::string>,
    // An event for one of this session's monitors.
    caf::reacts_to<protocol::csta_event>,
    // The ECMA-354 session may have expired (timer generation, to ignore stale timers).
    caf::reacts_to<atom::expire, std::uint64_t>>;

/// One device of the number plan: owns the monitors on it and renders exchange events as
/// CSTA events from its own point of view.
using device_actor = caf::typed_actor<
    // Adds a monitor: subscriber, monitorCrossRefID, filter names to suppress.
    caf::replies_to<atom::monitor, session_actor, std::string, std::set<std::string>>::with<bool>,
    // Removes the monitor with this monitorCrossRefID.
    caf::reacts_to<atom::demonitor, std::string>,
    // Replaces the filter (names to suppress) of the monitor with this monitorCrossRefID.
    caf::reacts_to<atom::filter, std::string, std::set<std::string>>,
    // Runs an operation on this device's LIM; the LIM answers the original sender.
    caf::replies_to<sim::operation>::with<sim::outcome>,
    // A change on a call this device is part of.
    caf::reacts_to<sim::domain_event>>;

/// One LIM: hosts the exchange of its part of the number plan.
using lim_actor = caf::typed_actor<
    // Runs an operation and tells every device on the affected calls what changed.
    caf::replies_to<sim::operation>::with<sim::outcome>,
    // Runs the exchange's due timers (ring timeouts, no-answer forwarding).
    caf::reacts_to<atom::tick>,
    // The device directory of this LIM.
    caf::replies_to<atom::directory>::with<directory_ptr>,
    // The traffic generator's counters so far.
    caf::replies_to<atom::stats>::with<sim::traffic_counters>,
    // Adds a call monitor: subscriber, monitorCrossRefID, filter, call; false: no such call.
    caf::replies_to<atom::monitor, session_actor, std::string, std::set<std::string>,
                    sim::call_id>::with<bool>,
    // Removes the call monitor with this monitorCrossRefID.
    caf::reacts_to<atom::demonitor, std::string>>;

/// Accepts client connections on one TCP port.
using listener_actor = caf::typed_actor<
    // The port it is bound to (useful when asked for port 0).
    caf::replies_to<atom::port>::with<std::uint16_t>>;

/// The broker behind listener_actor: also receives the acceptor's events.
using listener_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_connection_msg>, caf::reacts_to<caf::io::acceptor_closed_msg>,
    caf::replies_to<atom::port>::with<std::uint16_t>>;

struct directory {
  std::unordered_map<std::string, device_actor> devices;
  std::vector<std::pair<std::string, sim::device_kind>> plan;  // every number, in plan order
  lim_actor lim;

  const device_actor* find(const std::string& number) const {
    auto i = devices.find(number);
    return i == devices.end() ? nullptr : &i->second;
  }
};

}  // namespace cstad

CAF_BEGIN_TYPE_ID_BLOCK(cstad_handles, caf::id_block::cstad::end)
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::session_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::device_actor))
CAF_END_TYPE_ID_BLOCK(cstad_handles)
