// Decoding of the verbatim request examples of protocol.md (Lync, Avaya, OpenScape, BroadWorks)
// and of the bad inputs a client may send.

#include <doctest/doctest.h>

#include "protocol/decode_request.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/xml_parser.hpp"

using namespace cstad::protocol;

namespace {

template <class Request>
Request decode_ok(const std::string& xml, decoded_request* whole = nullptr) {
  auto r = decode_request(xml);
  if (auto f = std::get_if<decode_failure>(&r))
    FAIL("decode failed: " << f->reason);
  auto& d = std::get<decoded_request>(r);
  if (whole)
    *whole = d;
  REQUIRE(std::holds_alternative<Request>(d.value));
  return std::get<Request>(d.value);
}

decode_failure decode_bad(const std::string& xml) {
  auto r = decode_request(xml);
  REQUIRE(std::holds_alternative<decode_failure>(r));
  return std::get<decode_failure>(r);
}

}  // namespace

TEST_CASE("Lync MonitorStart with a tel: URI") {
  decoded_request d;
  auto r = decode_ok<monitor_start_request>(
      R"(<?xml version="1.0"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>tel:73124;phone-context=dialstring</deviceObject></monitorObject></MonitorStart>)",
      &d);
  CHECK(d.name == "MonitorStart");
  CHECK(d.ns == ns_ed3);
  CHECK(r.device == "73124");
  CHECK(r.type == monitor_type::device);
  CHECK(r.suppressed.empty());
}

TEST_CASE("Avaya MonitorStart with a filter: every 'true' entry is suppressed") {
  auto r = decode_ok<monitor_start_request>(R"(<?xml version="1.0" encoding="UTF-8"?>
<MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">
  <monitorObject><deviceObject typeOfNumber="other" mediaClass="notKnown" bitRate="constant">5000</deviceObject></monitorObject>
  <requestedMonitorFilter>
    <callcontrol><callCleared>true</callCleared><conferenced>true</conferenced><connectionCleared>true</connectionCleared><delivered>true</delivered><diverted>true</diverted><established>true</established><failed>true</failed><held>true</held><networkReached>true</networkReached><originated>true</originated><queued>true</queued><retrieved>true</retrieved><serviceInitiated>true</serviceInitiated><transferred>true</transferred></callcontrol>
    <callAssociated><callInformation>true</callInformation><charging>true</charging><digitsGenerated>true</digitsGenerated><telephonyTonesGenerated>true</telephonyTonesGenerated><serviceCompletionFailure>true</serviceCompletionFailure></callAssociated>
    <logicalDeviceFeature/>
  </requestedMonitorFilter>
  <monitorType>call</monitorType>
</MonitorStart>)");
  CHECK(r.device == "5000");
  CHECK(r.type == monitor_type::call);
  CHECK(r.suppressed.size() == 19);
  CHECK(r.suppressed.count("delivered") == 1);
  CHECK(r.suppressed.count("callInformation") == 1);
}

TEST_CASE("Avaya's invertFilter: each group sent lists what to report, the rest of the group is suppressed") {
  // The filter of the Avaya example above, with Avaya's private invertFilter. The element that
  // wraps it in a device MonitorStart is inferred (protocol.md 4.4 shows it in AvayaEvents).
  auto r = decode_ok<monitor_start_request>(R"(<?xml version="1.0" encoding="UTF-8"?>
<MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">
  <monitorObject><deviceObject>5000</deviceObject></monitorObject>
  <requestedMonitorFilter>
    <callcontrol><delivered>true</delivered><established>true</established><connectionCleared>false</connectionCleared></callcontrol>
    <logicalDeviceFeature/>
  </requestedMonitorFilter>
  <extensions><privateData><private><ns1:MonitorStartPrivateData xmlns:ns1="http://www.avaya.com/csta"><ns1:invertFilter>true</ns1:invertFilter></ns1:MonitorStartPrivateData></private></privateData></extensions>
</MonitorStart>)");
  CHECK(r.filtered);
  // callcontrol: all 18 but the 2 to report; logicalDeviceFeature: all 14; callAssociated was
  // not sent, so none of it is suppressed.
  CHECK(r.suppressed.size() == 16 + 14);
  CHECK(r.suppressed.count("delivered") == 0);
  CHECK(r.suppressed.count("established") == 0);
  CHECK(r.suppressed.count("connectionCleared") == 1);
  CHECK(r.suppressed.count("doNotDisturb") == 1);
  CHECK(r.suppressed.count("callInformation") == 0);
  // The AvayaEvents wrapper of protocol.md 4.4, and invertFilter false (no inversion).
  auto avaya_events = decode_ok<monitor_start_request>(
      "<MonitorStart><monitorObject><deviceObject>5000</deviceObject></monitorObject><requestedMonitorFilter>"
      "<callcontrol><delivered>true</delivered></callcontrol></requestedMonitorFilter><extensions><privateData>"
      "<private><AvayaEvents xmlns=\"http://www.avaya.com/csta\"><invertFilter>true</invertFilter></AvayaEvents>"
      "</private></privateData></extensions></MonitorStart>");
  CHECK(avaya_events.suppressed.size() == 17);
  auto not_inverted = decode_ok<monitor_start_request>(
      "<MonitorStart><monitorObject><deviceObject>5000</deviceObject></monitorObject><requestedMonitorFilter>"
      "<callcontrol><delivered>true</delivered></callcontrol></requestedMonitorFilter><extensions><privateData>"
      "<private><AvayaEvents><invertFilter>false</invertFilter></AvayaEvents></private></privateData></extensions>"
      "</MonitorStart>");
  CHECK(not_inverted.suppressed == std::set<std::string>{"delivered"});
  // Without a filter, nothing is suppressed and none was requested.
  auto plain = decode_ok<monitor_start_request>(
      "<MonitorStart><monitorObject><deviceObject>5000</deviceObject></monitorObject></MonitorStart>");
  CHECK_FALSE(plain.filtered);
  CHECK(plain.suppressed.empty());
}

