// The events the exchange's services produce, byte for byte against protocol.md 3.4.

#include <doctest/doctest.h>

#include "protocol/csta_event.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/xml_element.hpp"
#include "protocol/xml_parser.hpp"

using namespace cstad::protocol;

namespace {

const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

csta_event base(event_type t) {
  csta_event e;
  e.type = t;
  e.cross_ref = "7";
  return e;
}

}  // namespace

TEST_CASE("HeldEvent and RetrievedEvent as in protocol.md") {
  auto e = base(event_type::held);
  e.connection = {"42", "2001"};
  e.subject = "2001";
  e.local = connection_state::hold;
  e.cause = event_cause::normal;
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<HeldEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><heldConnection><callID>42</callID><deviceID>2001</deviceID></heldConnection><holdingDevice><deviceIdentifier>2001</deviceIdentifier></holdingDevice><localConnectionInfo>hold</localConnectionInfo><cause>normal</cause></HeldEvent>)");
  e.type = event_type::retrieved;
  e.local = connection_state::connected;
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<RetrievedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><retrievedConnection><callID>42</callID><deviceID>2001</deviceID></retrievedConnection><retrievingDevice><deviceIdentifier>2001</deviceIdentifier></retrievingDevice><localConnectionInfo>connected</localConnectionInfo><cause>normal</cause></RetrievedEvent>)");
}

TEST_CASE("TransferedEvent (sic) as in protocol.md") {
  auto e = base(event_type::transferred);
  e.connection = {"42", "2001"};
  e.secondary = {"43", "2001"};
  e.subject = "2001";
  e.other = "2002";
  e.moved = {{{"43", "0701234567"}, {"42", "0701234567"}}, {{"43", "2002"}, {"43", "2002"}}};
  e.local = connection_state::null;
  e.cause = event_cause::transfer;
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<TransferedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><primaryOldCall><callID>42</callID><deviceID>2001</deviceID></primaryOldCall><secondaryOldCall><callID>43</callID><deviceID>2001</deviceID></secondaryOldCall><transferringDevice><deviceIdentifier>2001</deviceIdentifier></transferringDevice><transferredToDevice><deviceIdentifier>2002</deviceIdentifier></transferredToDevice><transferredConnections><connectionListItem><newConnection><callID>43</callID><deviceID>0701234567</deviceID></newConnection><oldConnection><callID>42</callID><deviceID>0701234567</deviceID></oldConnection></connectionListItem><connectionListItem><newConnection><callID>43</callID><deviceID>2002</deviceID></newConnection><oldConnection><callID>43</callID><deviceID>2002</deviceID></oldConnection></connectionListItem></transferredConnections><localConnectionInfo>null</localConnectionInfo><cause>transfer</cause></TransferedEvent>)");
}

TEST_CASE("ConferencedEvent as in protocol.md") {
  auto e = base(event_type::conferenced);
  e.connection = {"42", "2001"};
  e.secondary = {"43", "2001"};
  e.subject = "2001";
  e.other = "2002";
  e.moved = {{{"42", "2002"}, {"43", "2002"}}};
  e.local = connection_state::connected;
  e.cause = event_cause::conference;
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<ConferencedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><primaryOldCall><callID>42</callID><deviceID>2001</deviceID></primaryOldCall><secondaryOldCall><callID>43</callID><deviceID>2001</deviceID></secondaryOldCall><conferencingDevice><deviceIdentifier>2001</deviceIdentifier></conferencingDevice><addedParty><deviceIdentifier>2002</deviceIdentifier></addedParty><conferenceConnections><connectionListItem><newConnection><callID>42</callID><deviceID>2002</deviceID></newConnection><oldConnection><callID>43</callID><deviceID>2002</deviceID></oldConnection></connectionListItem></conferenceConnections><localConnectionInfo>connected</localConnectionInfo><cause>conference</cause></ConferencedEvent>)");
}

