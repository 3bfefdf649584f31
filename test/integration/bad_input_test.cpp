// Bad input gets the standard error and never takes the server down for anyone else.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

const std::string ed3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3";

std::string doc(const std::string& name, const std::string& inner) {
  return "<" + name + " xmlns=\"" + ed3 + "\">" + inner + "</" + name + ">";
}

void expect_error(const received& r, int invoke, const std::string& category,
                  const std::string& value) {
  CHECK(r.invoke_id == invoke);
  CHECK(r.xml.name == "CSTAErrorCode");
  CHECK(r.xml.ns == ed3);
  REQUIRE(r.xml.children.size() == 1);
  CHECK(r.xml.children[0].name == category);
  CHECK(r.xml.children[0].text == value);
}

// After each bad input, a fresh connection must still be served.
void server_still_serves(test_server& server) {
  csta_client fresh(server.port());
  auto r = fresh.request(1, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"));
  CHECK(r.xml.name == "MonitorStartResponse");
}

}  // namespace

TEST_CASE("a frame whose first bytes are not zero: error with its invoke id, then close") {
  test_server server;
  {
    csta_client client(server.port());
    auto f = *cstad::protocol::encode_frame(17, doc("MonitorStop", "<monitorCrossRefID>1</monitorCrossRefID>"));
    f[0] = '\x01';
    client.send_raw(f);
    auto r = client.next();
    REQUIRE(r);
    expect_error(*r, 17, "operation", "generic");
    CHECK(client.closed_by_server());
  }
  server_still_serves(server);
}

