// Encode -> decode gives the same message back, for every event type and every request type,
// in ed3 and ed6: what the server writes, a client reads without losing a field.

#include <doctest/doctest.h>

#include "protocol/csta_event.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/xml_parser.hpp"

using namespace cstad::protocol;

namespace {

xml_element parsed(const std::string& xml) {
  auto r = parse_xml(xml);
  REQUIRE(std::holds_alternative<xml_element>(r));
  return std::get<xml_element>(r);
}

// An event with every field filled; each type keeps the ones its schema has.
csta_event full_event(event_type t) {
  csta_event e;
  e.type = t;
  e.cross_ref = "77";
  e.connection = {"42", "2001"};
  e.secondary = {"43", "2001"};
  e.subject = "2001";
  e.other = "2002";
  e.calling = "0701234567";
  e.called = "6000";
  e.last_redirection = "6000";
  e.moved = {{{"43", "2003"}, {"42", "2003"}}, {{"43", "2002"}, {"43", "2002"}}};
  e.local = connection_state::connected;
  e.cause = event_cause::distributed;
  e.text = "12#*";
  e.flag = true;
  e.forwarding = forwarding_type::forwardNoAnsExt;
  e.agent_id = "4711";
  e.group = "6000";
  e.pending = "notReady";
  e.number_queued = 5;
  e.calls_in_front = 4;
  return e;
}

}  // namespace

TEST_CASE("every event type survives encode -> decode in ed3 and ed6") {
  for (int i = 0; i < 22; ++i) {
    auto t = static_cast<event_type>(i);
    for (auto ns : {ns_ed3, ns_ed6}) {
      CAPTURE(root_name(t));
      CAPTURE(ns);
      auto e = full_event(t);
      auto doc = encode_event(e, ns);
      auto back = decode_event(parsed(doc));
      REQUIRE(back);
      CHECK(back->type == t);
      CHECK(back->cross_ref == "77");
      // Nothing the encoder wrote was lost: the decoded event writes the same document.
      CHECK(encode_event(*back, ns) == doc);
    }
  }
}

TEST_CASE("decoded events carry their fields") {
  auto transferred = decode_event(parsed(encode_event(full_event(event_type::transferred), ns_ed3)));
  REQUIRE(transferred);
  CHECK(transferred->connection == connection_id{"42", "2001"});
  CHECK(transferred->secondary == connection_id{"43", "2001"});
  CHECK(transferred->subject == "2001");
  CHECK(transferred->other == "2002");
  REQUIRE(transferred->moved.size() == 2);
  CHECK(transferred->moved[0].old_connection == connection_id{"42", "2003"});
  CHECK(transferred->cause == event_cause::distributed);
  auto queued = decode_event(parsed(encode_event(full_event(event_type::queued), ns_ed6)));
  REQUIRE(queued);
  CHECK(queued->number_queued == 5);
  CHECK(queued->calls_in_front == 4);
  CHECK(queued->calling == "0701234567");
  auto forwarding = decode_event(parsed(encode_event(full_event(event_type::forwarding), ns_ed3)));
  REQUIRE(forwarding);
  CHECK(forwarding->forwarding == forwarding_type::forwardNoAnsExt);
  CHECK(forwarding->flag);
  CHECK(forwarding->other == "2002");
  auto acw = decode_event(parsed(encode_event(full_event(event_type::agent_working_after_call), ns_ed3)));
  REQUIRE(acw);
  CHECK(acw->agent_id == "4711");
  CHECK(acw->pending == "notReady");
}

TEST_CASE("OpenScape's verbatim events decode, extra elements and all") {
  auto si = decode_event(parsed(
      R"(<?xml version="1.0" encoding="UTF-8"?><ServiceInitiatedEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><monitorCrossRefID>1169730059</monitorCrossRefID><initiatedConnection><callID>FF000100000000002D65C85C1C750000</callID><deviceID>302118840100</deviceID></initiatedConnection><initiatingDevice><deviceIdentifier>N&lt;302118840100&gt;;noa=nk</deviceIdentifier></initiatingDevice><localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause><servicesPermitted><callControlServices><clearConnection>true</clearConnection></callControlServices><callAssociatedServices/><mediaAttachementServices/><routeingServices/><voiceServices/></servicesPermitted><mediaCallCharacteristics><mediaClass><voice>true</voice><image>false</image><im>false</im></mediaClass></mediaCallCharacteristics><extensions><privateData><private xmlns:scx="http://www.siemens.com/schema/csta"><scx:extendedServicesPermitted/></private></privateData></extensions></ServiceInitiatedEvent>)"));
  REQUIRE(si);
  CHECK(si->type == event_type::service_initiated);
  CHECK(si->cross_ref == "1169730059");
  CHECK(si->connection == connection_id{"FF000100000000002D65C85C1C750000", "302118840100"});
  CHECK(si->subject == "N<302118840100>;noa=nk");
  CHECK(si->local == connection_state::initiated);
  CHECK(si->cause == event_cause::makeCall);
  auto delivered = decode_event(parsed(R"(<?xml version="1.0" encoding="UTF-8"?>
<DeliveredEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
   <monitorCrossRefID>1173673890</monitorCrossRefID>
   <connection><callID>FF00010000000000EC6114647E570000</callID><deviceID>3021061290002</deviceID></connection>
   <alertingDevice><deviceIdentifier>N&lt;3021061290002&gt;;noa=nk</deviceIdentifier></alertingDevice>
   <callingDevice><deviceIdentifier>N&lt;7868772298&gt;Line71001;displayNumber=7868772298</deviceIdentifier></callingDevice>
   <calledDevice><deviceIdentifier>N&lt;3021061290002&gt;;noa=nk</deviceIdentifier></calledDevice>
   <lastRedirectionDevice><notRequired/></lastRedirectionDevice>
   <localConnectionInfo>alerting</localConnectionInfo>
   <correlatorData><string>00</string></correlatorData>
   <cause>enteringDistribution</cause>
   <networkCalledDevice><deviceIdentifier>02911</deviceIdentifier></networkCalledDevice>
   <associatedCallingDevice><notKnown/></associatedCallingDevice>
</DeliveredEvent>)"));
  REQUIRE(delivered);
  CHECK(delivered->local == connection_state::alerting);
  CHECK(delivered->cause == event_cause::enteringDistribution);
  CHECK(delivered->last_redirection.empty());
  CHECK_FALSE(decode_event(parsed("<DeliveredEvent><monitorCrossRefID>1</monitorCrossRefID></DeliveredEvent>")));
  CHECK_FALSE(decode_event(parsed("<MakeCall/>")));
  CHECK_FALSE(decode_event(parsed(
      "<HeldEvent><monitorCrossRefID>1</monitorCrossRefID><heldConnection><callID>1</callID></heldConnection>"
      "<holdingDevice><deviceIdentifier>1</deviceIdentifier></holdingDevice><localConnectionInfo>hold</localConnectionInfo>"
      "<cause>sleepy</cause></HeldEvent>")));
}