TEST_CASE("DivertedEvent, FailedEvent, NetworkReachedEvent as in protocol.md") {
  auto d = base(event_type::diverted);
  d.connection = {"42", "2001"};
  d.subject = "2001";
  d.other = "2003";
  d.calling = "0701234567";
  d.called = "2001";
  d.local = connection_state::null;
  d.cause = event_cause::redirected;
  CHECK(encode_event(d, ns_ed3) ==
        decl + R"(<DivertedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><connection><callID>42</callID><deviceID>2001</deviceID></connection><divertingDevice><deviceIdentifier>2001</deviceIdentifier></divertingDevice><newDestination><deviceIdentifier>2003</deviceIdentifier></newDestination><callingDevice><deviceIdentifier>0701234567</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>2001</deviceIdentifier></calledDevice><localConnectionInfo>null</localConnectionInfo><cause>redirected</cause></DivertedEvent>)");
  auto f = base(event_type::failed);
  f.connection = {"44", "2005"};
  f.subject = "2005";
  f.calling = "2001";
  f.called = "2005";
  f.local = connection_state::connected;
  f.cause = event_cause::busy;
  CHECK(encode_event(f, ns_ed3) ==
        decl + R"(<FailedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><failedConnection><callID>44</callID><deviceID>2005</deviceID></failedConnection><failingDevice><deviceIdentifier>2005</deviceIdentifier></failingDevice><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>2005</deviceIdentifier></calledDevice><localConnectionInfo>connected</localConnectionInfo><cause>busy</cause></FailedEvent>)");
  auto n = base(event_type::network_reached);
  n.connection = {"46", "T101"};
  n.other = "T101";
  n.calling = "2001";
  n.called = "0701234567";
  n.local = connection_state::connected;
  n.cause = event_cause::normal;
  CHECK(encode_event(n, ns_ed3) ==
        decl + R"(<NetworkReachedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><outboundConnection><callID>46</callID><deviceID>T101</deviceID></outboundConnection><networkInterfaceUsed><deviceIdentifier>T101</deviceIdentifier></networkInterfaceUsed><callingDevice><deviceIdentifier>2001</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>0701234567</deviceIdentifier></calledDevice><localConnectionInfo>connected</localConnectionInfo><cause>normal</cause></NetworkReachedEvent>)");
}

TEST_CASE("DoNotDisturbEvent and ForwardingEvent as in protocol.md") {
  auto d = base(event_type::do_not_disturb);
  d.subject = "2001";
  d.flag = true;
  CHECK(encode_event(d, ns_ed3) ==
        decl + R"(<DoNotDisturbEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><device><deviceIdentifier>2001</deviceIdentifier></device><doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>)");
  auto f = base(event_type::forwarding);
  f.subject = "2001";
  f.flag = true;
  f.forwarding = forwarding_type::forwardImmediate;
  f.other = "2424";
  CHECK(encode_event(f, ns_ed3) ==
        decl + R"(<ForwardingEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><device><deviceIdentifier>2001</deviceIdentifier></device><forwardingType>forwardImmediate</forwardingType><forwardStatus>true</forwardStatus><forwardTo>2424</forwardTo></ForwardingEvent>)");
}

TEST_CASE("QueuedEvent and agent events as in protocol.md") {
  auto q = base(event_type::queued);
  q.cross_ref = "9";
  q.connection = {"45", "6000"};
  q.subject = "6000";
  q.calling = "0701234567";
  q.called = "6000";
  q.number_queued = 3;
  q.calls_in_front = 2;
  q.local = connection_state::queued;
  q.cause = event_cause::enteringDistribution;
  CHECK(encode_event(q, ns_ed3) ==
        decl + R"(<QueuedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>9</monitorCrossRefID><queuedConnection><callID>45</callID><deviceID>6000</deviceID></queuedConnection><queue><deviceIdentifier>6000</deviceIdentifier></queue><callingDevice><deviceIdentifier>0701234567</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>6000</deviceIdentifier></calledDevice><numberQueued>3</numberQueued><callsInFront>2</callsInFront><localConnectionInfo>queued</localConnectionInfo><cause>enteringDistribution</cause></QueuedEvent>)");
  auto a = base(event_type::agent_logged_on);
  a.subject = "2001";
  a.agent_id = "4711";
  a.group = "6000";
  CHECK(encode_event(a, ns_ed3) ==
        decl + R"(<AgentLoggedOnEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><agentDevice><deviceIdentifier>2001</deviceIdentifier></agentDevice><agentID>4711</agentID><acdGroup>6000</acdGroup></AgentLoggedOnEvent>)");
  a.type = event_type::agent_ready;
  CHECK(encode_event(a, ns_ed3) ==
        decl + R"(<AgentReadyEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><agentDevice><deviceIdentifier>2001</deviceIdentifier></agentDevice><agentID>4711</agentID><acdGroup>6000</acdGroup></AgentReadyEvent>)");
  a.type = event_type::agent_working_after_call;
  a.pending = "ready";
  CHECK(encode_event(a, ns_ed3) ==
        decl + R"(<AgentWorkingAfterCallEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><agentDevice><deviceIdentifier>2001</deviceIdentifier></agentDevice><agentID>4711</agentID><acdGroup>6000</acdGroup><pendingAgentState>ready</pendingAgentState></AgentWorkingAfterCallEvent>)");
  for (auto [t, name] : {std::pair{event_type::agent_logged_off, "AgentLoggedOffEvent"},
                         std::pair{event_type::agent_not_ready, "AgentNotReadyEvent"},
                         std::pair{event_type::agent_busy, "AgentBusyEvent"}}) {
    CHECK(root_name(t) == name);
  }
  CHECK(filter_name(event_type::agent_working_after_call) == "agentWorkingAfterCall");
}