TEST_CASE("MonitorStop, verbatim Lync") {
  auto r = decode_ok<monitor_stop_request>(
      R"(<?xml version="1.0"?><MonitorStop xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorCrossRefID>99fda87c</monitorCrossRefID></MonitorStop>)");
  CHECK(r.cross_ref == "99fda87c");
}

TEST_CASE("MakeCall, verbatim Lync") {
  auto r = decode_ok<make_call_request>(
      R"(<?xml version="1.0"?><MakeCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callingDevice>tel:73124;phone-context=dialstring</callingDevice><calledDirectoryNumber>tel:+3222220220</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate></MakeCall>)");
  CHECK(r.calling == "73124");
  CHECK(r.called == "+3222220220");
  CHECK_FALSE(r.prompt);
}

TEST_CASE("MakeCall, OpenScape typeOfNumber attribute and prompt") {
  auto r = decode_ok<make_call_request>(
      R"(<MakeCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><callingDevice typeOfNumber="explicitPublic:subscriber">1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber><autoOriginate>prompt</autoOriginate></MakeCall>)");
  CHECK(r.calling == "1000");
  CHECK(r.prompt);
}

TEST_CASE("AnswerCall, Avaya template with deviceID before callID") {
  auto r = decode_ok<answer_call_request>(
      R"(<AnswerCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callToBeAnswered><deviceID typeOfNumber="other" mediaClass="notKnown">2001</deviceID><callID>42</callID></callToBeAnswered></AnswerCall>)");
  CHECK(r.call == connection_id{"42", "2001"});
}

TEST_CASE("ClearConnection, verbatim Lync with callID before deviceID") {
  auto r = decode_ok<clear_connection_request>(
      R"(<?xml version="1.0"?><ClearConnection xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><connectionToBeCleared><callID>0_99f261b4</callID><deviceID>tel:73124;phone-context=dialstring</deviceID></connectionToBeCleared></ClearConnection>)");
  CHECK(r.connection == connection_id{"0_99f261b4", "73124"});
  CHECK_FALSE(r.reason);
}

TEST_CASE("ClearCall, constructed example") {
  auto r = decode_ok<clear_call_request>(
      R"(<ClearCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callToBeCleared><callID>42</callID><deviceID>2001</deviceID></callToBeCleared></ClearCall>)");
  CHECK(r.call == connection_id{"42", "2001"});
}

TEST_CASE("namespace-less and prefixed requests decode the same") {
  decoded_request d;
  auto r = decode_ok<monitor_start_request>(
      "<MonitorStart><monitorObject><deviceObject>1000</deviceObject></monitorObject></MonitorStart>", &d);
  CHECK(d.ns.empty());
  CHECK(reply_namespace(d.ns) == ns_ed3);
  CHECK(r.device == "1000");
  auto p = decode_ok<monitor_start_request>(
      R"(<csta:MonitorStart xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><csta:monitorObject><deviceObject>1001</deviceObject></csta:monitorObject><csta:monitorType>device</csta:monitorType></csta:MonitorStart>)",
      &d);
  CHECK(d.ns == ns_ed5);
  CHECK(p.device == "1001");
}

TEST_CASE("an unknown or unimplemented service is serviceNotSupported") {
  auto f = decode_bad(
      R"(<?xml version="1.0" encoding="utf-8"?><FlyToTheMoon xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"/>)");
  CHECK(f.name == "FlyToTheMoon");
  CHECK(f.ns == ns_ed4);
  CHECK(f.error == errors::operation("serviceNotSupported"));
}

TEST_CASE("malformed XML and DOCTYPEs are invalidParameterValue") {
  CHECK(decode_bad("<MakeCall><callingDevice>1000</MakeCall>").error ==
        errors::operation("invalidParameterValue"));
  CHECK(decode_bad("<!DOCTYPE x [<!ENTITY a 'b'>]><MakeCall/>").error ==
        errors::operation("invalidParameterValue"));
}

