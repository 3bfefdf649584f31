// Session recovery as Avaya DMCC clients do it (protocol.md 4.4), over real sockets: the
// connection drops, events keep coming, and the client comes back within the session's
// clean-up delay, resuming the old session by its id or moving its monitors to a new one with
// TransferMonitorObjects; every missed event follows, in order, with its old cross-reference.

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "actors/status.hpp"
#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "service/password_hash.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

const std::string appl = "http://www.ecma-international.org/standards/ecma-354/appl_session";
const std::string avaya = ed3 + "/priv4";

// The DMCC client's StartApplicationSession: acx:SessionLoginInfo with its clean-up delay and
// the session it carries on with (empty on a first start).
std::string dmcc_start(const std::string& user, int cleanup_delay, const std::string& session_id) {
  return root("StartApplicationSession", appl,
              "<applicationInfo><applicationID/><applicationSpecificInfo>"
              "<acx:SessionLoginInfo xsi:type=\"acx:SessionLoginInfo\" xmlns:acx=\"http://www.avaya.com/csta\" "
              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><acx:userName>" + user +
                  "</acx:userName><acx:password>secret</acx:password><acx:sessionCleanupDelay>" +
                  std::to_string(cleanup_delay) + "</acx:sessionCleanupDelay><acx:sessionID>" + session_id +
                  "</acx:sessionID></acx:SessionLoginInfo></applicationSpecificInfo></applicationInfo>"
                  "<requestedProtocolVersions><protocolVersion>" + avaya +
                  "</protocolVersion></requestedProtocolVersions><requestedSessionDuration>180"
                  "</requestedSessionDuration>");
}

std::vector<cstad::service::account> accounts() {
  std::vector<cstad::service::account> out(2);
  out[0].user = "desk";
  out[1].user = "other";
  for (auto& a : out)
    a.password_hash = cstad::service::hash_password("secret");
  return out;
}

cstad::service::session_policy policy() {
  cstad::service::session_policy p;
  p.required = true;
  p.min_duration = 1;
  return p;
}

struct lost_session {
  std::string id;
  std::string monitor;  // on 1000
};

// Waits until the server has noticed the lost connection (the session is detached): events
// sent before that went to the connection that was lost, like data in flight on any TCP.
void wait_detached(test_server& server, std::uint64_t n = 1) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && server.status().sessions.detached != n)
    std::this_thread::yield();
  REQUIRE(server.status().sessions.detached == n);
}

// A DMCC client logs on, monitors 1000 and loses its connection; then a call to 1000 rings and
// is cleared while it is away: three events it missed.
lost_session lose_connection_and_miss_a_call(test_server& server, int cleanup_delay) {
  lost_session out;
  {
    csta_client client(server.port());
    auto ok = client.request(1, dmcc_start("desk", cleanup_delay, ""));
    REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
    out.id = ok.at("sessionID");
    out.monitor = start_monitor(client, 2, "1000", avaya);
  }  // the connection drops
  if (cleanup_delay >= 10)  // a shorter delay may be over before the first look
    wait_detached(server);
  csta_client caller(server.port());
  REQUIRE(caller.request(1, dmcc_start("other", 0, "")).xml.name == "StartApplicationSessionPosResponse");
  auto call = caller.request(2, make_call("1001", "1000"));
  REQUIRE(call.xml.name == "MakeCallResponse");
  REQUIRE(caller.request(3, root("ClearConnection", ed3, connection("connectionToBeCleared",
                                                                    call.at("callingDevice/callID"), "1001")))
              .xml.name == "ClearConnectionResponse");
  return out;
}

// The events the client reads next for the monitor, until `n` or silence.
std::vector<received> missed(csta_client& client, const std::string& monitor, std::size_t n) {
  return client.events_for(monitor, n);
}