TEST_CASE("CallClearedEvent as in protocol.md, and OpenScape's CallInformationEvent decodes") {
  auto e = base(event_type::call_cleared);
  e.cross_ref = "12";
  e.connection = {"42", ""};
  e.cause = event_cause::normalClearing;
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<CallClearedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>12</monitorCrossRefID><clearedCall><callID>42</callID></clearedCall><cause>normalClearing</cause></CallClearedEvent>)");
  auto doc = parse_xml(
      R"(<?xml version='1.0' encoding='utf-8'?><CallInformationEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><monitorCrossRefID>1166743342</monitorCrossRefID><connection><callID>FF00010000000000E2E00E6416060000</callID><deviceID>3021061290000</deviceID></connection><device><deviceIdentifier>N&lt;3021061290000&gt;;noa=nk</deviceIdentifier></device><correlatorData><string>00</string></correlatorData><connectionInfo><mediaSessionInfo>voice</mediaSessionInfo></connectionInfo><callCharacteristics><acdCall>true</acdCall><priorityCall>true</priorityCall><highPriorityCall>true</highPriorityCall><sensitiveCall>true</sensitiveCall></callCharacteristics></CallInformationEvent>)");
  auto info = decode_event(std::get<xml_element>(doc));
  REQUIRE(info);
  CHECK(info->type == event_type::call_information);
  CHECK(info->connection.call == "FF00010000000000E2E00E6416060000");
  CHECK(info->subject == "N<3021061290000>;noa=nk");
}

TEST_CASE("ConferencedEvent of a single-step conference: no second call, the joined device has no old connection") {
  auto e = base(event_type::conferenced);
  e.connection = {"42", "2005"};
  e.subject = "2005";
  e.other = "2005";
  e.moved = {{{"42", "2005"}, {}}};
  e.local = connection_state::connected;
  e.cause = event_cause::singleStepConference;
  auto doc = encode_event(e, ns_ed3);
  CHECK(doc ==
        decl + R"(<ConferencedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><primaryOldCall><callID>42</callID><deviceID>2005</deviceID></primaryOldCall><conferencingDevice><deviceIdentifier>2005</deviceIdentifier></conferencingDevice><addedParty><deviceIdentifier>2005</deviceIdentifier></addedParty><conferenceConnections><connectionListItem><newConnection><callID>42</callID><deviceID>2005</deviceID></newConnection></connectionListItem></conferenceConnections><localConnectionInfo>connected</localConnectionInfo><cause>singleStepConference</cause></ConferencedEvent>)");
  auto back = decode_event(std::get<xml_element>(parse_xml(doc)));
  REQUIRE(back);
  CHECK(*back == e);
}

TEST_CASE("CallInformationEvent with the data an application associated, and MessageWaitingEvent") {
  auto e = base(event_type::call_information);
  e.connection = {"42", "2001"};
  e.subject = "2001";
  e.calling = "0701234567";
  e.account = "4711";
  e.correlator = "case 12";
  CHECK(encode_event(e, ns_ed3) ==
        decl + R"(<CallInformationEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>7</monitorCrossRefID><connection><callID>42</callID><deviceID>2001</deviceID></connection><device><deviceIdentifier>2001</deviceIdentifier></device><callingDevice><deviceIdentifier>0701234567</deviceIdentifier></callingDevice><accountInfo>4711</accountInfo><correlatorData><string>case 12</string></correlatorData></CallInformationEvent>)");
  // OpenScape's verbatim event (protocol.md 3.4) gives its correlator data back.
  auto openscape = decode_event(std::get<xml_element>(parse_xml(
      R"(<?xml version='1.0' encoding='utf-8'?><CallInformationEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><monitorCrossRefID>1166743342</monitorCrossRefID><connection><callID>FF00010000000000E2E00E6416060000</callID><deviceID>3021061290000</deviceID></connection><device><deviceIdentifier>N&lt;3021061290000&gt;;noa=nk</deviceIdentifier></device><correlatorData><string>00</string></correlatorData><connectionInfo><mediaSessionInfo>voice</mediaSessionInfo></connectionInfo></CallInformationEvent>)")));
  REQUIRE(openscape);
  CHECK(openscape->correlator == "00");
  CHECK(openscape->account.empty());

  auto m = base(event_type::message_waiting);
  m.subject = "2001";
  m.flag = true;
  CHECK(encode_event(m, ns_ed6) ==
        decl + R"(<MessageWaitingEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6"><monitorCrossRefID>7</monitorCrossRefID><targetDevice><deviceIdentifier>2001</deviceIdentifier></targetDevice><messageWaitingOn>true</messageWaitingOn></MessageWaitingEvent>)");
  CHECK(filter_name(event_type::message_waiting) == "messageWaiting");
  CHECK(capability_of(event_type::message_waiting) == std::pair<std::string_view, std::string_view>{"physDevEvtsList", "messageWaiting"});
  CHECK_FALSE(decode_event(std::get<xml_element>(parse_xml(
      "<MessageWaitingEvent><monitorCrossRefID>7</monitorCrossRefID><targetDevice><deviceIdentifier>2001"
      "</deviceIdentifier></targetDevice><messageWaitingOn>perhaps</messageWaitingOn></MessageWaitingEvent>"))));
}
