// Sessions and the LIM on the test coordinator: the order a client sees, the exchange's ring
// timers, ECMA-354 expiry, and a call monitor's filter, without sockets or sleeps.

#include "actor_fixture.hpp"

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "protocol/namespaces.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;

namespace {

const std::string ed3{protocol::ns_ed3};
const std::string appl{protocol::ns_appl_session};

std::string doc(const std::string& root, const std::string& body = {}, const std::string& ns = ed3) {
  return "<" + root + " xmlns=\"" + ns + "\">" + body + "</" + root + ">";
}

std::string monitor_start(const std::string& device) {
  return doc("MonitorStart", "<monitorObject><deviceObject>" + device + "</deviceObject></monitorObject>");
}

std::string make_call(const std::string& from, const std::string& to) {
  return doc("MakeCall", "<callingDevice>" + from + "</callingDevice><calledDirectoryNumber>" + to +
                             "</calledDirectoryNumber>");
}

// The names and states of the events for one monitor, in the order they arrived.
std::vector<std::string> events_of(const std::vector<wire_message>& wire, const std::string& cross_ref) {
  std::vector<std::string> out;
  for (auto& m : wire)
    if (m.what == wire_message::kind::notify && m.at("monitorCrossRefID") == cross_ref)
      out.push_back(m.name() + " " + m.at("localConnectionInfo") + " " + m.at("cause"));
  return out;
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE_FIXTURE(session_fixture, "a request's answer reaches the client before the events it causes") {
  auto c = connect();
  auto at_caller = request(c, 1, monitor_start("1000")).at(0).at("monitorCrossRefID");
  auto at_called = request(c, 2, monitor_start("1001")).at(0).at("monitorCrossRefID");
  REQUIRE(!at_caller.empty());
  REQUIRE(at_caller != at_called);
  auto wire = request(c, 3, make_call("1000", "1001"));
  REQUIRE(!wire.empty());
  CHECK(wire[0].what == wire_message::kind::reply);
  CHECK(wire[0].correlation == 3);
  CHECK(wire[0].name() == "MakeCallResponse");
  auto call = wire[0].at("callingDevice/callID");
  CHECK(call == "1000000000001");  // LIM 1's first call
  // Each monitor sees the call's events in the exchange's order.
  CHECK(events_of(wire, at_caller) == lines{"ServiceInitiatedEvent initiated makeCall",
                                            "OriginatedEvent connected newCall",
                                            "DeliveredEvent connected newCall"});
  CHECK(events_of(wire, at_called) == lines{"DeliveredEvent alerting newCall"});
  CHECK(wire.size() == 5);
}

TEST_CASE_FIXTURE(session_fixture, "the ring limit clears an unanswered call at exactly its time") {
  lim_config.timing.max_ring_time = 60s;
  auto c = connect();
  auto a = request(c, 1, monitor_start("1000")).at(0).at("monitorCrossRefID");
  auto b = request(c, 2, monitor_start("1001")).at(0).at("monitorCrossRefID");
  REQUIRE(request(c, 3, make_call("1000", "1001")).size() == 5);
  advance(59999ms);
  CHECK(c.take().empty());  // still ringing
  advance(1ms);
  auto wire = c.take();
  CHECK(events_of(wire, b) == lines{"ConnectionClearedEvent null callNotAnswered"});
  CHECK(events_of(wire, a) == lines{"ConnectionClearedEvent connected callNotAnswered",
                                    "ConnectionClearedEvent null callNotAnswered"});
  // Nothing more is due.
  advance(1h);
  CHECK(c.take().empty());
}

TEST_CASE_FIXTURE(session_fixture, "no-answer forwarding moves the call after its ring count") {
  lim_config.timing.ring_cycle = 5s;
  auto c = connect();
  auto b = request(c, 1, monitor_start("1001")).at(0).at("monitorCrossRefID");
  auto d = request(c, 2, monitor_start("1002")).at(0).at("monitorCrossRefID");
  CHECK(request(c, 3, doc("SetForwarding", "<device>1001</device><forwardingType>forwardNoAns</forwardingType>"
                                           "<activateForward>true</activateForward><forwardDN>1002</forwardDN>"
                                           "<ringCount>2</ringCount>"))
            .at(0)
            .name() == "SetForwardingResponse");
  request(c, 4, make_call("1000", "1001"));
  advance(9s);
  CHECK(c.take().empty());
  advance(1s);  // two rings of five seconds
  auto wire = c.take();
  CHECK(events_of(wire, b) == lines{"DivertedEvent null callForwardNoAnswer"});
  CHECK(events_of(wire, d) == lines{"DeliveredEvent alerting callForwardNoAnswer"});
}

TEST_CASE_FIXTURE(session_fixture, "an application session that is not kept alive ends at its deadline") {
  policy.min_duration = 10;
  auto c = connect();
  auto start = request(c, 1, "<StartApplicationSession xmlns=\"" + appl +
                                 "\"><applicationInfo><applicationID>test</applicationID></applicationInfo>"
                                 "<requestedSessionDuration>30</requestedSessionDuration></StartApplicationSession>");
  REQUIRE(start.size() == 1);
  CHECK(start[0].name() == "StartApplicationSessionPosResponse");
  auto id = start[0].at("sessionID");
  auto m = request(c, 2, monitor_start("1000")).at(0).at("monitorCrossRefID");
  advance(25s);
  auto reset = request(c, 3, "<ResetApplicationSessionTimer xmlns=\"" + appl + "\"><sessionID>" + id +
                                 "</sessionID><requestedSessionDuration>30</requestedSessionDuration>"
                                 "</ResetApplicationSessionTimer>");
  CHECK(reset.at(0).name() == "ResetApplicationSessionTimerPosResponse");
  advance(29s);  // 54 s: past the first deadline, before the new one
  CHECK(c.take().empty());
  advance(1s);  // 55 s: the new deadline
  auto end = c.take();
  REQUIRE(end.size() == 2);
  CHECK(end[0].name() == "ApplicationSessionTerminated");
  CHECK(end[0].at("sessionID") == id);
  CHECK(end[0].at("sessionTermReason/definedTermReason") == "sessionTimerExpired");
  CHECK(end[1].what == wire_message::kind::close);
  // Its monitor was released: a call at 1000 reaches nobody.
  auto other = connect();
  request(other, 1, make_call("1000", "1001"));
  CHECK(events_of(c.take(), m).empty());
}

TEST_CASE_FIXTURE(session_fixture, "a call monitor's filter change takes effect, and the monitor ends with its call") {
  auto c = connect();
  auto made = request(c, 1, make_call("1000", "1001"));
  auto call = made.at(0).at("callingDevice/callID");
  auto watch = request(c, 2, doc("MonitorStart", "<monitorObject><callObject><callID>" + call +
                                                     "</callID><deviceID>1000</deviceID></callObject></monitorObject>"))
                   .at(0)
                   .at("monitorCrossRefID");
  REQUIRE(!watch.empty());
  auto changed = request(c, 3, doc("ChangeMonitorFilter", "<monitorCrossRefID>" + watch +
                                                              "</monitorCrossRefID><requestedFilterList><callcontrol>"
                                                              "<established>true</established></callcontrol>"
                                                              "</requestedFilterList>"));
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].name() == "ChangeMonitorFilterResponse");
  auto answered = request(c, 4, doc("AnswerCall", "<callToBeAnswered><callID>" + call +
                                                      "</callID><deviceID>1001</deviceID></callToBeAnswered>"));
  CHECK(answered.size() == 1);  // the response; EstablishedEvent is filtered out
  CHECK(answered.at(0).name() == "AnswerCallResponse");
  auto cleared = request(c, 5, doc("ClearConnection", "<connectionToBeCleared><callID>" + call +
                                                          "</callID><deviceID>1000</deviceID></connectionToBeCleared>"));
  // A call monitor sees each releasing device's own state: 1000 leaves, then 1001, alone, too.
  CHECK(events_of(cleared, watch) == lines{"ConnectionClearedEvent null normalClearing",
                                           "ConnectionClearedEvent null normalClearing",
                                           "CallClearedEvent  normalClearing"});
  CHECK(cleared.at(1).at("releasingDevice/deviceIdentifier") == "1000");
  CHECK(cleared.at(2).at("releasingDevice/deviceIdentifier") == "1001");
  auto stop = request(c, 6, doc("MonitorStop", "<monitorCrossRefID>" + watch + "</monitorCrossRefID>"));
  CHECK(stop.at(0).at("operation") == "invalidMonitorCrossRefID");
}