TEST_CASE("missing mandatory fields name the field's own error") {
  CHECK(decode_bad("<MonitorStart/>").error == errors::operation("invalidMonitorObject"));
  CHECK(decode_bad("<MonitorStart><monitorObject><deviceObject/></monitorObject></MonitorStart>")
            .error == errors::operation("invalidMonitorObject"));
  CHECK(decode_bad("<MonitorStop/>").error == errors::operation("invalidMonitorCrossRefID"));
  CHECK(decode_bad("<MakeCall><calledDirectoryNumber>1</calledDirectoryNumber></MakeCall>").error ==
        errors::operation("invalidCallingDeviceID"));
  CHECK(decode_bad("<MakeCall><callingDevice>1</callingDevice></MakeCall>").error ==
        errors::operation("invalidCalledDeviceID"));
  CHECK(decode_bad("<AnswerCall/>").error == errors::operation("invalidConnectionID"));
  // callID is optional where the device acts on its own call (the service finds the call), but
  // a connection needs one of the two, and a held/active pair or a call monitor needs the call.
  CHECK(decode_bad("<AnswerCall><callToBeAnswered/></AnswerCall>").error == errors::operation("invalidCallID"));
  CHECK(decode_bad("<TransferCall><heldCall><deviceID>1</deviceID></heldCall><activeCall><callID>2</callID>"
                   "<deviceID>1</deviceID></activeCall></TransferCall>")
            .error == errors::operation("invalidCallID"));
  CHECK(decode_bad("<MonitorStart><monitorObject><callObject><deviceID>1</deviceID></callObject></monitorObject>"
                   "</MonitorStart>")
            .error == errors::operation("invalidCallID"));
  CHECK(decode_bad("<ClearCall><callToBeCleared/></ClearCall>").error ==
        errors::operation("invalidCallID"));
}

TEST_CASE("enumeration values the standard does not define are refused") {
  CHECK(decode_bad("<MakeCall><callingDevice>1</callingDevice><calledDirectoryNumber>2</calledDirectoryNumber>"
                   "<autoOriginate>maybe</autoOriginate></MakeCall>")
            .error == errors::operation("invalidParameterValue"));
  CHECK(decode_bad("<MonitorStart><monitorObject><deviceObject>1</deviceObject></monitorObject>"
                   "<monitorType>everything</monitorType></MonitorStart>")
            .error == errors::operation("invalidMonitorType"));
  CHECK(decode_bad("<ClearConnection><connectionToBeCleared><callID>1</callID><deviceID>2</deviceID>"
                   "</connectionToBeCleared><reason>boredom</reason></ClearConnection>")
            .error == errors::operation("invalidParameterValue"));
}

TEST_CASE("DeflectCall, verbatim OpenScape test message without namespace") {
  decoded_request d;
  auto r = decode_ok<deflect_call_request>(
      R"(<?xml version="1.0" encoding="utf-8"?><DeflectCall><callToBeDiverted><deviceID>SUB_C</deviceID><callID>FF000100000000006BB1234C31000000</callID></callToBeDiverted><newDestination>SUB_D</newDestination></DeflectCall>)",
      &d);
  CHECK(d.ns.empty());
  CHECK(r.call == connection_id{"FF000100000000006BB1234C31000000", "SUB_C"});
  CHECK(r.destination == "SUB_D");
}

TEST_CASE("HoldCall, RetrieveCall, ConsultationCall, TransferCall, ConferenceCall, Alternate, Reconnect") {
  auto hold = decode_ok<hold_call_request>(
      R"(<HoldCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callToBeHeld><deviceID>2001</deviceID><callID>42</callID></callToBeHeld></HoldCall>)");
  CHECK(hold.call == connection_id{"42", "2001"});
  auto retrieve = decode_ok<retrieve_call_request>(
      R"(<RetrieveCall><callToBeRetrieved><callID>42</callID><deviceID>2001</deviceID></callToBeRetrieved></RetrieveCall>)");
  CHECK(retrieve.call == connection_id{"42", "2001"});
  auto consult = decode_ok<consultation_call_request>(
      R"(<ConsultationCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><existingCall><callID>42</callID><deviceID>2001</deviceID></existingCall><consultedDevice>2002</consultedDevice></ConsultationCall>)");
  CHECK(consult.existing == connection_id{"42", "2001"});
  CHECK(consult.consulted == "2002");
  auto transfer = decode_ok<transfer_call_request>(
      R"(<TransferCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><heldCall><callID>42</callID><deviceID>2001</deviceID></heldCall><activeCall><callID>43</callID><deviceID>2001</deviceID></activeCall></TransferCall>)");
  CHECK(transfer.held == connection_id{"42", "2001"});
  CHECK(transfer.active == connection_id{"43", "2001"});
  auto reconnect = decode_ok<reconnect_call_request>(
      R"(<ReconnectCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><activeCall><callID>43</callID><deviceID>2001</deviceID></activeCall><heldCall><callID>42</callID><deviceID>2001</deviceID></heldCall></ReconnectCall>)");
  CHECK(reconnect.held.call == "42");
  CHECK(reconnect.active.call == "43");
  decode_ok<conference_call_request>(
      "<ConferenceCall><heldCall><callID>1</callID><deviceID>2</deviceID></heldCall><activeCall><callID>3</callID><deviceID>2</deviceID></activeCall></ConferenceCall>");
  decode_ok<alternate_call_request>(
      "<AlternateCall><heldCall><callID>1</callID><deviceID>2</deviceID></heldCall><activeCall><callID>3</callID><deviceID>2</deviceID></activeCall></AlternateCall>");
  CHECK(decode_bad("<TransferCall><heldCall><callID>1</callID><deviceID>2</deviceID></heldCall></TransferCall>")
            .error == errors::operation("invalidActiveCallID"));
}