// What 1000's monitor saw of the call: it rang, the caller hung up, and 1000's side cleared.
void check_missed_call(const std::vector<received>& events, const std::string& monitor) {
  REQUIRE(events.size() == 3);
  CHECK(events[0].xml.name == "DeliveredEvent");
  CHECK(events[0].at("alertingDevice/deviceIdentifier") == "1000");
  CHECK(events[1].xml.name == "ConnectionClearedEvent");
  CHECK(events[1].at("releasingDevice/deviceIdentifier") == "1001");
  CHECK(events[2].xml.name == "ConnectionClearedEvent");
  CHECK(events[2].at("releasingDevice/deviceIdentifier") == "1000");
  for (auto& e : events) {
    CHECK(e.xml.ns == avaya);  // the namespace of its MonitorStart
    CHECK(e.at("monitorCrossRefID") == monitor);
  }
}

}  // namespace

TEST_CASE("a DMCC client resumes its session by id within the clean-up delay and gets every missed event") {
  test_server server({}, policy(), {}, {}, accounts());
  auto lost = lose_connection_and_miss_a_call(server, 60);

  csta_client back(server.port());
  auto ok = back.request(1, dmcc_start("desk", 60, lost.id));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  CHECK(ok.at("sessionID") == lost.id);  // the same session goes on
  check_missed_call(missed(back, lost.monitor, 3), lost.monitor);
  // The monitor is this connection's now: new events come, MonitorStop works.
  csta_client caller(server.port());
  REQUIRE(caller.request(1, dmcc_start("other", 0, "")).xml.name == "StartApplicationSessionPosResponse");
  REQUIRE(caller.request(2, make_call("1002", "1000")).xml.name == "MakeCallResponse");
  auto fresh = back.events_for(lost.monitor, 1);
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].xml.name == "DeliveredEvent");
  CHECK(back.request(2, root("ResetApplicationSessionTimer", appl, "<sessionID>" + lost.id +
                                                                      "</sessionID><requestedSessionDuration>120"
                                                                      "</requestedSessionDuration>"))
            .xml.name == "ResetApplicationSessionTimerPosResponse");
  CHECK(back.request(3, root("MonitorStop", avaya, "<monitorCrossRefID>" + lost.monitor + "</monitorCrossRefID>"))
            .xml.name == "MonitorStopResponse");
}

TEST_CASE("a DMCC client that starts afresh moves the old monitors over with TransferMonitorObjects") {
  test_server server({}, policy(), {}, {}, accounts());
  auto lost = lose_connection_and_miss_a_call(server, 60);

  csta_client back(server.port());
  auto ok = back.request(1, dmcc_start("desk", 60, ""));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  auto id = ok.at("sessionID");
  CHECK(id != lost.id);
  // Not from itself, not to another session: the standard error.
  auto self_transfer = back.request(2, root("TransferMonitorObjects", avaya, "<fromSessionID>" + id +
                                                                             "</fromSessionID><toSessionID>" + id +
                                                                             "</toSessionID>"));
  CHECK(self_transfer.at("operation") == "invalidParameterValue");
  auto moved = back.request(3, root("TransferMonitorObjects", avaya, "<fromSessionID>" + lost.id +
                                                                     "</fromSessionID><toSessionID>" + id +
                                                                     "</toSessionID>"));
  CHECK(moved.xml.name == "TransferMonitorObjectsResponse");
  CHECK(moved.xml.ns == avaya);
  check_missed_call(missed(back, lost.monitor, 3), lost.monitor);
  // Once moved, the old session is gone: a second transfer finds nothing.
  auto again = back.request(4, root("TransferMonitorObjects", avaya, "<fromSessionID>" + lost.id +
                                                                     "</fromSessionID><toSessionID>" + id +
                                                                     "</toSessionID>"));
  CHECK(again.at("operation") == "objectNotKnown");
}

TEST_CASE("another user cannot take a lost session over, and after the delay it is gone with its monitors") {
  test_server server({}, policy(), {}, {}, accounts());
  auto lost = lose_connection_and_miss_a_call(server, 1);
  {
    csta_client thief(server.port());
    auto refused = thief.request(1, [&] {
      auto xml = dmcc_start("other", 60, lost.id);
      return xml;
    }());
    CHECK(refused.xml.name == "StartApplicationSessionNegResponse");
    CHECK(refused.at("errorCode/definedError") == "invalidApplicationInfo");
  }
  // Past the clean-up delay the session ends and its monitor is released.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && server.status().lims.at(0).watched_devices != 0)
    std::this_thread::yield();
  CHECK(server.status().lims.at(0).watched_devices == 0);
  csta_client late(server.port());
  auto neg = late.request(1, dmcc_start("desk", 60, lost.id));
  CHECK(neg.xml.name == "StartApplicationSessionNegResponse");
  // As a DMCC client does then: a fresh session; the old monitors are not there to move.
  auto ok = late.request(2, dmcc_start("desk", 60, ""));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  auto transfer = late.request(3, root("TransferMonitorObjects", avaya, "<fromSessionID>" + lost.id +
                                                                        "</fromSessionID><toSessionID>" +
                                                                        ok.at("sessionID") + "</toSessionID>"));
  CHECK(transfer.at("operation") == "objectNotKnown");
}