TEST_CASE_FIXTURE(session_fixture, "monitors are per session: stopping one session's monitor leaves another's") {
  auto one = connect();
  auto two = connect();
  auto m1 = request(one, 1, monitor_start("1000")).at(0).at("monitorCrossRefID");
  auto m2 = request(two, 1, monitor_start("1000")).at(0).at("monitorCrossRefID");
  CHECK(m1 != m2);
  // Session two names session one's monitor: not its own, refused, and one keeps it.
  auto foreign = request(two, 2, doc("MonitorStop", "<monitorCrossRefID>" + m1 + "</monitorCrossRefID>"));
  CHECK(foreign.at(0).at("operation") == "invalidMonitorCrossRefID");
  request(two, 3, doc("MonitorStop", "<monitorCrossRefID>" + m2 + "</monitorCrossRefID>"));
  auto wire = request(one, 2, doc("SetDoNotDisturb", "<device>1000</device><doNotDisturbOn>true</doNotDisturbOn>"));
  CHECK(wire.at(0).name() == "SetDoNotDisturbResponse");
  CHECK(events_of(wire, m1) == lines{"DoNotDisturbEvent  "});
  CHECK(two.take().empty());
}

TEST_CASE_FIXTURE(actor_fixture, "the directory's ranges cross processes: serialised and read back, the same directory") {
  auto ranges = service::directory::from_plan(sim::number_plan::demo(), 2).ranges();
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  REQUIRE(!sink(ranges));
  std::vector<service::number_range> back;
  caf::binary_deserializer source{sys, buf};
  REQUIRE(!source(back));
  CHECK(back == ranges);
  service::directory dir{back};
  CHECK(dir.find("1042")->lim == 2);
  CHECK(dir.find("6000")->kind == sim::device_kind::acd_group);
  CHECK(dir.find("1100") == nullptr);
}

