// ECMA-354 application sessions over a real socket: required sessions, authentication,
// keep-alive, stop, and expiry with ApplicationSessionTerminated.

#include <doctest/doctest.h>

#include "csta_client.hpp"
#include "service/password_hash.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad::test;

namespace {

const std::string appl = "http://www.ecma-international.org/standards/ecma-354/appl_session";

std::string start_session(const std::string& user, const std::string& password, int duration,
                          const std::string& version = ed4) {
  return root("StartApplicationSession", appl,
              "<applicationInfo><applicationID>TestApp</applicationID><applicationSpecificInfo>"
              "<ns1:SessionLoginInfo xmlns:ns1=\"http://www.avaya.com/csta\"><ns1:userName>" + user +
                  "</ns1:userName><ns1:password>" + password +
                  "</ns1:password></ns1:SessionLoginInfo></applicationSpecificInfo></applicationInfo>"
                  "<requestedProtocolVersions><protocolVersion>" + version +
                  "</protocolVersion></requestedProtocolVersions><requestedSessionDuration>" +
                  std::to_string(duration) + "</requestedSessionDuration>");
}

cstad::service::session_policy required() {
  cstad::service::session_policy p;
  p.required = true;
  p.min_duration = 1;
  return p;
}

std::vector<cstad::service::account> app_account() {
  cstad::service::account a;
  a.user = "app";
  a.password_hash = cstad::service::hash_password("secret");
  return {a};
}

}  // namespace

TEST_CASE("a required, authenticated session: refused before, served after, stopped") {
  test_server server({}, required(), {}, {}, app_account());
  csta_client client(server.port());
  auto early = client.request(1, monitor_start("1000"));
  CHECK(early.xml.name == "CSTAErrorCode");
  CHECK(early.at("security") == "generic");

  auto wrong = client.request(2, start_session("app", "guess", 120));
  CHECK(wrong.xml.name == "StartApplicationSessionNegResponse");
  CHECK(wrong.xml.ns == appl);
  CHECK(wrong.at("errorCode/definedError") == "invalidApplicationInfo");

  auto ok = client.request(3, start_session("app", "secret", 120));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  auto id = ok.at("sessionID");
  CHECK_FALSE(id.empty());
  CHECK(ok.at("actualProtocolVersion") == ed4);
  CHECK(ok.at("actualSessionDuration") == "120");

  // The negotiated edition is used from now on, even for namespace-less requests.
  auto monitor = client.request(4, monitor_start("1000", ""));
  CHECK(monitor.xml.name == "MonitorStartResponse");
  CHECK(monitor.xml.ns == ed4);

  auto reset = client.request(5, root("ResetApplicationSessionTimer", appl,
                                      "<sessionID>" + id + "</sessionID><requestedSessionDuration>60</requestedSessionDuration>"));
  CHECK(reset.xml.name == "ResetApplicationSessionTimerPosResponse");
  CHECK(reset.at("actualSessionDuration") == "60");
  auto bad_reset = client.request(6, root("ResetApplicationSessionTimer", appl, "<sessionID>nope</sessionID>"));
  CHECK(bad_reset.at("errorCode/definedError") == "invalidSessionID");

  auto stop = client.request(7, root("StopApplicationSession", appl,
                                     "<sessionID>" + id + "</sessionID><sessionEndReason><definedEndReason>normal</definedEndReason></sessionEndReason>"));
  CHECK(stop.xml.name == "StopApplicationSessionPosResponse");
  CHECK(client.request(8, monitor_start("1000")).at("security") == "generic");
}

TEST_CASE("a session that is not kept alive ends with ApplicationSessionTerminated") {
  test_server server({}, required(), {}, {}, app_account());
  csta_client client(server.port());
  auto ok = client.request(1, start_session("app", "secret", 1));
  REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
  CHECK(ok.at("actualSessionDuration") == "1");
  auto ended = client.next(std::chrono::seconds(5));
  REQUIRE(ended);
  CHECK(ended->invoke_id == 9999);
  CHECK(ended->xml.name == "ApplicationSessionTerminated");
  CHECK(ended->at("sessionID") == ok.at("sessionID"));
  CHECK(ended->at("sessionTermReason/definedTermReason") == "sessionTimerExpired");
  CHECK(client.closed_by_server());
}

TEST_CASE("sessions are optional by default, and protocol versions are negotiated") {
  test_server server;
  csta_client client(server.port());
  CHECK(client.request(1, monitor_start("1000")).xml.name == "MonitorStartResponse");
  auto foreign = client.request(2, start_session("x", "y", 60, "urn:not-csta"));
  CHECK(foreign.at("errorCode/definedError") == "requestedProtocolVersionNotSupported");
  auto ok = client.request(3, start_session("anyone", "anything", 60));
  CHECK(ok.xml.name == "StartApplicationSessionPosResponse");
  auto twice = client.request(4, start_session("anyone", "anything", 60));
  CHECK(twice.at("errorCode/definedError") == "maxNumberSessions");
  auto broken = client.request(5, root("StopApplicationSession", appl, ""));
  CHECK(broken.xml.name == "StopApplicationSessionNegResponse");
  CHECK(broken.at("errorCode/definedError") == "invalidSessionID");
}

