// What cstaload and its trivial server read off the wire without parsing, the device lists of
// its command line, and the trivial server's frames: the events cstad sends for a call, in the
// same codec, with each monitor's cross-reference and the call id in place.

#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "protocol/csta_event.hpp"
#include "protocol/framing.hpp"
#include "protocol/xml_parser.hpp"
#include "tools/cstaload/options.hpp"
#include "tools/cstaload/trivial_frames.hpp"
#include "tools/cstaload/xml_peek.hpp"

using namespace cstad::load;
namespace proto = cstad::protocol;

TEST_CASE("root_local_name skips the declaration, comments and a prefix") {
  CHECK(root_local_name(R"(<?xml version="1.0"?><DeliveredEvent xmlns="x"><a/></DeliveredEvent>)") ==
        "DeliveredEvent");
  CHECK(root_local_name(R"(<!-- hi --><csta:MakeCallResponse xmlns:csta="x"/>)") == "MakeCallResponse");
  CHECK(root_local_name("<AnswerCallResponse/>") == "AnswerCallResponse");
  CHECK(root_local_name("no markup") == "");
  CHECK(root_local_name("<?xml version='1.0'?>") == "");
}

TEST_CASE("first_element_text finds whole element names only") {
  std::string xml = R"(<E><initiatedCallID>1</initiatedCallID><c:callID>42</c:callID><callID>43</callID></E>)";
  CHECK(first_element_text(xml, "callID") == "42");
  CHECK(first_element_text("<a><callID/><callID>7</callID></a>", "callID") == "7");
  CHECK_FALSE(first_element_text("<a><callID><x/></callID></a>", "callID"));
  CHECK_FALSE(first_element_text("<a>callID</a>", "callID"));
  CHECK(first_element_text("<a><sessionID></sessionID></a>", "sessionID") == "");
}

TEST_CASE("parse_device_list: numbers and ranges in order, leading zeros kept") {
  auto l = parse_device_list("1040-1042,1000,0098-0100");
  REQUIRE(l);
  CHECK(*l == std::vector<std::string>{"1040", "1041", "1042", "1000", "0098", "0099", "0100"});
  CHECK_FALSE(parse_device_list(""));
  CHECK_FALSE(parse_device_list("1099-1000"));
  CHECK_FALSE(parse_device_list("10a0"));
  CHECK_FALSE(parse_device_list("1000,"));
  CHECK_FALSE(parse_device_list("1-200000"));
  CHECK(call_pair(0) == std::pair<std::string, std::string>{"1040", "1041"});
  CHECK(call_pair(29) == std::pair<std::string, std::string>{"1098", "1099"});
}

namespace {

/// The frame's body decoded as an event (and its invoke id checked).
proto::csta_event event_of(const std::string& frame) {
  proto::frame_decoder d;
  d.feed(frame);
  auto r = d.next();
  REQUIRE(r.state == proto::frame_decoder::status::frame_ready);
  CHECK(r.value.invoke_id == proto::event_invoke_id);
  auto parsed = proto::parse_xml(r.value.body);
  auto* root = std::get_if<proto::xml_element>(&parsed);
  REQUIRE(root != nullptr);
  auto e = proto::decode_event(*root);
  REQUIRE(e);
  return *e;
}

}  // namespace

TEST_CASE("trivial frames: a call's events as cstad sends them, with the places filled in") {
  auto f = make_call_frames("1040", "1041");
  // Per monitor, as measured on cstad's demo exchange: 4 + 2 + 3 = 9 per call for a connection
  // that monitors both parties.
  CHECK(f.calling.made.size() == 3);
  CHECK(f.called.made.size() == 1);
  CHECK(f.calling.answered.size() + f.called.answered.size() == 2);
  CHECK(f.calling.cleared.size() + f.called.cleared.size() == 3);

  auto cross_ref = trivial_id(1000000000007ULL);
  auto call = trivial_id(1000000000042ULL);
  CHECK(cross_ref == "1000000000007");
  std::string out;
  f.calling.made[2].append(out, proto::event_invoke_id, cross_ref, call);
  auto delivered = event_of(out);
  CHECK(delivered.type == proto::event_type::delivered);
  CHECK(delivered.cross_ref == cross_ref);
  CHECK(delivered.connection.call == call);
  CHECK(delivered.connection.device == "1041");
  CHECK(delivered.calling == "1040");
  CHECK(delivered.called == "1041");

  out.clear();
  f.called.cleared[1].append(out, proto::event_invoke_id, cross_ref, call);
  auto cleared = event_of(out);
  CHECK(cleared.type == proto::event_type::connection_cleared);
  CHECK(cleared.subject == "1041");
  CHECK(cleared.local == proto::connection_state::null);

  out.clear();
  f.make_call_response.append(out, 17, {}, call);
  CHECK(out.substr(4, 4) == "0017");
  CHECK(first_element_text(out, "callID") == call);

  auto answers = make_answer_frames();
  out.clear();
  answers.monitor_start_response.append(out, 9998, cross_ref);
  CHECK(out.substr(4, 4) == "9998");
  CHECK(root_local_name(out.substr(8)) == "MonitorStartResponse");
  CHECK(first_element_text(out, "monitorCrossRefID") == cross_ref);
}
