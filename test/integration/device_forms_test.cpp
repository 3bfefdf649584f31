// Device ids in the client's form over a real socket: a Lync-style client that names its line
// tel:1000;phone-context=dialstring reads that form back in the response and in every event,
// while a client that writes plain numbers, on the same server and the same device, reads
// plain numbers.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

TEST_CASE("a tel: client reads its own forms back, a plain client beside it plain numbers") {
  test_server server;
  csta_client lync(server.port());
  csta_client plain(server.port());
  const std::string line = "tel:1000;phone-context=dialstring";
  const std::string called = "tel:+4687001001";  // the demo plan's +468700NNNN is NNNN
  auto ref = start_monitor(lync, 1, line);
  auto plain_ref = start_monitor(plain, 1, "1000");

  auto made = lync.request(2, make_call(line, called));
  REQUIRE(made.xml.name == "MakeCallResponse");
  auto call = made.at("callingDevice/callID");
  REQUIRE_FALSE(call.empty());
  CHECK(made.at("callingDevice/deviceID") == line);

  auto a = lync.events_for(ref, 3);
  REQUIRE(a.size() == 3);
  check_event(a[0], "ServiceInitiatedEvent", ref, "initiated", "makeCall");
  CHECK(a[0].at("initiatedConnection/deviceID") == line);
  CHECK(a[0].at("initiatingDevice/deviceIdentifier") == line);
  check_event(a[1], "OriginatedEvent", ref, "connected", "newCall");
  CHECK(a[1].at("originatedConnection/callID") == call);
  CHECK(a[1].at("originatedConnection/deviceID") == line);
  CHECK(a[1].at("callingDevice/deviceIdentifier") == line);
  CHECK(a[1].at("calledDevice/deviceIdentifier") == called);
  check_event(a[2], "DeliveredEvent", ref, "connected", "newCall");
  CHECK(a[2].at("connection/deviceID") == called);
  CHECK(a[2].at("alertingDevice/deviceIdentifier") == called);
  CHECK(a[2].at("callingDevice/deviceIdentifier") == line);
  CHECK(a[2].at("calledDevice/deviceIdentifier") == called);

  auto p = plain.events_for(plain_ref, 3);
  REQUIRE(p.size() == 3);
  CHECK(p[1].at("originatedConnection/deviceID") == "1000");
  CHECK(p[1].at("callingDevice/deviceIdentifier") == "1000");
  CHECK(p[1].at("calledDevice/deviceIdentifier") == "1001");
  CHECK(p[2].at("connection/deviceID") == "1001");

  // The far end answers with the connection id the events gave, in the client's form.
  auto answered = lync.request(3, root("AnswerCall", ed3, connection("callToBeAnswered", call,
                                                                     a[2].at("connection/deviceID"))));
  CHECK(answered.xml.name == "AnswerCallResponse");
  auto e = lync.events_for(ref, 1);
  REQUIRE(e.size() == 1);
  check_event(e[0], "EstablishedEvent", ref, "connected", "newCall");
  CHECK(e[0].at("establishedConnection/deviceID") == called);
  CHECK(e[0].at("answeringDevice/deviceIdentifier") == called);
  CHECK(e[0].at("callingDevice/deviceIdentifier") == line);
  CHECK(e[0].at("calledDevice/deviceIdentifier") == called);
  p = plain.events_for(plain_ref, 1);
  REQUIRE(p.size() == 1);
  CHECK(p[0].at("establishedConnection/deviceID") == "1001");
  CHECK(p[0].at("callingDevice/deviceIdentifier") == "1000");

  // Hang up as sipe does: the callID and the deviceID learned from the events.
  auto cleared = lync.request(4, root("ClearConnection", ed3,
                                      connection("connectionToBeCleared", call, a[1].at("originatedConnection/deviceID"))));
  CHECK(cleared.xml.name == "ClearConnectionResponse");
  e = lync.events_for(ref, 1);
  REQUIRE(e.size() == 1);
  check_event(e[0], "ConnectionClearedEvent", ref, "null", "normalClearing");
  CHECK(e[0].at("droppedConnection/callID") == call);
  CHECK(e[0].at("droppedConnection/deviceID") == line);
  CHECK(e[0].at("releasingDevice/deviceIdentifier") == line);
  p = plain.events_for(plain_ref, 1);
  REQUIRE(p.size() == 1);
  CHECK(p[0].at("droppedConnection/deviceID") == "1000");
  CHECK(p[0].at("releasingDevice/deviceIdentifier") == "1000");

  // What names no device of the plan is refused as before.
  auto unknown = lync.request(5, monitor_start("tel:+4687009999;phone-context=dialstring"));
  CHECK(unknown.at("operation") == "invalidDeviceID");
}