TEST_CASE("Avaya DMCC's empty applicationID starts a session unless the account lists its applications") {
  // The DMCC client's shape [protocol.md 4.4]: <applicationID/> and acx:SessionLoginInfo with an
  // empty sessionID on a first start.
  auto dmcc_start = [](const std::string& user, const std::string& empty_id) {
    return root("StartApplicationSession", appl,
                "<applicationInfo>" + empty_id +
                    "<applicationSpecificInfo><acx:SessionLoginInfo xsi:type=\"acx:SessionLoginInfo\" "
                    "xmlns:acx=\"http://www.avaya.com/csta\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                    "<acx:userName>" + user + "</acx:userName><acx:password>secret</acx:password>"
                    "<acx:sessionCleanupDelay>180</acx:sessionCleanupDelay><acx:sessionID></acx:sessionID>"
                    "</acx:SessionLoginInfo></applicationSpecificInfo></applicationInfo>"
                    "<requestedProtocolVersions><protocolVersion>" + ed3 +
                    "/priv4</protocolVersion></requestedProtocolVersions>"
                    "<requestedSessionDuration>180</requestedSessionDuration>");
  };
  auto accounts = app_account();
  cstad::service::account dialer;
  dialer.user = "dialer";
  dialer.password_hash = cstad::service::hash_password("secret");
  dialer.applications = {"Dialer"};
  accounts.push_back(dialer);
  test_server server({}, required(), {}, {}, accounts);

  csta_client refused(server.port());
  auto neg = refused.request(1, dmcc_start("dialer", "<applicationID/>"));
  CHECK(neg.invoke_id == 1);
  CHECK(neg.xml.name == "StartApplicationSessionNegResponse");
  CHECK(neg.at("errorCode/definedError") == "invalidApplicationInfo");

  for (auto empty_id : {"<applicationID/>", "<applicationID></applicationID>"}) {
    csta_client client(server.port());
    auto ok = client.request(2, dmcc_start("app", empty_id));
    CHECK(ok.invoke_id == 2);
    REQUIRE(ok.xml.name == "StartApplicationSessionPosResponse");
    CHECK(ok.xml.ns == appl);
    CHECK_FALSE(ok.at("sessionID").empty());
    CHECK(ok.at("actualProtocolVersion") == ed3 + "/priv4");
    CHECK(ok.at("actualSessionDuration") == "180");
    CHECK(client.request(3, monitor_start("1000")).xml.name == "MonitorStartResponse");
  }
}

TEST_CASE("an account restricted to devices: the desk of 1010 cannot monitor 1011 or clear its calls") {
  cstad::service::account desk;
  desk.user = "desk1010";
  desk.password_hash = cstad::service::hash_password("secret");
  desk.devices = {"1010", "1050-1059"};
  cstad::service::account supervisor;
  supervisor.user = "supervisor";
  supervisor.password_hash = cstad::service::hash_password("boss");
  test_server server({}, required(), {}, {}, {desk, supervisor});

  csta_client boss(server.port());
  REQUIRE(boss.request(1, start_session("supervisor", "boss", 120)).xml.name == "StartApplicationSessionPosResponse");
  auto other_call = boss.request(2, make_call("1011", "1012")).at("callingDevice/callID");
  REQUIRE_FALSE(other_call.empty());

  csta_client client(server.port());
  REQUIRE(client.request(1, start_session("desk1010", "secret", 120)).xml.name == "StartApplicationSessionPosResponse");
  auto refused = [&](int invoke, const std::string& xml) {
    auto r = client.request(invoke, xml);
    CHECK(r.xml.name == "CSTAErrorCode");
    CHECK(r.xml.ns == ed4);
    CHECK(r.at("operation") == "privilegeViolationSpecifiedDevice");
  };
  // Its own devices: monitored and controlled as usual, and it may call anyone.
  auto own = client.request(2, monitor_start("1010", ed4));
  CHECK(own.xml.name == "MonitorStartResponse");
  CHECK(client.request(3, monitor_start("1055", ed4)).xml.name == "MonitorStartResponse");
  auto own_call = client.request(4, make_call("1010", "1011"));
  REQUIRE(own_call.xml.name == "MakeCallResponse");
  // Any other device: refused, whatever the request.
  refused(5, monitor_start("1011", ed4));
  refused(6, monitor_start("1060", ed4));
  refused(7, root("MakeCall", ed4, "<callingDevice>1011</callingDevice><calledDirectoryNumber>1010</calledDirectoryNumber>"));
  refused(8, root("ClearConnection", ed4, connection("connectionToBeCleared", other_call, "1011")));
  refused(9, root("SetDoNotDisturb", ed4, "<device>1011</device><doNotDisturbOn>true</doNotDisturbOn>"));
  refused(10, root("SnapshotDevice", ed4, "<snapshotObject>1011</snapshotObject>"));
  // A call named by its id alone: only a call with one of its devices on it.
  refused(11, root("ClearCall", ed4, "<callToBeCleared><callID>" + other_call + "</callID></callToBeCleared>"));
  refused(12, root("MonitorStart", ed4, "<monitorObject>" + connection("callObject", other_call, "1011") +
                                            "</monitorObject>"));
  // The supervisor's call is still there: nothing was done to it.
  auto snapshot = boss.request(3, root("SnapshotCall", ed4, connection("snapshotObject", other_call, "1011")));
  CHECK(snapshot.xml.name == "SnapshotCallResponse");
  // Its own call by id: allowed.
  auto own_id = own_call.at("callingDevice/callID");
  CHECK(client.request(13, root("ClearCall", ed4, "<callToBeCleared><callID>" + own_id + "</callID></callToBeCleared>"))
            .xml.name == "ClearCallResponse");
}
