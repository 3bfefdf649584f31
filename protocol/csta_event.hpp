#pragma once
// A CSTA event as one monitor sees it. ECMA-269's call-control events share one shape (a
// connection, a subject device, calling/called devices, the monitored device's own connection
// state, a cause) with a few extras (a second call, a list of moved connections, a new
// destination), and the device feature events (DND, forwarding, message waiting) are small;
// one struct with a type serves them all, and one encoder writes each in its schema order.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/connection_state.hpp"
#include "protocol/event_cause.hpp"
#include "protocol/forwarding_type.hpp"
#include "protocol/message_equality.hpp"
#include "protocol/requests.hpp"

namespace cstad::protocol {

enum class event_type : unsigned char {
  service_initiated,
  originated,
  delivered,
  established,
  connection_cleared,
  held,
  retrieved,
  transferred,
  conferenced,
  diverted,
  failed,
  network_reached,
  digits_generated,
  do_not_disturb,
  forwarding,
  queued,
  agent_logged_on,
  agent_logged_off,
  agent_ready,
  agent_not_ready,
  agent_busy,
  agent_working_after_call,
  call_cleared,      // the whole call ended (call monitors)
  call_information,  // information about a call (account, user data) became known
  out_of_service,    // the device cannot be used (its LIM is down)
  back_in_service,   // it can be used again
  message_waiting,   // a device's message waiting indicator went on or off
};
inline constexpr std::size_t event_type_count = 27;

/// Root element name, e.g. "DeliveredEvent" (and "TransferedEvent", as the schema spells it).
std::string_view root_name(event_type t);
/// Monitor-filter name of the event, e.g. "delivered", "doNotDisturb".
std::string_view filter_name(event_type t);
/// Where GetCSTAFeaturesResponse lists the event: (list, entry), e.g. ("callControlEvtsList",
/// "netwReached").
std::pair<std::string_view, std::string_view> capability_of(event_type t);

/// A connection that a transfer or conference moved: (new, old).
struct moved_connection {
  connection_id new_connection;
  connection_id old_connection;
};

template <class Inspector>
auto inspect(Inspector& f, moved_connection& x) {
  return f(x.new_connection, x.old_connection);
}

struct csta_event {
  event_type type = event_type::delivered;
  std::string cross_ref;          // monitorCrossRefID
  connection_id connection;       // the event's connection; primaryOldCall for transfer/conference
  connection_id secondary;        // secondaryOldCall (transfer, conference); empty call = none
  std::string subject;            // initiating/alerting/answering/releasing/holding/… device
  std::string other;              // transferredTo, addedParty, newDestination, networkInterfaceUsed
  std::string calling;            // callingDevice
  std::string called;             // calledDevice
  std::string last_redirection;   // lastRedirectionDevice; empty = notRequired
  std::vector<moved_connection> moved;  // transferredConnections / conferenceConnections
  connection_state local = connection_state::null;  // the monitored device's own state
  event_cause cause = event_cause::normal;
  std::string text;               // digitGeneratedList
  bool flag = false;              // doNotDisturbOn / forwardStatus / messageWaitingOn
  forwarding_type forwarding = forwarding_type::forwardImmediate;
  std::string agent_id;           // agentID (agent events)
  std::string group;              // acdGroup (agent events)
  std::string pending;            // pendingAgentState (AgentWorkingAfterCall: ready/notReady/null)
  int number_queued = 0;          // numberQueued (QueuedEvent)
  int calls_in_front = 0;         // callsInFront (QueuedEvent)
  std::string account;            // accountInfo (CallInformationEvent)
  std::string correlator;         // correlatorData (CallInformationEvent)
};

CSTAD_EQUALITY(moved_connection, v.new_connection, v.old_connection)
CSTAD_EQUALITY(csta_event, v.type, v.cross_ref, v.connection, v.secondary, v.subject, v.other,
               v.calling, v.called, v.last_redirection, v.moved, v.local, v.cause, v.text, v.flag,
               v.forwarding, v.agent_id, v.group, v.pending, v.number_queued, v.calls_in_front,
               v.account, v.correlator)

template <class Inspector>
auto inspect(Inspector& f, csta_event& x) {
  return f(x.type, x.cross_ref, x.connection, x.secondary, x.subject, x.other, x.calling, x.called,
           x.last_redirection, x.moved, x.local, x.cause, x.text, x.flag, x.forwarding, x.agent_id,
           x.group, x.pending, x.number_queued, x.calls_in_front, x.account, x.correlator);
}

/// The event document in namespace ns, elements in schema order.
std::string encode_event(const csta_event& e, std::string_view ns);

struct xml_element;
/// An event document back into the struct (what a CSTA client does with our events); nothing
/// when it is not an event or a mandatory field is missing or invalid.
std::optional<csta_event> decode_event(const xml_element& root);

}  // namespace cstad::protocol