TEST_CASE("valid requests and then garbage in one write: the requests are answered before the close") {
  test_server server;
  {
    csta_client client(server.port());
    auto monitor = *cstad::protocol::encode_frame(
        5, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"));
    auto call = *cstad::protocol::encode_frame(
        6, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>"));
    auto broken = *cstad::protocol::encode_frame(7, doc("MonitorStop", "<monitorCrossRefID>1</monitorCrossRefID>"));
    broken[0] = '\x01';
    client.send_raw(monitor + call + broken);
    // Every frame the server sends before it closes, whatever the order of the answers.
    std::map<int, std::string> answers;
    while (auto r = client.next(std::chrono::seconds(5)))
      if (r->invoke_id != 9999)
        answers[r->invoke_id] = r->xml.name;
    CHECK(answers == std::map<int, std::string>{
                         {5, "MonitorStartResponse"}, {6, "MakeCallResponse"}, {7, "CSTAErrorCode"}});
    CHECK(client.closed_by_server());
  }
  server_still_serves(server);
}

TEST_CASE("a length under 8: error with its invoke id, then close") {
  test_server server;
  {
    csta_client client(server.port());
    client.send_raw(std::string("\x00\x00\x00\x04" "0021", 8));
    auto r = client.next();
    REQUIRE(r);
    expect_error(*r, 21, "operation", "generic");
    CHECK(client.closed_by_server());
  }
  server_still_serves(server);
}

TEST_CASE("an unreadable invoke id: no answer can be addressed, the connection closes") {
  test_server server;
  {
    csta_client client(server.port());
    client.send_raw(std::string("\x00\x00\x00\x0c" "ab12<a/>", 12));
    CHECK(client.closed_by_server());
    CHECK(client.pending_events().empty());
  }
  server_still_serves(server);
}

TEST_CASE("XML that is not well-formed: error, and the connection keeps working") {
  test_server server;
  csta_client client(server.port());
  expect_error(client.request(5, "<MonitorStart><monitorObject>"), 5, "operation",
               "invalidParameterValue");
  expect_error(client.request(6, "<!DOCTYPE a [<!ENTITY x 'y'>]><MonitorStart/>"), 6, "operation",
               "invalidParameterValue");
  expect_error(client.request(7, std::string("<a>\xff</a>")), 7, "operation", "invalidParameterValue");
  auto ok = client.request(8, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"));
  CHECK(ok.xml.name == "MonitorStartResponse");
}

TEST_CASE("an unknown device is invalidDeviceID") {
  test_server server;
  csta_client client(server.port());
  expect_error(client.request(1, doc("MonitorStart", "<monitorObject><deviceObject>5555</deviceObject></monitorObject>")),
               1, "operation", "invalidDeviceID");
  expect_error(client.request(2, doc("MakeCall", "<callingDevice>5555</callingDevice><calledDirectoryNumber>1000</calledDirectoryNumber>")),
               2, "operation", "invalidCallingDeviceID");
}

TEST_CASE("a call to a number that does not exist fails with numberUnallocated") {
  test_server server;
  csta_client client(server.port());
  auto ref = client.request(1, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"))
                 .at("monitorCrossRefID");
  auto made = client.request(2, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>5555</calledDirectoryNumber>"));
  REQUIRE(made.xml.name == "MakeCallResponse");
  auto events = client.events_for(ref, 3);
  REQUIRE(events.size() == 3);
  CHECK(events[0].xml.name == "ServiceInitiatedEvent");
  CHECK(events[1].xml.name == "OriginatedEvent");
  CHECK(events[2].xml.name == "FailedEvent");
  CHECK(events[2].at("failedConnection/callID") == made.at("callingDevice/callID"));
  CHECK(events[2].at("failedConnection/deviceID") == "5555");
  CHECK(events[2].at("failingDevice/deviceIdentifier") == "5555");
  CHECK(events[2].at("localConnectionInfo") == "fail");
  CHECK(events[2].at("cause") == "numberUnallocated");
}

TEST_CASE("an unknown request is serviceNotSupported") {
  test_server server;
  csta_client client(server.port());
  expect_error(client.request(9998, doc("TeleportCall", "<x>1</x>")), 9998, "operation",
               "serviceNotSupported");
}

TEST_CASE("requests on calls that do not exist") {
  test_server server;
  csta_client client(server.port());
  auto answer = [](const std::string& call, const std::string& dev) {
    return doc("AnswerCall", "<callToBeAnswered><callID>" + call + "</callID><deviceID>" + dev +
                                 "</deviceID></callToBeAnswered>");
  };
  expect_error(client.request(1, answer("4711", "1000")), 1, "operation", "invalidCallID");
  expect_error(client.request(2, answer("not-a-call", "1000")), 2, "operation", "invalidCallID");
  auto made = client.request(3, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>"));
  auto call = made.at("callingDevice/callID");
  expect_error(client.request(4, answer(call, "1002")), 4, "operation", "invalidConnectionID");
  expect_error(client.request(5, answer(call, "9999")), 5, "operation", "invalidConnectionID");
  expect_error(client.request(6, answer(call, "1000")), 6, "stateIncompatibility",
               "invalidConnectionState");
  expect_error(client.request(7, doc("ClearConnection", "<connectionToBeCleared><callID>99</callID><deviceID>1000</deviceID></connectionToBeCleared>")),
               7, "operation", "invalidCallID");
}

TEST_CASE("a client that vanishes mid-call does not disturb the others") {
  test_server server;
  csta_client watcher(server.port());
  auto ref = watcher.request(1, doc("MonitorStart", "<monitorObject><deviceObject>1001</deviceObject></monitorObject>"))
                 .at("monitorCrossRefID");
  {
    csta_client leaver(server.port());
    leaver.request(1, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"));
    leaver.send(2, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>"));
    // Also leave half a frame behind.
    leaver.send_raw(std::string("\x00\x00\x01\x00" "00", 6));
  }
  auto events = watcher.events_for(ref, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].xml.name == "DeliveredEvent");
  server_still_serves(server);
}

TEST_CASE("half a frame and then silence: the connection is closed at its deadline, others go on") {
  cstad::transport::write_limits limits;
  limits.frame_deadline = std::chrono::milliseconds(300);
  test_server server({}, {}, {}, limits);
  csta_client slow(server.port());
  csta_client other(server.port());
  // A whole first frame is answered; then a header promising 200 bytes, and only 20 of them.
  CHECK(slow.request(1, monitor_start("1000")).xml.name == "MonitorStartResponse");
  std::string header{"\0\0", 2};
  header += static_cast<char>(0);
  header += static_cast<char>(208);
  header += "0002";
  slow.send_raw(header + std::string(20, '<'));
  auto started = std::chrono::steady_clock::now();
  CHECK(slow.closed_by_server(std::chrono::seconds(5)));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took >= std::chrono::milliseconds(250));
  // A client that sends its frames whole, however slowly between them, is not affected.
  CHECK(other.request(1, monitor_start("1001")).xml.name == "MonitorStartResponse");
}
