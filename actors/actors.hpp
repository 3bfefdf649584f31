#pragma once
// Every actor interface of cstad, its atoms and its type ids: one header, so the whole message
// flow can be read in one place. The carrier-facing interfaces (carrier, session inbox,
// listener) stand in transport/carrier_actors.hpp, which carries only XML text; the rest is
// here. The admin tools use it too, for admin_actor and the types it sends.
//
//   node ──spawns──▶ listener ──accepts──▶ carrier ──request──▶ session ──operation, watch──▶ lim
//     │                                       ▲                    ▲                          │
//     │ status, shutdown                      └─ reply / notify ───┘◀── csta_event (in order) ─┘
//     └──────────────▶ lim, listeners, sessions; a link per other LIM of a system (lim_link.cpp)
//   admin tools ──(secret)──▶ admin gate ──▶ node        session ──verify──▶ authenticator

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "actors/status.hpp"
#include "admin/reports.hpp"
#include "protocol/csta_event.hpp"
#include "service/account.hpp"
#include "service/authenticator.hpp"
#include "service/directory.hpp"
#include "service/event_batch.hpp"
#include "service/session_handover.hpp"
#include "service/session_stats.hpp"
#include "sim/domain_event.hpp"
#include "sim/inter_lim.hpp"
#include "sim/route_message.hpp"
#include "sim/operation.hpp"
#include "sim/traffic.hpp"
#include "transport/carrier_actors.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(cstad, caf::id_block::cstad_transport::end)
  CAF_ADD_ATOM(cstad, cstad::atom, watch, "watch")
  CAF_ADD_ATOM(cstad, cstad::atom, unwatch, "unwatch")
  CAF_ADD_ATOM(cstad, cstad::atom, filter, "filter")
  CAF_ADD_ATOM(cstad, cstad::atom, tick, "tick")
  CAF_ADD_ATOM(cstad, cstad::atom, wake, "wake")
  CAF_ADD_ATOM(cstad, cstad::atom, stats, "stats")
  CAF_ADD_ATOM(cstad, cstad::atom, start, "start")
  CAF_ADD_ATOM(cstad, cstad::atom, join, "join")
  CAF_ADD_ATOM(cstad, cstad::atom, lim, "lim")
  CAF_ADD_ATOM(cstad, cstad::atom, end, "end")
  CAF_ADD_ATOM(cstad, cstad::atom, describe, "describe")
  CAF_ADD_ATOM(cstad, cstad::atom, devices, "devices")
  CAF_ADD_ATOM(cstad, cstad::atom, settings, "settings")
  CAF_ADD_ATOM(cstad, cstad::atom, changed, "changed")
  CAF_ADD_ATOM(cstad, cstad::atom, verify, "verify")
  CAF_ADD_ATOM(cstad, cstad::atom, flush, "flush")
  CAF_ADD_ATOM(cstad, cstad::atom, srv_add, "srv_add")
  CAF_ADD_ATOM(cstad, cstad::atom, srv_remove, "srv_remove")
  CAF_ADD_ATOM(cstad, cstad::atom, report, "report")
  CAF_ADD_ATOM(cstad, cstad::atom, acct_set, "acct_set")
  CAF_ADD_ATOM(cstad, cstad::atom, acct_rm, "acct_rm")
  CAF_ADD_ATOM(cstad, cstad::atom, accounts, "accounts")
  CAF_ADD_ATOM(cstad, cstad::atom, backup, "backup")
  CAF_ADD_ATOM(cstad, cstad::atom, restore, "restore")
  CAF_ADD_ATOM(cstad, cstad::atom, hello, "hello")
  CAF_ADD_ATOM(cstad, cstad::atom, lim_state, "lim_state")
  CAF_ADD_ATOM(cstad, cstad::atom, config, "config")
  CAF_ADD_ATOM(cstad, cstad::atom, connect, "connect")
  CAF_ADD_ATOM(cstad, cstad::atom, reload, "reload")
  CAF_ADD_ATOM(cstad, cstad::atom, limits, "limits")
  CAF_ADD_ATOM(cstad, cstad::atom, adopt, "adopt")
  CAF_ADD_ATOM(cstad, cstad::atom, named, "named")
  CAF_ADD_ATOM(cstad, cstad::atom, rehome, "rehome")
  CAF_ADD_ATOM(cstad, cstad::atom, groups, "groups")
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::admin::group_report>))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::session_handover))
  CAF_ADD_ATOM(cstad, cstad::atom, route, "route")
  CAF_ADD_TYPE_ID(cstad, (cstad::protocol::csta_event))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::event_batch))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::domain_event))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::operation))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::inter_lim_signal))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::route_message))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::sim::inter_lim_signal>))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::lim_report))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::admin::lim_report>))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::outcome))
  CAF_ADD_TYPE_ID(cstad, (cstad::sim::traffic_counters))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::session_stats))
  CAF_ADD_TYPE_ID(cstad, (cstad::lim_status))
  CAF_ADD_TYPE_ID(cstad, (cstad::node_status))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::number_range))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::service::number_range>))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::transport::listener_status>))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::credentials))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::verdict))
  CAF_ADD_TYPE_ID(cstad, (cstad::service::account))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::service::account>))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::server_config))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::admin_reply))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::system_report))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::session_report))
  CAF_ADD_TYPE_ID(cstad, (cstad::admin::auth_report))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::admin::device_report>))
  CAF_ADD_TYPE_ID(cstad, (std::vector<cstad::admin::feature_entry>))
