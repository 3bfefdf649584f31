#include "protocol/csta_event.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "protocol/common_types_xml.hpp"
#include "protocol/event_template.hpp"
#include "protocol/xml_element.hpp"

namespace cstad::protocol {
namespace {

struct names {
  std::string_view root;
  std::string_view filter;
  std::string_view capability;  // its entry in GetCSTAFeaturesResponse's supportedEvents
};

// Capability lists: call control events, call-associated events, logical and physical device
// events, device maintenance events.
constexpr std::string_view cc = "callControlEvtsList";
constexpr std::string_view ca = "callAssociatedEvtsList";
constexpr std::string_view ld = "logicalEvtsList";
constexpr std::string_view pd = "physDevEvtsList";
constexpr std::string_view dm = "deviceMaintEvtsList";

constexpr std::array<names, event_type_count> event_names = {{
    {"ServiceInitiatedEvent", "serviceInitiated", "serviceInitiated"},
    {"OriginatedEvent", "originated", "originated"},
    {"DeliveredEvent", "delivered", "delivered"},
    {"EstablishedEvent", "established", "established"},
    {"ConnectionClearedEvent", "connectionCleared", "connectionCleared"},
    {"HeldEvent", "held", "held"},
    {"RetrievedEvent", "retrieved", "retrieved"},
    {"TransferedEvent", "transferred", "transferred"},  // sic: the schema's and real clients' spelling
    {"ConferencedEvent", "conferenced", "conferenced"},
    {"DivertedEvent", "diverted", "diverted"},
    {"FailedEvent", "failed", "failed"},
    {"NetworkReachedEvent", "networkReached", "netwReached"},  // the capability list abbreviates
    {"DigitsGeneratedEvent", "digitsGenerated", "digitsGenerated"},
    {"DoNotDisturbEvent", "doNotDisturb", "doNotDisturb"},
    {"ForwardingEvent", "forwarding", "forwarding"},
    {"QueuedEvent", "queued", "queued"},
    {"AgentLoggedOnEvent", "agentLoggedOn", "agentLoggedOn"},
    {"AgentLoggedOffEvent", "agentLoggedOff", "agentLoggedOff"},
    {"AgentReadyEvent", "agentReady", "agentReady"},
    {"AgentNotReadyEvent", "agentNotReady", "agentNotReady"},
    {"AgentBusyEvent", "agentBusy", "agentBusy"},
    {"AgentWorkingAfterCallEvent", "agentWorkingAfterCall", "agentWorkingAfterCall"},
    {"CallClearedEvent", "callCleared", "callCleared"},
    {"CallInformationEvent", "callInformation", "callInformation"},
    {"OutOfServiceEvent", "outOfService", "outOfService"},
    {"BackInServiceEvent", "backInService", "backInService"},
    {"MessageWaitingEvent", "messageWaiting", "messageWaiting"},
}};

// The capability list of each event type, in the same order.
constexpr std::array<std::string_view, event_type_count> event_lists = {{
    cc, cc, cc, cc, cc, cc, cc, cc, cc, cc, cc, cc,  // serviceInitiated .. networkReached
    ca,                                              // digitsGenerated
    ld, ld,                                          // doNotDisturb, forwarding
    cc,                                              // queued
    ld, ld, ld, ld, ld, ld,                          // agent events
    cc,                                              // callCleared
    ca,                                              // callInformation
    dm, dm,                                          // outOfService, backInService
    pd,                                              // messageWaiting
}};

// The fields of each event in schema order (ECMA-323 ed3, protocol.md's examples): one table
// that the encoder and the decoder both follow.
enum class field : unsigned char {
  connection,      // ConnectionID -> e.connection
  secondary,       // ConnectionID -> e.secondary (optional where marked)
  subject,         // SubjectDeviceID -> e.subject
  other,           // SubjectDeviceID -> e.other
  calling,         // CallingDeviceID -> e.calling
  called,          // CalledDeviceID -> e.called
  last_redirection,
  moves,           // connection list -> e.moved
  local,           // localConnectionInfo
  cause,
  digits,          // text -> e.text
  flag,            // boolean -> e.flag
  forwarding,      // ForwardingType -> e.forwarding
  forward_to,      // text -> e.other (optional)
  agent_id,
  group,
  pending,         // optional
  number_queued,
  calls_in_front,
  cleared_call,    // ConnectionID with only a callID -> e.connection.call
  account,         // text -> e.account (optional)
  correlator,      // CorrelatorData -> e.correlator (optional)
};

struct field_spec {
  field what;
  std::string_view element;
  bool optional = false;
};

using layout = std::vector<field_spec>;

layout with_call_end(layout l) {
  l.push_back({field::local, "localConnectionInfo"});
  l.push_back({field::cause, "cause"});
  return l;
}

const layout& layout_of(event_type t) {
  using f = field;
  static const layout agent = {{f::subject, "agentDevice"}, {f::agent_id, "agentID"},
                               {f::group, "acdGroup"}, {f::pending, "pendingAgentState", true}};
  static const std::array<layout, event_type_count> layouts = {{
      with_call_end({{f::connection, "initiatedConnection"}, {f::subject, "initiatingDevice"}}),
      with_call_end({{f::connection, "originatedConnection"}, {f::subject, "callingDevice"},
                     {f::called, "calledDevice"}}),
      with_call_end({{f::connection, "connection"}, {f::subject, "alertingDevice"},
                     {f::calling, "callingDevice"}, {f::called, "calledDevice"},
                     {f::last_redirection, "lastRedirectionDevice"}}),
      with_call_end({{f::connection, "establishedConnection"}, {f::subject, "answeringDevice"},
                     {f::calling, "callingDevice"}, {f::called, "calledDevice"},
                     {f::last_redirection, "lastRedirectionDevice"}}),
      with_call_end({{f::connection, "droppedConnection"}, {f::subject, "releasingDevice"}}),
      with_call_end({{f::connection, "heldConnection"}, {f::subject, "holdingDevice"}}),
      with_call_end({{f::connection, "retrievedConnection"}, {f::subject, "retrievingDevice"}}),
      with_call_end({{f::connection, "primaryOldCall"}, {f::secondary, "secondaryOldCall", true},
                     {f::subject, "transferringDevice"}, {f::other, "transferredToDevice"},
                     {f::moves, "transferredConnections", true}}),
      // secondaryOldCall: none after a single-step conference (one call was joined).
      with_call_end({{f::connection, "primaryOldCall"}, {f::secondary, "secondaryOldCall", true},
                     {f::subject, "conferencingDevice"}, {f::other, "addedParty"},
                     {f::moves, "conferenceConnections", true}}),
      with_call_end({{f::connection, "connection"}, {f::subject, "divertingDevice"},
                     {f::other, "newDestination"}, {f::calling, "callingDevice"},
                     {f::called, "calledDevice"}}),
      with_call_end({{f::connection, "failedConnection"}, {f::subject, "failingDevice"},
                     {f::calling, "callingDevice"}, {f::called, "calledDevice"}}),
      with_call_end({{f::connection, "outboundConnection"}, {f::other, "networkInterfaceUsed"},
                     {f::calling, "callingDevice"}, {f::called, "calledDevice"}}),
      {{f::connection, "connection"}, {f::digits, "digitGeneratedList"}},
      {{f::subject, "device"}, {f::flag, "doNotDisturbOn"}},
      {{f::subject, "device"}, {f::forwarding, "forwardingType"}, {f::flag, "forwardStatus"},
       {f::forward_to, "forwardTo", true}},
      with_call_end({{f::connection, "queuedConnection"}, {f::subject, "queue"},
                     {f::calling, "callingDevice"}, {f::called, "calledDevice"},
                     {f::number_queued, "numberQueued"}, {f::calls_in_front, "callsInFront"}}),
      agent, agent, agent, agent, agent, agent,
      {{f::cleared_call, "clearedCall"}, {f::cause, "cause"}},
      {{f::connection, "connection"}, {f::subject, "device"}, {f::calling, "callingDevice", true},
       {f::account, "accountInfo", true}, {f::correlator, "correlatorData", true}},
      {{f::subject, "device"}},
      {{f::subject, "device"}},
      {{f::subject, "targetDevice"}, {f::flag, "messageWaitingOn"}},
  }};
  return layouts[static_cast<std::size_t>(t)];
}

void write_last_redirection(xml_writer& w, std::string_view element, const std::string& device) {
  w.open(element);
  if (device.empty())
    w.empty("notRequired");
  else
    w.leaf("numberDialed", device);
  w.close(element);
}

void write_moves(xml_writer& w, std::string_view element, const csta_event& e) {
  w.open(element);
  for (auto& m : e.moved) {
    w.open("connectionListItem");
    write_connection(w, "newConnection", m.new_connection);
    // A device that joined the call (single-step conference) had no connection before.
    if (!m.old_connection.call.empty())
      write_connection(w, "oldConnection", m.old_connection);
    w.close("connectionListItem");
  }
  w.close(element);
}

void write_field(xml_writer& w, const field_spec& s, const csta_event& e) {
  switch (s.what) {
    case field::connection: write_connection(w, s.element, e.connection); return;
    case field::secondary:
      if (!s.optional || !e.secondary.call.empty())
        write_connection(w, s.element, e.secondary);
      return;
    case field::subject: write_device(w, s.element, e.subject); return;
    case field::other: write_device(w, s.element, e.other); return;
    case field::calling:
      if (!s.optional || !e.calling.empty())
        write_device(w, s.element, e.calling);
      return;
    case field::called: write_device(w, s.element, e.called); return;
    case field::last_redirection: write_last_redirection(w, s.element, e.last_redirection); return;
    case field::moves:
      if (!s.optional || !e.moved.empty())
        write_moves(w, s.element, e);
      return;
    case field::local: w.leaf(s.element, to_string(e.local)); return;
    case field::cause: w.leaf(s.element, to_string(e.cause)); return;
    case field::digits: w.leaf(s.element, e.text); return;
    case field::flag: w.leaf(s.element, e.flag ? "true" : "false"); return;
    case field::forwarding: w.leaf(s.element, to_string(e.forwarding)); return;
    case field::forward_to:
      if (!e.other.empty())
        w.leaf(s.element, e.other);
      return;
    case field::agent_id: w.leaf(s.element, e.agent_id); return;
    case field::group: w.leaf(s.element, e.group); return;
    case field::pending:
      if (!e.pending.empty())
        w.leaf(s.element, e.pending);
      return;
    case field::number_queued: w.leaf(s.element, std::to_string(e.number_queued)); return;
    case field::calls_in_front: w.leaf(s.element, std::to_string(e.calls_in_front)); return;
    case field::cleared_call:
      w.open(s.element);
      w.leaf("callID", e.connection.call);
      w.close(s.element);
      return;
    case field::account:
      if (!e.account.empty())
        w.leaf(s.element, e.account);
      return;
    case field::correlator:
      if (!e.correlator.empty())
        write_correlator(w, e.correlator, s.element);
      return;
  }
}

bool read_connection(const xml_element* e, connection_id& out) {
  if (e == nullptr)
    return false;
  auto call = e->child_text("callID");
  auto device = e->child_text("deviceID");
  out = {call ? *call : std::string{}, device ? *device : std::string{}};
  return true;
}

// SubjectDeviceID & co: deviceIdentifier, or notKnown/restricted (read as empty).
bool read_device(const xml_element* e, std::string& out) {
  if (e == nullptr)
    return false;
  auto id = e->child_text("deviceIdentifier");
  out = id ? *id : std::string{};
  return true;
}

bool read_number(const xml_element* e, int& out) {
  if (e == nullptr || e->text.empty() || e->text.size() > 9 ||
      e->text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoi(e->text);
  return true;
}

template <class T, class Parse>
bool read_enum(const xml_element* e, T& out, Parse parse) {
  auto v = parse(e->text);
  if (v)
    out = *v;
  return v.has_value();
}

bool read_field(const xml_element& root, const field_spec& s, csta_event& e) {
  auto c = root.child(s.element);
  if (c == nullptr)
    return s.optional;
  switch (s.what) {
    case field::connection: return read_connection(c, e.connection);
    case field::secondary: return read_connection(c, e.secondary);
    case field::subject: return read_device(c, e.subject);
    case field::other: return read_device(c, e.other);
    case field::calling: return read_device(c, e.calling);
    case field::called: return read_device(c, e.called);
    case field::last_redirection: {
      auto dialed = c->child_text("numberDialed");
      e.last_redirection = dialed ? *dialed : std::string{};
      return true;
    }
    case field::moves:
      for (auto& item : c->children) {
        moved_connection m;
        if (item.name != "connectionListItem" ||
            !read_connection(item.child("newConnection"), m.new_connection))
          return false;
        if (auto old = item.child("oldConnection"))
          read_connection(old, m.old_connection);
        e.moved.push_back(std::move(m));
      }
      return true;
    case field::local: return read_enum(c, e.local, parse_connection_state);
    case field::cause: return read_enum(c, e.cause, parse_event_cause);
    case field::digits: e.text = c->text; return true;
    case field::flag:
      if (c->text != "true" && c->text != "false")
        return false;
      e.flag = c->text == "true";
      return true;
    case field::forwarding: return read_enum(c, e.forwarding, parse_forwarding_type);
    case field::forward_to: e.other = c->text; return true;
    case field::agent_id: e.agent_id = c->text; return true;
    case field::group: e.group = c->text; return true;
    case field::pending: e.pending = c->text; return true;
    case field::number_queued: return read_number(c, e.number_queued);
    case field::calls_in_front: return read_number(c, e.calls_in_front);
    case field::cleared_call: return read_connection(c, e.connection) && !e.connection.call.empty();
    case field::account: e.account = c->text; return true;
    case field::correlator: e.correlator = read_correlator(*c); return true;
  }
  return false;
}

}  // namespace

std::string_view root_name(event_type t) { return event_names[static_cast<std::size_t>(t)].root; }
std::string_view filter_name(event_type t) {
  return event_names[static_cast<std::size_t>(t)].filter;
}
std::pair<std::string_view, std::string_view> capability_of(event_type t) {
  auto i = static_cast<std::size_t>(t);
  return {event_lists[i], event_names[i].capability};
}

namespace {

// The one writer of event documents; cross_ref_at (when asked) gets where the
// monitorCrossRefID's text stands.
std::string write_event(const csta_event& e, std::string_view ns, std::string_view cross_ref,
                        std::size_t* cross_ref_at) {
  xml_writer w(root_name(e.type), ns);
  w.open("monitorCrossRefID");
  if (cross_ref_at != nullptr)
    *cross_ref_at = w.size();
  w.text(cross_ref);
  w.close("monitorCrossRefID");
  for (auto& s : layout_of(e.type))
    write_field(w, s, e);
  return w.finish();
}

}  // namespace

std::string encode_event(const csta_event& e, std::string_view ns) {
  return write_event(e, ns, e.cross_ref, nullptr);
}

event_template encode_event_template(const csta_event& e, std::string_view ns) {
  event_template t;
  t.text = write_event(e, ns, {}, &t.cross_ref_at);
  return t;
}

std::optional<csta_event> decode_event(const xml_element& root) {
  auto type = std::find_if(event_names.begin(), event_names.end(),
                           [&](const names& n) { return n.root == root.name; });
  auto ref = root.child_text("monitorCrossRefID");
  if (type == event_names.end() || ref == nullptr)
    return std::nullopt;
  csta_event e;
  e.type = static_cast<event_type>(type - event_names.begin());
  e.cross_ref = *ref;
  for (auto& s : layout_of(e.type))
    if (!read_field(root, s, e))
      return std::nullopt;
  return e;
}

}  // namespace cstad::protocol