TEST_CASE("SingleStepTransferCall (Zultys shape) and GenerateDigits") {
  auto sst = decode_ok<single_step_transfer_request>(
      R"(<SingleStepTransferCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><activeCall><callID>42</callID><deviceID>2001</deviceID></activeCall><transferredTo>2003</transferredTo></SingleStepTransferCall>)");
  CHECK(sst.active == connection_id{"42", "2001"});
  CHECK(sst.to == "2003");
  auto digits = decode_ok<generate_digits_request>(
      "<GenerateDigits><connectionToSendDigits><callID>1</callID><deviceID>2</deviceID></connectionToSendDigits><charactersToSend>123#</charactersToSend></GenerateDigits>");
  CHECK(digits.digits == "123#");
}

TEST_CASE("BroadWorks SetDoNotDisturb and SetForwarding, verbatim") {
  auto dnd = decode_ok<set_do_not_disturb_request>(R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<SetDoNotDisturb xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">
   <device>7659366</device>
   <doNotDisturbOn>true</doNotDisturbOn>
</SetDoNotDisturb>)");
  CHECK(dnd.device == "7659366");
  CHECK(dnd.on);
  auto fwd = decode_ok<set_forwarding_request>(R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<SetForwarding xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">
   <device>7659366</device>
   <activateForward>true</activateForward>
   <forwardingType>forwardImmediate</forwardingType>
   <forwardDN>2424</forwardDN>
   <ringCount></ringCount>
</SetForwarding>)");
  CHECK(fwd.device == "7659366");
  CHECK(fwd.activate);
  CHECK(fwd.type == forwarding_type::forwardImmediate);
  CHECK(fwd.destination == "2424");
  CHECK(fwd.ring_count == 0);
  CHECK(decode_bad("<SetDoNotDisturb><device>1</device><doNotDisturbOn>perhaps</doNotDisturbOn></SetDoNotDisturb>")
            .error == errors::operation("invalidParameterValue"));
  CHECK(decode_bad("<SetForwarding><device>1</device><forwardingType>forwardNoAns</forwardingType>"
                   "<activateForward>true</activateForward><ringCount>many</ringCount></SetForwarding>")
            .error == errors::operation("invalidRingCount"));
}