TEST_CASE_FIXTURE(actor_fixture, "a batch of messages crosses processes whole, what it shared copied in") {
  auto shared = std::make_shared<const std::string>("<E><id></id></E>");
  std::string_view text = *shared;
  message_batch batch;
  batch.add("<A/>");
  batch.add_around(shared, text.substr(0, 7), "12", text.substr(7));
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  REQUIRE(!sink(batch));
  message_batch back;
  caf::binary_deserializer source{sys, buf};
  REQUIRE(!source(back));
  REQUIRE(back.size() == 2);
  CHECK(back.text(0) == "<A/>");
  CHECK(back.text(1) == "<E><id>12</id></E>");
  CHECK(back[1].before.empty());  // its own text now
}

TEST_CASE_FIXTURE(session_fixture, "two monitors of one session on one device: one message, an event for each monitor that wants it") {
  auto c = connect();
  auto all = request(c, 1, monitor_start("1000")).at(0).at("monitorCrossRefID");
  auto quiet = request(c, 2, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"
                                                 "<requestedMonitorFilter><logicalDeviceFeature><doNotDisturb>true"
                                                 "</doNotDisturb></logicalDeviceFeature></requestedMonitorFilter>"))
                   .at(0)
                   .at("monitorCrossRefID");
  auto on = request(c, 3, doc("SetDoNotDisturb", "<device>1000</device><doNotDisturbOn>true</doNotDisturbOn>"));
  CHECK(events_of(on, all) == lines{"DoNotDisturbEvent  "});
  CHECK(events_of(on, quiet).empty());
  auto call = request(c, 4, make_call("1000", "1001"));
  CHECK(events_of(call, all).size() == 3);
  CHECK(events_of(call, quiet).size() == 3);
}
