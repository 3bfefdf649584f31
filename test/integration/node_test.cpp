// The node over real sockets: its status counts what clients did, and a client that stops
// reading is cut off at its bound while the others are served.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "actors/status.hpp"
#include "csta_client.hpp"
#include "csta_xml.hpp"
#include "test_server.hpp"

using namespace cstad;
using namespace cstad::test;

namespace {

// The status once the node has seen every connection end (sessions end asynchronously).
node_status status_when(test_server& server, bool (*done)(const node_status&)) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto s = server.status();
  while (!done(s) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
    s = server.status();
  }
  return s;
}

std::string dnd(bool on) {
  return root("SetDoNotDisturb", ed3,
              std::string{"<device>1000</device><doNotDisturbOn>"} + (on ? "true" : "false") +
                  "</doNotDisturbOn>");
}

}  // namespace

TEST_CASE("the node's status counts sessions, monitors, frames, bytes, errors and events") {
  test_server server;
  {
    csta_client client(server.port());
    auto a = start_monitor(client, 1, "1000");
    start_monitor(client, 2, "1001");
    auto made = client.request(3, make_call("1000", "1001"));
    REQUIRE(made.xml.name == "MakeCallResponse");
    client.events_for(a, 3);
    CHECK(client.request(4, monitor_start("4242")).at("operation") == "invalidDeviceID");
    CHECK(client.request(5, root("Escape", ed3, "")).at("privateData") == "cSTAPrivateDataInfoError");

    auto s = server.status();
    CHECK(s.sessions_open == 1);
    CHECK(s.sessions.sessions == 1);
    CHECK(s.sessions.requests == 5);
    CHECK(s.sessions.monitors == 2);
    CHECK(s.sessions.events == 4);  // three at 1000, one at 1001
    CHECK(s.sessions.errors_of(protocol::error_category::operation) == 1);
    CHECK(s.sessions.errors_of(protocol::error_category::private_data) == 1);
    REQUIRE(s.listeners.size() == 1);
    CHECK(s.listeners[0].role.name() == "xml/tcp");
    CHECK(s.listeners[0].port == server.port());
    CHECK(s.listeners[0].open == 1);
    CHECK(s.carriers().frames_in == 5);
    CHECK(s.carriers().frames_out == 5 + 4);
    CHECK(s.carriers().bytes_in > 0);
    CHECK(s.carriers().bytes_out > s.carriers().bytes_in);
    REQUIRE(s.lims.size() == 1);
    CHECK(s.lims[0].id == 1);
    CHECK(s.lims[0].calls == 1);
    CHECK(s.lims[0].watched_devices == 2);
  }
  // The client is gone: what it did stays counted; its monitors are released.
  auto s = status_when(server, [](const node_status& s) { return s.sessions_open == 0; });
  CHECK(s.sessions_open == 0);
  CHECK(s.sessions.sessions == 1);
  CHECK(s.sessions.requests == 5);
  CHECK(s.sessions.monitors == 0);
  CHECK(s.listeners[0].open == 0);
  CHECK(s.carriers().connections == 1);
  CHECK(s.carriers().frames_in == 5);
}

TEST_CASE("a client that stops reading is cut off at its bound, and the others are served") {
  transport::write_limits limits;
  limits.in_flight = 64 * 1024;
  limits.queued = 256 * 1024;
  test_server server({}, {}, {}, limits);
  csta_client sleeper(server.port());
  start_monitor(sleeper, 1, "1000");
  // From here on the sleeper reads nothing; every DND change at 1000 is an event for it.
  csta_client worker(server.port());
  bool on = false;
  node_status s;
  for (int batch = 0; batch < 200 && s.carriers().overflows == 0; ++batch) {
    for (int i = 0; i < 500; ++i)
      worker.send(1 + i, dnd(on = !on));
    for (int i = 0; i < 500; ++i)
      REQUIRE(worker.next());
    s = server.status();
  }
  CHECK(s.carriers().overflows == 1);
  // The worker is still served; the sleeper's connection is closed.
  CHECK(worker.request(1, root("RequestSystemStatus", ed3, "")).at("systemStatus") == "normal");
  CHECK(sleeper.closed_by_server(std::chrono::seconds(10)));
  s = status_when(server, [](const node_status& s) { return s.sessions_open == 1; });
  CHECK(s.listeners[0].open == 1);
}

TEST_CASE("a client that falls behind gets SystemStatus overloadImminent, then overloadRelieved, and loses nothing") {
  transport::write_limits limits;
  limits.in_flight = 16 * 1024;
  limits.high_water = 64 * 1024;
  limits.queued = 64 * 1024 * 1024;
  test_server server({}, {}, {}, limits);
  csta_client sleeper(server.port());
  auto ref = start_monitor(sleeper, 1, "1000");
  csta_client worker(server.port());
  bool on = false;
  int changes = 0;
  node_status s;
  for (int batch = 0; batch < 200 && s.carriers().overloads == 0; ++batch) {
    for (int i = 0; i < 500; ++i)
      worker.send(1 + i, dnd(on = !on));
    for (int i = 0; i < 500; ++i)
      REQUIRE(worker.next(std::chrono::seconds(30)));  // a loaded machine may be slow, not silent
    changes += 500;
    s = server.status();
  }
  REQUIRE(s.carriers().overloads == 1);
  CHECK(s.carriers().overflows == 0);
  // The sleeper wakes up and reads: every event, the warning where it fell behind, and the
  // all-clear once it has caught up.
  std::vector<std::string> statuses;
  int events = 0;
  while (statuses.size() < 2) {
    auto r = sleeper.next(std::chrono::seconds(10));
    REQUIRE(r);
    CHECK(r->invoke_id == 9999);
    if (r->xml.name == "SystemStatus")
      statuses.push_back(r->at("systemStatus"));
    else if (r->at("monitorCrossRefID") == ref)
      ++events;
  }
  CHECK(statuses == std::vector<std::string>{"overloadImminent", "overloadRelieved"});
  while (auto r = sleeper.next(std::chrono::milliseconds(500)))
    events += r->at("monitorCrossRefID") == ref ? 1 : 0;
  CHECK(events == changes);
}

TEST_CASE("a client that sends faster than it is served is read no faster (backpressure), and every request is answered in order") {
  test_server server;
  csta_client flood(server.port());
  constexpr int requests = 5000;
  std::string burst;
  for (int i = 1; i <= requests; ++i)
    burst += *protocol::encode_frame(i, root("RequestSystemStatus", ed3, ""));
  flood.send_raw(burst);
  for (int i = 1; i <= requests; ++i) {
    auto r = flood.next();
    REQUIRE(r);
    CHECK(r->invoke_id == i);
    CHECK(r->at("systemStatus") == "normal");
  }
  CHECK(server.status().carriers().read_pauses >= 1);
}