TEST_CASE("Lync's RequestSystemStatus and GetCSTAFeatures with lcs:line private data, verbatim") {
  decoded_request d;
  decode_ok<request_system_status_request>(
      R"(<?xml version="1.0"?><RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><extensions><privateData><private><lcs:line xmlns:lcs="http://schemas.microsoft.com/Lcs/2005/04/RCCExtension">tel:73124;phone-context=dialstring</lcs:line></private></privateData></extensions></RequestSystemStatus>)",
      &d);
  CHECK(d.ns == ns_ed3);
  decode_ok<get_csta_features_request>(
      R"(<?xml version="1.0"?><GetCSTAFeatures xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><extensions><privateData><private><lcs:line xmlns:lcs="http://schemas.microsoft.com/Lcs/2005/04/RCCExtension">tel:73124;phone-context=dialstring</lcs:line></private></privateData></extensions></GetCSTAFeatures>)");
}

TEST_CASE("OpenScape's SystemStatus, SystemRegister and SnapshotDevice, verbatim") {
  auto status = decode_ok<system_status_request>(R"(<?xml version="1.0" encoding="UTF-8"?>
<SystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><systemStatus>normal</systemStatus></SystemStatus>)");
  CHECK(status.status == "normal");
  decode_ok<system_register_request>(R"(<?xml version="1.0" encoding="UTF-8"?>
<SystemRegister xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><requestTypes><systemStatus>true</systemStatus><requestSystemStatus>false</requestSystemStatus></requestTypes></SystemRegister>)");
  auto snap = decode_ok<snapshot_device_request>(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ns3:SnapshotDevice xmlns:ns2="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns3="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
   <ns3:snapshotObject>2001</ns3:snapshotObject>
</ns3:SnapshotDevice>)");
  CHECK(snap.device == "2001");
  auto call = decode_ok<snapshot_call_request>(
      "<SnapshotCall><snapshotObject><callID>42</callID><deviceID>2001</deviceID></snapshotObject></SnapshotCall>");
  CHECK(call.call == connection_id{"42", "2001"});
  CHECK(decode_bad("<SystemStatus><systemStatus>sleepy</systemStatus></SystemStatus>").error ==
        errors::operation("systemStatusOutOfRange"));
  CHECK(decode_bad("<SnapshotDevice/>").error == errors::operation("invalidDeviceID"));
}

TEST_CASE("ECMA-354 StartApplicationSession: Eltex, Avaya and OpenScape, verbatim") {
  auto eltex = decode_ok<start_application_session_request>(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<StartApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session" xmlns:ns1="http://www.eltex.org/csta">
    <applicationInfo>
        <applicationID>Eltex ECSS-10 CSTA adapter</applicationID>
        <applicationSpecificInfo>
            <ns1:SessionLoginInfo xmlns:ns1="http://www.eltex.org/csta">
                <ns1:userName>p.city</ns1:userName>
                <ns1:password>1234</ns1:password>
            </ns1:SessionLoginInfo>
        </applicationSpecificInfo>
    </applicationInfo>
    <requestedProtocolVersions>
        <protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed3</protocolVersion>
    </requestedProtocolVersions>
    <requestedSessionDuration>300</requestedSessionDuration>
</StartApplicationSession>)");
  CHECK(eltex.application_id == "Eltex ECSS-10 CSTA adapter");
  CHECK(eltex.user_name == "p.city");
  CHECK(eltex.password == "1234");
  CHECK(eltex.protocol_versions == std::vector<std::string>{std::string{ns_ed3}});
  CHECK(eltex.requested_duration == 300);

  auto avaya = decode_ok<start_application_session_request>(
      R"(<?xml version="1.0" encoding="UTF-8"?><StartApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><applicationInfo><applicationID>TestApp</applicationID><applicationSpecificInfo><ns1:SessionLoginInfo xsi:type="ns1:SessionLoginInfo" xmlns:ns1="http://www.avaya.com/csta" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ns1:userName>user</ns1:userName><ns1:password>1234</ns1:password><ns1:sessionCleanupDelay>5</ns1:sessionCleanupDelay></ns1:SessionLoginInfo></applicationSpecificInfo></applicationInfo><requestedProtocolVersions><protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv4</protocolVersion></requestedProtocolVersions><requestedSessionDuration>180</requestedSessionDuration></StartApplicationSession>)");
  CHECK(avaya.user_name == "user");
  CHECK(avaya.protocol_versions.at(0) == "http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv4");
  CHECK(avaya.requested_duration == 180);

  auto openscape = decode_ok<start_application_session_request>(R"(<?xml version="1.0" encoding="utf-8"?>
<StartApplicationSession>
   <applicationInfo>
      <applicationID>pythontsm</applicationID>
   </applicationInfo>
   <requestedProtocolVersions>
      <protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</protocolVersion>
   </requestedProtocolVersions>
   <requestedSessionDuration>600</requestedSessionDuration>
</StartApplicationSession>)");
  CHECK(openscape.application_id == "pythontsm");
  CHECK_FALSE(openscape.user_name);
  CHECK(openscape.requested_duration == 600);
}

TEST_CASE("a ConnectionID with a deviceID alone, as clients send for their only call, decodes with no call") {
  auto clear = decode_ok<clear_connection_request>(
      R"(<?xml version="1.0" encoding="UTF-8"?><ClearConnection xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><connectionToBeCleared><deviceID>1000</deviceID></connectionToBeCleared></ClearConnection>)");
  CHECK(clear.connection == connection_id{"", "1000"});
  CHECK(decode_ok<answer_call_request>("<AnswerCall><callToBeAnswered><deviceID>1</deviceID></callToBeAnswered></AnswerCall>")
            .call == connection_id{"", "1"});
  CHECK(decode_ok<hold_call_request>("<HoldCall><callToBeHeld><deviceID>1</deviceID></callToBeHeld></HoldCall>")
            .call == connection_id{"", "1"});
  CHECK(decode_ok<retrieve_call_request>(
            "<RetrieveCall><callToBeRetrieved><deviceID>1</deviceID></callToBeRetrieved></RetrieveCall>")
            .call == connection_id{"", "1"});
}

TEST_CASE("ECMA-354 Start with an empty applicationID, as Avaya DMCC clients send it, is a valid empty string") {
  for (auto empty : {"<applicationID/>", "<applicationID></applicationID>"}) {
    auto dmcc = decode_ok<start_application_session_request>(
        std::string{R"(<?xml version="1.0" encoding="UTF-8"?><StartApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><applicationInfo>)"} +
        empty +
        R"(<applicationSpecificInfo><acx:SessionLoginInfo xsi:type="acx:SessionLoginInfo" xmlns:acx="http://www.avaya.com/csta" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><acx:userName>user</acx:userName><acx:password>1234</acx:password><acx:sessionCleanupDelay>180</acx:sessionCleanupDelay><acx:sessionID></acx:sessionID></acx:SessionLoginInfo></applicationSpecificInfo></applicationInfo><requestedProtocolVersions><protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv4</protocolVersion></requestedProtocolVersions><requestedSessionDuration>180</requestedSessionDuration></StartApplicationSession>)");
    CHECK(dmcc.application_id.empty());
    CHECK(dmcc.user_name == "user");
    CHECK(dmcc.password == "1234");
  }
}

TEST_CASE("ECMA-354 Reset and Stop, verbatim - broken ones name their Neg response's error") {
  auto reset = decode_ok<reset_application_session_timer_request>(
      R"(<?xml version="1.0" encoding="UTF-8"?><ResetApplicationSessionTimer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><sessionID>469421A9364D46D6444524AE41BEAD72-0</sessionID><requestedSessionDuration>180</requestedSessionDuration></ResetApplicationSessionTimer>)");
  CHECK(reset.session_id == "469421A9364D46D6444524AE41BEAD72-0");
  CHECK(reset.requested_duration == 180);
  auto stop = decode_ok<stop_application_session_request>(
      R"(<?xml version="1.0" encoding="UTF-8"?><StopApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session"><sessionID>469421A9364D46D6444524AE41BEAD72-0</sessionID><sessionEndReason><definedEndReason>normal</definedEndReason></sessionEndReason></StopApplicationSession>)");
  CHECK(stop.end_reason == "normal");
  CHECK(decode_bad("<StopApplicationSession/>").session_error == "invalidSessionID");
  CHECK(decode_bad("<ResetApplicationSessionTimer/>").session_error == "invalidSessionID");
  CHECK(decode_bad("<StartApplicationSession><applicationInfo/></StartApplicationSession>").session_error ==
        "invalidApplicationInfo");
  CHECK(decode_bad("<StartApplicationSession><applicationInfo><applicationID>x</applicationID></applicationInfo>"
                   "<requestedSessionDuration>-5</requestedSessionDuration></StartApplicationSession>")
            .session_error == "invalidApplicationInfo");
  CHECK(decode_bad("<MakeCall/>").session_error.empty());
}

TEST_CASE("SetAgentState: Avaya's template and a log-on with id, password and group") {
  auto ready = decode_ok<set_agent_state_request>(
      R"(<SetAgentState xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><device>2001</device><requestedAgentState>ready</requestedAgentState></SetAgentState>)");
  CHECK(ready.device == "2001");
  CHECK(ready.state == requested_agent_state::ready);
  auto logon = decode_ok<set_agent_state_request>(
      R"(<SetAgentState xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><device>2001</device><requestedAgentState>loggedOn</requestedAgentState><agentID>4711</agentID><password>31323334</password><group>6000</group></SetAgentState>)");
  CHECK(logon.state == requested_agent_state::logged_on);
  CHECK(logon.agent_id == "4711");
  CHECK(logon.password == "31323334");
  CHECK(logon.group == "6000");
  auto get = decode_ok<get_agent_state_request>("<GetAgentState><device>2001</device></GetAgentState>");
  CHECK(get.device == "2001");
  CHECK(decode_bad("<SetAgentState><device>1</device><requestedAgentState>asleep</requestedAgentState></SetAgentState>")
            .error == errors::operation("agentStateOutOfRange"));
  CHECK(decode_bad("<SetAgentState><device>1</device></SetAgentState>").error ==
        errors::operation("invalidAgentState"));
}

TEST_CASE("GetSwitchingFunctionDevices and ChangeMonitorFilter") {
  auto get = decode_ok<get_switching_function_devices_request>(
      R"(<GetSwitchingFunctionDevices xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><requestedDeviceCategory>station</requestedDeviceCategory></GetSwitchingFunctionDevices>)");
  CHECK(get.category == "station");
  CHECK(get.device.empty());
  CHECK(decode_bad("<GetSwitchingFunctionDevices><requestedDeviceCategory>toaster</requestedDeviceCategory></GetSwitchingFunctionDevices>")
            .error == errors::operation("invalidParameterValue"));
  auto change = decode_ok<change_monitor_filter_request>(
      "<ChangeMonitorFilter><monitorCrossRefID>7</monitorCrossRefID><requestedFilterList><callcontrol>"
      "<delivered>true</delivered><established>false</established></callcontrol></requestedFilterList></ChangeMonitorFilter>");
  CHECK(change.cross_ref == "7");
  CHECK(change.suppressed == std::set<std::string>{"delivered"});
  CHECK(decode_bad("<ChangeMonitorFilter><monitorCrossRefID>7</monitorCrossRefID></ChangeMonitorFilter>").error ==
        errors::operation("invalidMonitorFilter"));
}

TEST_CASE("every device id is kept as the client wrote it, beside the number the request carries") {
  decoded_request d;
  decode_ok<make_call_request>(
      R"(<MakeCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callingDevice>tel:73124;phone-context=dialstring</callingDevice><calledDirectoryNumber>2001</calledDirectoryNumber></MakeCall>)",
      &d);
  CHECK(d.devices == std::vector<device_form>{{"73124", "tel:73124;phone-context=dialstring"}, {"2001", "2001"}});
  auto xml = std::get<xml_element>(parse_xml(
      "<TransferCall><heldCall><callID>1</callID><deviceID>tel:+4687001000</deviceID></heldCall>"
      "<activeCall><callID>2</callID><deviceID>sip:+4687001000@pbx;user=phone</deviceID></activeCall></TransferCall>"));
  // A server that knows its plan reduces them its own way.
  auto r = decode_request(xml, [](std::string_view id) { return id == "tel:+4687001000" ? "1000" : "?"; });
  auto& t = std::get<decoded_request>(r);
  CHECK(std::get<transfer_call_request>(t.value).held == connection_id{"1", "1000"});
  CHECK(std::get<transfer_call_request>(t.value).active == connection_id{"2", "?"});
  CHECK(t.devices == std::vector<device_form>{{"1000", "tel:+4687001000"}, {"?", "sip:+4687001000@pbx;user=phone"}});
}

TEST_CASE("the CSTA namespaces a client may answer in: the real ones only, never one of its own making") {
  using cstad::protocol::is_csta_namespace;
  using cstad::protocol::reply_namespace;
  for (auto ns : {cstad::protocol::ns_ed2, cstad::protocol::ns_ed3, cstad::protocol::ns_ed4, cstad::protocol::ns_ed5, cstad::protocol::ns_ed6})
    CHECK(is_csta_namespace(ns));
  CHECK(is_csta_namespace("http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv4"));  // Avaya
  CHECK(is_csta_namespace("http://www.ecma-international.org/standards/ecma-323/csta/ed10"));
  for (std::string bad : std::vector<std::string>{"", "http://www.ecma-international.org/standards/ecma-323/csta/ed",
                          "http://www.ecma-international.org/standards/ecma-323/csta/ed123",
                          "http://www.ecma-international.org/standards/ecma-323/csta/ed3/",
                          "http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv",
                          "http://www.ecma-international.org/standards/ecma-323/csta/ed3x",
                          "urn:x/ecma-323/csta/ed3", "http://evil.example/ecma-323/csta/ed3",
                          std::string{cstad::protocol::ns_ed3} + std::string(40000, 'a'),
                          std::string{cstad::protocol::ns_ed3} + "/priv4" + std::string(40000, 'a')}) {
    CHECK_MESSAGE(!is_csta_namespace(bad), bad.substr(0, 80));
    CHECK(reply_namespace(bad) == cstad::protocol::ns_ed3);  // such a request is answered in ed3
  }
}

TEST_CASE("SingleStepConferenceCall, AssociateData, message waiting, device information and status filter requests") {
  auto ssc = decode_ok<single_step_conference_request>(
      R"(<csta:SingleStepConferenceCall xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><csta:activeCall><csta:callID>42</csta:callID><csta:deviceID>tel:2001;phone-context=dialstring</csta:deviceID></csta:activeCall><csta:deviceToJoin>2005</csta:deviceToJoin><csta:participationType>silent</csta:participationType></csta:SingleStepConferenceCall>)");
  CHECK(ssc.active == connection_id{"42", "2001"});
  CHECK(ssc.join == "2005");
  CHECK(ssc.participation == participation_type::silent);
  CHECK(decode_ok<single_step_conference_request>(
            "<SingleStepConferenceCall><activeCall><callID>42</callID><deviceID>2001</deviceID></activeCall>"
            "<deviceToJoin>2005</deviceToJoin></SingleStepConferenceCall>")
            .participation == participation_type::active);

  auto data = decode_ok<associate_data_request>(
      "<AssociateData xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed3\"><existingCall>"
      "<callID>42</callID><deviceID>2001</deviceID></existingCall><accountCode>4711</accountCode>"
      "<correlatorData><string>case 12</string></correlatorData></AssociateData>");
  CHECK(data.call == connection_id{"42", "2001"});
  CHECK(data.account == "4711");
  CHECK(data.correlator == "case 12");
  // The event's name for the account, and correlator data without its <string>, are understood.
  auto loose = decode_ok<associate_data_request>(
      "<AssociateData><existingCall><deviceID>2001</deviceID></existingCall><accountInfo>99</accountInfo>"
      "<correlatorData>x</correlatorData></AssociateData>");
  CHECK(loose.account == "99");
  CHECK(loose.correlator == "x");

  CHECK(decode_ok<set_message_waiting_indicator_request>(
            "<SetMessageWaitingIndicator><device>2001</device><messageWaitingOn>true</messageWaitingOn>"
            "</SetMessageWaitingIndicator>")
            .on);
  CHECK(decode_ok<get_message_waiting_indicator_request>(
            "<GetMessageWaitingIndicator><device>2001</device></GetMessageWaitingIndicator>")
            .device == "2001");
  CHECK(decode_ok<get_logical_device_information_request>(
            "<GetLogicalDeviceInformation><device>6000</device></GetLogicalDeviceInformation>")
            .device == "6000");
  CHECK(decode_ok<get_physical_device_information_request>(
            "<GetPhysicalDeviceInformation><device>sip:2001@pbx</device></GetPhysicalDeviceInformation>")
            .device == "2001");

  auto filter = decode_ok<change_system_status_filter_request>(
      "<ChangeSystemStatusFilter><sysStatRegisterID>27ss</sysStatRegisterID><requestedStatusFilter>"
      "<normal>true</normal><partiallyDisabled>true</partiallyDisabled><disabled>false</disabled>"
      "</requestedStatusFilter></ChangeSystemStatusFilter>");
  CHECK(filter.register_id == "27ss");
  CHECK(filter.suppressed == std::set<std::string>{"normal", "partiallyDisabled"});
}

TEST_CASE("bad SingleStepConferenceCall, AssociateData, message waiting and status filter requests name their error") {
  CHECK(decode_bad("<SingleStepConferenceCall><deviceToJoin>2005</deviceToJoin></SingleStepConferenceCall>").error ==
        errors::operation("invalidActiveCallID"));
  CHECK(decode_bad("<SingleStepConferenceCall><activeCall><callID>42</callID><deviceID>2001</deviceID></activeCall>"
                   "</SingleStepConferenceCall>")
            .error == errors::operation("invalidDeviceID"));
  CHECK(decode_bad("<SingleStepConferenceCall><activeCall><callID>42</callID><deviceID>2001</deviceID></activeCall>"
                   "<deviceToJoin>2005</deviceToJoin><participationType>loud</participationType></SingleStepConferenceCall>")
            .error == errors::operation("participationTypeOutOfRange"));
  CHECK(decode_bad("<AssociateData><existingCall><callID>42</callID><deviceID>2001</deviceID></existingCall></AssociateData>")
            .error == errors::operation("atLeastOneConditionalParameterNotProvided"));
  CHECK(decode_bad("<AssociateData><accountCode>1</accountCode></AssociateData>").error ==
        errors::operation("invalidConnectionID"));
  CHECK(decode_bad("<AssociateData><existingCall><callID>42</callID><deviceID>2001</deviceID></existingCall>"
                   "<accountCode>" + std::string(65, '1') + "</accountCode></AssociateData>")
            .error == errors::operation("invalidAccountCode"));
  CHECK(decode_bad("<AssociateData><existingCall><callID>42</callID><deviceID>2001</deviceID></existingCall>"
                   "<correlatorData><string>" + std::string(129, 'A') + "</string></correlatorData></AssociateData>")
            .error == errors::operation("correlatorDataOutOfRange"));
  CHECK(decode_bad("<SetMessageWaitingIndicator><device>2001</device></SetMessageWaitingIndicator>").error ==
        errors::operation("invalidMessageWaitingSetting"));
  CHECK(decode_bad("<SetMessageWaitingIndicator><device>2001</device><messageWaitingOn>blinking</messageWaitingOn>"
                   "</SetMessageWaitingIndicator>")
            .error == errors::operation("invalidMessageWaitingSetting"));
  CHECK(decode_bad("<GetMessageWaitingIndicator/>").error == errors::operation("invalidDeviceID"));
  CHECK(decode_bad("<GetLogicalDeviceInformation/>").error == errors::operation("invalidDeviceID"));
  CHECK(decode_bad("<GetPhysicalDeviceInformation><device/></GetPhysicalDeviceInformation>").error ==
        errors::operation("invalidDeviceID"));
  CHECK(decode_bad("<ChangeSystemStatusFilter><sysStatRegisterID>1</sysStatRegisterID></ChangeSystemStatusFilter>")
            .error == errors::operation("invalidParameterValue"));
  CHECK(decode_bad("<ChangeSystemStatusFilter><requestedStatusFilter><sleepy>true</sleepy></requestedStatusFilter>"
                   "</ChangeSystemStatusFilter>")
            .error == errors::operation("systemStatusOutOfRange"));
  CHECK(decode_bad("<ChangeSystemStatusFilter><requestedStatusFilter><normal>yes</normal></requestedStatusFilter>"
                   "</ChangeSystemStatusFilter>")
            .error == errors::operation("systemStatusOutOfRange"));
}

TEST_CASE("routeing requests: what is missing or wrong names its error") {
  CHECK(decode_bad("<RouteRegister/>").error == errors::operation("invalidDeviceID"));
  CHECK(decode_bad("<RouteRegisterCancel/>").error == errors::operation("invalidRouteRegistrationCrossRefID"));
  CHECK(decode_bad("<RouteSelect><routeSelected>2001</routeSelected></RouteSelect>").error ==
        errors::operation("invalidRouteingCrossRefID"));
  CHECK(decode_bad("<RouteSelect><routingCrossRefID>8</routingCrossRefID></RouteSelect>").error ==
        errors::operation("invalidDestination"));
  CHECK(decode_bad("<RouteEnd><routingCrossRefID>8</routingCrossRefID><errorValue><operation>bored</operation>"
                   "</errorValue></RouteEnd>")
            .error == errors::operation("invalidParameterValue"));
  auto select = decode_ok<route_select_request>(
      "<RouteSelect xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed3\"><routeRegisterReqID>7"
      "</routeRegisterReqID><routingCrossRefID>8</routingCrossRefID><routeSelected>tel:+4687001010</routeSelected>"
      "<remainRetry><noListAvailable>true</noListAvailable></remainRetry></RouteSelect>");
  CHECK(select.register_id == "7");
  CHECK(select.cross_ref == "8");
  CHECK(select.selected == "+4687001010");  // the codec alone knows no plan: the server maps it
  auto end = decode_ok<route_end_request>("<RouteEnd><routingCrossRefID>8</routingCrossRefID></RouteEnd>");
  CHECK(end.cross_ref == "8");
  CHECK_FALSE(end.error);
}