TEST_CASE("without a clean-up delay a lost connection's session ends at once, as before") {
  test_server server({}, policy(), {}, {}, accounts());
  std::string id;
  {
    csta_client client(server.port());
    auto ok = client.request(1, root("StartApplicationSession", appl,
                                     "<applicationInfo><applicationID>App</applicationID><applicationSpecificInfo>"
                                     "<SessionLoginInfo><userName>desk</userName><password>secret</password>"
                                     "</SessionLoginInfo></applicationSpecificInfo></applicationInfo>"));
    REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
    id = ok.at("sessionID");
    start_monitor(client, 2, "1000");
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && server.status().lims.at(0).watched_devices != 0)
    std::this_thread::yield();
  CHECK(server.status().lims.at(0).watched_devices == 0);
  csta_client back(server.port());
  CHECK(back.request(1, dmcc_start("desk", 60, id)).xml.name == "StartApplicationSessionNegResponse");
}

TEST_CASE("a routeing application that recovers its session keeps its registration and answers the held RouteRequest") {
  test_server server({}, policy(), {}, {}, accounts());
  std::string id, reg;
  {
    csta_client app(server.port());
    auto ok = app.request(1, dmcc_start("desk", 60, ""));
    REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
    id = ok.at("sessionID");
    auto registered = app.request(2, root("RouteRegister", avaya, "<routeingDevice>6100</routeingDevice>"));
    REQUIRE(registered.xml.name == "RouteRegisterResponse");
    reg = registered.at("routeRegisterReqID");
  }  // the connection drops; a call for the routed group comes meanwhile
  wait_detached(server);
  auto call = server.incoming_call("0812345", "6100");
  csta_client back(server.port());
  REQUIRE(back.request(1, dmcc_start("desk", 60, id)).xml.name == "StartApplicationSessionPosResponse");
  auto ask = back.next();
  REQUIRE(ask);
  REQUIRE(ask->xml.name == "RouteRequest");
  CHECK(ask->at("routeRegisterReqID") == reg);
  CHECK(ask->at("routedCall/callID") == call);
  back.send(2, root("RouteSelect", avaya, "<routeRegisterReqID>" + reg + "</routeRegisterReqID><routingCrossRefID>" +
                                              ask->at("routingCrossRefID") +
                                              "</routingCrossRefID><routeSelected>1000</routeSelected>"));
  auto end = back.next();
  REQUIRE(end);
  CHECK_MESSAGE(end->xml.name == "RouteEnd", end->body);
  CHECK(end->xml.child("errorValue") == nullptr);  // routed: the registration is this session's now
}

TEST_CASE("a client whose old connection is still open takes its session over, and the old connection is closed") {
  test_server server({}, policy(), {}, {}, accounts());
  csta_client old(server.port());
  auto ok = old.request(1, dmcc_start("desk", 60, ""));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  auto monitor = start_monitor(old, 2, "1000", avaya);
  csta_client back(server.port());
  auto resumed = back.request(1, dmcc_start("desk", 60, ok.at("sessionID")));
  REQUIRE(resumed.xml.name == "StartApplicationSessionPosResponse");
  CHECK(old.closed_by_server());
  csta_client caller(server.port());
  REQUIRE(caller.request(1, dmcc_start("other", 0, "")).xml.name == "StartApplicationSessionPosResponse");
  REQUIRE(caller.request(2, make_call("1001", "1000")).xml.name == "MakeCallResponse");
  auto events = back.events_for(monitor, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].xml.name == "DeliveredEvent");
}
