#include "protocol/csta_event.hpp"

#include <array>

#include "protocol/common_types_xml.hpp"

namespace cstad::protocol {
namespace {

struct names {
  std::string_view root;
  std::string_view filter;
};

constexpr std::array<names, 22> event_names = {{
    {"ServiceInitiatedEvent", "serviceInitiated"},
    {"OriginatedEvent", "originated"},
    {"DeliveredEvent", "delivered"},
    {"EstablishedEvent", "established"},
    {"ConnectionClearedEvent", "connectionCleared"},
    {"HeldEvent", "held"},
    {"RetrievedEvent", "retrieved"},
    {"TransferedEvent", "transferred"},  // sic: the schema's and real clients' spelling
    {"ConferencedEvent", "conferenced"},
    {"DivertedEvent", "diverted"},
    {"FailedEvent", "failed"},
    {"NetworkReachedEvent", "networkReached"},
    {"DigitsGeneratedEvent", "digitsGenerated"},
    {"DoNotDisturbEvent", "doNotDisturb"},
    {"ForwardingEvent", "forwarding"},
    {"QueuedEvent", "queued"},
    {"AgentLoggedOnEvent", "agentLoggedOn"},
    {"AgentLoggedOffEvent", "agentLoggedOff"},
    {"AgentReadyEvent", "agentReady"},
    {"AgentNotReadyEvent", "agentNotReady"},
    {"AgentBusyEvent", "agentBusy"},
    {"AgentWorkingAfterCallEvent", "agentWorkingAfterCall"},
}};

void write_last_redirection(xml_writer& w, const std::string& device) {
  w.open("lastRedirectionDevice");
  if (device.empty())
    w.empty("notRequired");
  else
    w.leaf("numberDialed", device);
  w.close("lastRedirectionDevice");
}

void write_state_and_cause(xml_writer& w, const csta_event& e) {
  w.leaf("localConnectionInfo", to_string(e.local));
  w.leaf("cause", to_string(e.cause));
}

void write_moves(xml_writer& w, std::string_view element, const csta_event& e) {
  if (e.moved.empty())
    return;
  w.open(element);
  for (auto& m : e.moved) {
    w.open("connectionListItem");
    write_connection(w, "newConnection", m.new_connection);
    write_connection(w, "oldConnection", m.old_connection);
    w.close("connectionListItem");
  }
  w.close(element);
}

// Field names, order and presence per the ECMA-323 ed3 schema (and protocol.md's examples).
void write_body(xml_writer& w, const csta_event& e) {
  switch (e.type) {
    case event_type::service_initiated:
      write_connection(w, "initiatedConnection", e.connection);
      write_device(w, "initiatingDevice", e.subject);
      write_state_and_cause(w, e);
      return;
    case event_type::originated:
      write_connection(w, "originatedConnection", e.connection);
      write_device(w, "callingDevice", e.subject);
      write_device(w, "calledDevice", e.called);
      write_state_and_cause(w, e);
      return;
    case event_type::delivered:
      write_connection(w, "connection", e.connection);
      write_device(w, "alertingDevice", e.subject);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      write_last_redirection(w, e.last_redirection);
      write_state_and_cause(w, e);
      return;
    case event_type::established:
      write_connection(w, "establishedConnection", e.connection);
      write_device(w, "answeringDevice", e.subject);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      write_last_redirection(w, e.last_redirection);
      write_state_and_cause(w, e);
      return;
    case event_type::connection_cleared:
      write_connection(w, "droppedConnection", e.connection);
      write_device(w, "releasingDevice", e.subject);
      write_state_and_cause(w, e);
      return;
    case event_type::held:
      write_connection(w, "heldConnection", e.connection);
      write_device(w, "holdingDevice", e.subject);
      write_state_and_cause(w, e);
      return;
    case event_type::retrieved:
      write_connection(w, "retrievedConnection", e.connection);
      write_device(w, "retrievingDevice", e.subject);
      write_state_and_cause(w, e);
      return;
    case event_type::transferred:
      write_connection(w, "primaryOldCall", e.connection);
      if (!e.secondary.call.empty())
        write_connection(w, "secondaryOldCall", e.secondary);
      write_device(w, "transferringDevice", e.subject);
      write_device(w, "transferredToDevice", e.other);
      write_moves(w, "transferredConnections", e);
      write_state_and_cause(w, e);
      return;
    case event_type::conferenced:
      write_connection(w, "primaryOldCall", e.connection);
      write_connection(w, "secondaryOldCall", e.secondary);
      write_device(w, "conferencingDevice", e.subject);
      write_device(w, "addedParty", e.other);
      write_moves(w, "conferenceConnections", e);
      write_state_and_cause(w, e);
      return;
    case event_type::diverted:
      write_connection(w, "connection", e.connection);
      write_device(w, "divertingDevice", e.subject);
      write_device(w, "newDestination", e.other);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      write_state_and_cause(w, e);
      return;
    case event_type::failed:
      write_connection(w, "failedConnection", e.connection);
      write_device(w, "failingDevice", e.subject);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      write_state_and_cause(w, e);
      return;
    case event_type::network_reached:
      write_connection(w, "outboundConnection", e.connection);
      write_device(w, "networkInterfaceUsed", e.other);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      write_state_and_cause(w, e);
      return;
    case event_type::digits_generated:
      write_connection(w, "connection", e.connection);
      w.leaf("digitGeneratedList", e.text);
      return;
    case event_type::do_not_disturb:
      write_device(w, "device", e.subject);
      w.leaf("doNotDisturbOn", e.flag ? "true" : "false");
      return;
    case event_type::forwarding:
      write_device(w, "device", e.subject);
      w.leaf("forwardingType", to_string(e.forwarding));
      w.leaf("forwardStatus", e.flag ? "true" : "false");
      if (!e.other.empty())
        w.leaf("forwardTo", e.other);
      return;
    case event_type::queued:
      write_connection(w, "queuedConnection", e.connection);
      write_device(w, "queue", e.subject);
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
      w.leaf("numberQueued", std::to_string(e.number_queued));
      w.leaf("callsInFront", std::to_string(e.calls_in_front));
      write_state_and_cause(w, e);
      return;
    case event_type::agent_logged_on:
    case event_type::agent_logged_off:
    case event_type::agent_ready:
    case event_type::agent_not_ready:
    case event_type::agent_busy:
    case event_type::agent_working_after_call:
      write_device(w, "agentDevice", e.subject);
      w.leaf("agentID", e.agent_id);
      w.leaf("acdGroup", e.group);
      if (!e.pending.empty())
        w.leaf("pendingAgentState", e.pending);
      return;
  }
}

}  // namespace

std::string_view root_name(event_type t) { return event_names[static_cast<std::size_t>(t)].root; }
std::string_view filter_name(event_type t) {
  return event_names[static_cast<std::size_t>(t)].filter;
}

std::string encode_event(const csta_event& e, std::string_view ns) {
  xml_writer w(root_name(e.type), ns);
  w.leaf("monitorCrossRefID", e.cross_ref);
  write_body(w, e);
  return w.finish();
}

}  // namespace cstad::protocol