CAF_END_TYPE_ID_BLOCK(cstad)

namespace cstad {

/// One client session: what its carrier hands it, plus what the exchange sends it.
using session_actor = session_inbox_actor::extend<
    // What one step of a LIM's exchange produced for this session's monitors, in the
    // exchange's order: one message per session and step, each event shared (encoded once).
    caf::reacts_to<service::event_batch>,
    // A time the session asked to be woken at came (the ECMA-354 session's deadline).
    caf::reacts_to<atom::wake>,
    // The counters of this session.
    caf::replies_to<atom::status>::with<service::session_stats>,
    // Who it is and what it did, for csta -p.
    caf::replies_to<atom::describe>::with<admin::session_report>,
    // The wire trace's selection (csta -t): whether it traces this session now. By sessionID
    // or device, the session decides, and tells its carrier.
    caf::replies_to<atom::trace, trace_selection>::with<bool>,
    // Its CSTA server is removed: ApplicationSessionTerminated (with the reason) to a client
    // with an application session, monitors released, the connection closed.
    caf::reacts_to<atom::end, std::string>,
    // A LIM of the system went down (false) or came back (true): its monitored devices are out
    // of service, then back in service (their monitors started again).
    caf::reacts_to<atom::lim_state, int, bool>,
    // A RouteRequest or RouteEnd for one of this session's routeing registrations.
    caf::reacts_to<sim::route_message>,
    // Session recovery: the user's session (a session_actor; the handle type cannot name itself
    // here) takes this one over. If the user may, each LIM moves this session's monitors to
    // it; the answer is the monitors moved and the messages held, and this session ends. An
    // error when it may not.
    caf::replies_to<atom::adopt, std::string, caf::strong_actor_ptr>::with<service::session_handover>>;

/// Where a LIM sends its signalling for calls with parties on another LIM: that LIM's link.
using signal_sink_actor = caf::typed_actor<caf::reacts_to<std::vector<sim::inter_lim_signal>>>;

/// One LIM: hosts the exchange of its part of the number plan; owns its calls and the monitors
/// of its devices and calls. It renders each event for each monitored device itself and sends
/// it to the sessions watching, so every session gets the events of this LIM in the exchange's
/// order, across all of its monitors.
using lim_actor = caf::typed_actor<
    // Runs an operation; the answer comes before the events it causes.
    caf::replies_to<sim::operation>::with<sim::outcome>,
    // A routeing operation (RouteRegister, …) of this session: its route messages go to it.
    caf::replies_to<atom::route, session_actor, sim::operation>::with<sim::outcome>,
    // Starts a device monitor: session, device number, monitorCrossRefID, filter, and the
    // session's number of the monitor, handed back with each of its events (event_delivery).
    caf::replies_to<atom::watch, session_actor, std::string, std::string,
                    std::set<std::string>, std::uint32_t>::with<bool>,
    // Starts a call monitor: session, call, monitorCrossRefID, filter, number; false: no
    // such call.
    caf::replies_to<atom::watch, session_actor, sim::call_id, std::string,
                    std::set<std::string>, std::uint32_t>::with<bool>,
    // Ends the session's device or call monitor with this monitorCrossRefID.
    caf::reacts_to<atom::unwatch, session_actor, std::string>,
    // Replaces the filter of the session's device or call monitor with this monitorCrossRefID.
    caf::reacts_to<atom::filter, session_actor, std::string, std::set<std::string>>,
    // The exchange's timers are due (ring timeouts, after-call work, people, traffic); the
    // number tells the current timer from superseded ones.
    caf::reacts_to<atom::tick, std::uint64_t>,
    // Sent to itself: the events of the steps of one turn go to their sessions.
    caf::reacts_to<atom::flush>,
    // The traffic generator's counters so far.
    caf::replies_to<atom::stats>::with<sim::traffic_counters>,
    // Calls, devices and monitors of this LIM.
    caf::replies_to<atom::status>::with<lim_status>,
    // Its monitored devices with their kind and number of monitors.
    caf::replies_to<atom::devices>::with<std::vector<admin::device_report>>,
    // DND and forwarding as clients set them (what a restart must keep).
    caf::replies_to<atom::settings>::with<std::vector<admin::feature_entry>>,
    // Its ACD groups: calls waiting and agents by state (status page, metrics).
    caf::replies_to<atom::groups>::with<std::vector<admin::group_report>>,
    // Signalling of calls between LIMs (sim/inter_lim.hpp), from another LIM.
    caf::reacts_to<std::vector<sim::inter_lim_signal>>,
    // The way to LIM n of the system (its link), for this LIM's signalling.
    caf::reacts_to<atom::join, int, signal_sink_actor>,
    // LIM n went down (false; its parties in calls here are cleared) or came back (true).
    caf::reacts_to<atom::lim_state, int, bool>,
    // The monitors with these cross-references move from the first session to the second
    // (session recovery); from the answer on, their events go to the second.
    caf::replies_to<atom::rehome, session_actor, session_actor, std::vector<std::string>>::with<bool>>;

/// Decides who may start an application session (service::authenticator). Password checks
/// are slow by design, so it runs on a thread of its own; failures slow the answers to the
/// address they came from.
using authenticator_actor = caf::typed_actor<
    // The verdict on a StartApplicationSession's credentials.
    caf::replies_to<atom::verify, service::credentials>::with<service::verdict>,
    // The accounts changed (csta_authentication).
    caf::reacts_to<atom::accounts, std::vector<service::account>>,
    // A held-back verdict is due (the number says which).
    caf::reacts_to<atom::tick, std::uint64_t>>;

/// One per process: starts and stops the LIM and the listeners, keeps the registry of
/// sessions, and answers for all of them. What the admin tools talk to.
using node_actor = caf::typed_actor<
    // Starts the LIM and the listeners; answers each listener's role, address and port.
    caf::replies_to<atom::start>::with<std::vector<transport::listener_status>>,
    // Counters of the whole process: listeners and their carriers, sessions, LIMs.
    caf::replies_to<atom::status>::with<node_status>,
    // The LIM with this id (tests and tools drive the exchange through it).
    caf::replies_to<atom::lim, int>::with<lim_actor>,
    // A new session of the CSTA server with this id: the node counts it, asks it for status,
    // ends it with its server, and sees it end.
    caf::reacts_to<atom::join, session_actor, int>,
    // A session's ECMA-354 session id, under which a later connection may take it over.
    caf::reacts_to<atom::named, session_actor, std::string>,
    // A new session takes over the one with this id, for this user (session recovery): the
    // old one's monitors move to it at their LIMs, and it gets them with what the old one held.
    caf::replies_to<atom::adopt, std::string, std::string, session_actor>::with<service::session_handover>,
    // A session ended with these counters.
    caf::reacts_to<atom::retired, service::session_stats>,
    // csta -t: the wire trace's selection, once what it names exists; every session is told.
    // The answer says how many sessions it traces now.
    caf::replies_to<atom::trace, trace_selection>::with<admin::admin_reply>,
    // The LIM with this id: DND or forwarding changed (to be kept in the configuration).
    caf::reacts_to<atom::changed, int>,
    // Time to write what changed to the data directory.
    caf::reacts_to<atom::flush>,
    // Time to log the limits hit since the last time.
    caf::reacts_to<atom::limits>,
    // csta -i: initiates a CSTA server; it listens at once.
    caf::replies_to<atom::srv_add, admin::server_config>::with<admin::admin_reply>,
    // csta -e: removes the server of this LIM on this port; its sessions are ended.
    caf::replies_to<atom::srv_remove, int, std::uint16_t>::with<admin::admin_reply>,
    // csta -p: servers, sessions and (when true) monitored devices; in a system of several
    // LIMs, every other LIM's servers and sessions too.
    caf::replies_to<atom::report, bool>::with<admin::system_report>,
    // The same of this LIM alone (what another LIM's csta -p asks for).
    caf::replies_to<atom::describe, bool>::with<admin::system_report>,
    // csta_authentication -i (true: the account must be new) and -c (it must exist).
    caf::replies_to<atom::acct_set, service::account, bool>::with<admin::admin_reply>,
    // csta_authentication -e: removes the account of this user.
    caf::replies_to<atom::acct_rm, std::string>::with<admin::admin_reply>,
    // csta_authentication -p: settings and accounts, no password hashes.
    caf::replies_to<atom::accounts>::with<admin::auth_report>,
    // data_backup: the whole configuration as JSON (in the reply's message).
    caf::replies_to<atom::backup>::with<admin::admin_reply>,
    // data_restore: checks this configuration (JSON), keeps it and restarts the LIM and the
    // servers from it; connected clients are disconnected.
    caf::replies_to<atom::restore, std::string>::with<admin::admin_reply>,
    // A LIM of the system went down (false) or came back (true), as its link sees it.
    caf::reacts_to<atom::lim_state, int, bool>,
    // The configuration (JSON) as LIM n of the system has it; the later revision wins.
    caf::reacts_to<atom::config, int, std::string>,
    // SIGHUP: config.json is read again and what changed in it is put in force.
    caf::reacts_to<atom::reload>>;

/// What each LIM of a system publishes on its cluster port for the others (CAF's middleman):
/// the only way in from another process besides the admin socket. Its network must be trusted
/// like the exchange's own (whoever reaches it can drive the exchange).
using peer_actor = caf::typed_actor<
    // LIM a connects and wants LIM b: b's LIM actor (an error when this is not LIM b).
    caf::replies_to<atom::hello, int, int>::with<lim_actor>,
    // csta -p on another LIM: this LIM's servers and sessions.
    caf::replies_to<atom::report, bool>::with<admin::system_report>,
    // The configuration (JSON) as LIM n has it; the later revision wins.
    caf::reacts_to<atom::config, int, std::string>>;

/// The link of this LIM to another LIM of the system: it stands for that LIM here (sessions
/// and the local LIM talk to it as to a LIM), connects and reconnects to it, and tells the node
/// whether it is up.
using lim_link_actor = lim_actor::extend<
    // Time to try to reach the far LIM again.
    caf::reacts_to<atom::connect>,
    caf::replies_to<atom::report, bool>::with<admin::system_report>,
    caf::reacts_to<atom::config, int, std::string>>;

/// What the admin commands reach: published on the admin socket for the tools, each request with the
/// admin secret of the data directory; a wrong secret is refused and logged. It passes what it
/// accepts on to the node.
using admin_actor = caf::typed_actor<
    caf::replies_to<atom::srv_add, std::string, admin::server_config>::with<admin::admin_reply>,
    caf::replies_to<atom::srv_remove, std::string, int, std::uint16_t>::with<admin::admin_reply>,
    caf::replies_to<atom::report, std::string, bool>::with<admin::system_report>,
    caf::replies_to<atom::acct_set, std::string, service::account, bool>::with<admin::admin_reply>,
    caf::replies_to<atom::acct_rm, std::string, std::string>::with<admin::admin_reply>,
    caf::replies_to<atom::accounts, std::string>::with<admin::auth_report>,
    caf::replies_to<atom::backup, std::string>::with<admin::admin_reply>,
    caf::replies_to<atom::restore, std::string, std::string>::with<admin::admin_reply>,
    // csta -t: the wire trace on (for every client, a client address or connection, a session
    // or the sessions of a device) or off.
    caf::replies_to<atom::trace, std::string, trace_selection>::with<admin::admin_reply>>;

}  // namespace cstad

CAF_BEGIN_TYPE_ID_BLOCK(cstad_handles, caf::id_block::cstad::end)
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::session_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::lim_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::signal_sink_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::peer_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::lim_link_actor))
  CAF_ADD_TYPE_ID(cstad_handles, (cstad::admin_actor))
CAF_END_TYPE_ID_BLOCK(cstad_handles)
