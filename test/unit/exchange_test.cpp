// The two-party call state machine, step by step, with the injected clock.

#include <doctest/doctest.h>

#include "sim/exchange.hpp"

using namespace cstad::sim;
using cstad::protocol::connection_state;
using cstad::protocol::event_cause;
namespace errors = cstad::protocol::errors;
using namespace std::chrono_literals;

namespace {

struct fixture {
  manual_clock clock;
  exchange ex{number_plan::demo(), clock};
  std::vector<domain_event> events;

  call_id connected_call() {
    auto made = ex.make_call("1000", "1001", events);
    REQUIRE(made);
    REQUIRE(ex.answer_call(made.call, "1001", events));
    events.clear();
    return made.call;
  }
};

void check_event(const domain_event& e, domain_event_kind kind, const std::string& subject,
                 event_cause cause, std::vector<observer> observers) {
  CHECK(e.kind == kind);
  CHECK(e.subject == subject);
  CHECK(e.cause == cause);
  CHECK(e.observers == observers);
}

}  // namespace

TEST_CASE_FIXTURE(fixture, "make call: initiated, originated, then the called device alerts") {
  clock.advance(5s);
  auto made = ex.make_call("1000", "1001", events);
  REQUIRE(made);
  CHECK(made.call == 1);
  REQUIRE(events.size() == 3);
  check_event(events[0], domain_event_kind::service_initiated, "1000", event_cause::makeCall,
              {{"1000", connection_state::initiated}});
  check_event(events[1], domain_event_kind::originated, "1000", event_cause::newCall,
              {{"1000", connection_state::connected}});
  check_event(events[2], domain_event_kind::delivered, "1001", event_cause::newCall,
              {{"1000", connection_state::connected}, {"1001", connection_state::alerting}});
  for (auto& e : events) {
    CHECK(e.call == 1);
    CHECK(e.calling == "1000");
    CHECK(e.called == "1001");
    CHECK(e.time == time_point{} + 5s);
  }
  auto c = ex.find_call(1);
  REQUIRE(c);
  CHECK(c->started == time_point{} + 5s);
  CHECK(c->parties.size() == 2);
}

TEST_CASE_FIXTURE(fixture, "answer: the alerting device is connected, both parties see it") {
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  clock.advance(3s);
  REQUIRE(ex.answer_call(made.call, "1001", events));
  REQUIRE(events.size() == 1);
  check_event(events[0], domain_event_kind::established, "1001", event_cause::newCall,
              {{"1000", connection_state::connected}, {"1001", connection_state::connected}});
  auto b = ex.find_call(made.call)->find("1001");
  CHECK(b->state == connection_state::connected);
  CHECK(b->since == time_point{} + 3s);
}

TEST_CASE_FIXTURE(fixture, "clearing one party of a two-party call releases the other too") {
  auto id = connected_call();
  REQUIRE(ex.clear_connection(id, "1000", events));
  REQUIRE(events.size() == 2);
  check_event(events[0], domain_event_kind::connection_cleared, "1000", event_cause::normalClearing,
              {{"1000", connection_state::null}, {"1001", connection_state::connected}});
  check_event(events[1], domain_event_kind::connection_cleared, "1001", event_cause::normalClearing,
              {{"1001", connection_state::null}});
  CHECK(ex.find_call(id) == nullptr);
  CHECK(ex.call_count() == 0);
}

TEST_CASE_FIXTURE(fixture, "the caller can give up while the called device still alerts") {
  auto made = ex.make_call("1000", "1001", events);
  events.clear();
  REQUIRE(ex.clear_connection(made.call, "1000", events));
  REQUIRE(events.size() == 2);
  check_event(events[0], domain_event_kind::connection_cleared, "1000", event_cause::normalClearing,
              {{"1000", connection_state::null}, {"1001", connection_state::alerting}});
  CHECK(events[1].subject == "1001");
}

TEST_CASE_FIXTURE(fixture, "clear call releases every party") {
  auto id = connected_call();
  REQUIRE(ex.clear_call(id, events));
  REQUIRE(events.size() == 2);
  CHECK(events[0].subject == "1000");
  CHECK(events[1].subject == "1001");
  CHECK(ex.call_count() == 0);
}

TEST_CASE_FIXTURE(fixture, "refusals change nothing and name the ECMA-269 error") {
  SUBCASE("unknown calling or called device, or the same device twice") {
    CHECK(ex.make_call("999", "1001", events).error == errors::operation("invalidCallingDeviceID"));
    CHECK(ex.make_call("1000", "", events).error == errors::operation("invalidCalledDeviceID"));
    CHECK(ex.make_call("1000", "1000", events).error == errors::operation("notDifferentDevices"));
  }
  SUBCASE("a call that does not exist") {
    CHECK(ex.answer_call(77, "1001", events).error == errors::operation("invalidCallID"));
    CHECK(ex.clear_connection(77, "1001", events).error == errors::operation("invalidCallID"));
    CHECK(ex.clear_call(77, events).error == errors::operation("invalidCallID"));
  }
  SUBCASE("a device that is not on the call") {
    auto made = ex.make_call("1000", "1001", events);
    events.clear();
    CHECK(ex.answer_call(made.call, "1002", events).error == errors::operation("invalidConnectionID"));
    CHECK(ex.clear_connection(made.call, "1002", events).error ==
          errors::operation("invalidConnectionID"));
  }
  SUBCASE("answering a connection that is not alerting") {
    auto made = ex.make_call("1000", "1001", events);
    events.clear();
    CHECK(ex.answer_call(made.call, "1000", events).error == errors::state("invalidConnectionState"));
    REQUIRE(ex.answer_call(made.call, "1001", events));
    events.clear();
    CHECK(ex.answer_call(made.call, "1001", events).error == errors::state("invalidConnectionState"));
  }
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(fixture, "call ids are never reused and calls are independent") {
  auto a = ex.make_call("1000", "1001", events);
  auto b = ex.make_call("1002", "1003", events);
  CHECK(a.call != b.call);
  REQUIRE(ex.clear_call(a.call, events));
  auto c = ex.make_call("1000", "1001", events);
  CHECK(c.call != a.call);
  CHECK(ex.call_count() == 2);
}

TEST_CASE_FIXTURE(fixture, "apply runs the operation it names") {
  operation op;
  op.device = "1000";
  op.other = "1001";
  auto made = ex.apply(op, events);
  REQUIRE(made);
  op.kind = operation_kind::answer_call;
  op.device = "1001";
  op.call = made.call;
  CHECK(ex.apply(op, events));
  op.kind = operation_kind::clear_connection;
  CHECK(ex.apply(op, events));
  CHECK(ex.call_count() == 0);
  CHECK(events.size() == 6);
}

TEST_CASE_FIXTURE(fixture, "a user lifts the handset and dials: first-party origination") {
  auto up = ex.off_hook("1000", events);
  REQUIRE(up);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == domain_event_kind::service_initiated);
  CHECK(events[0].cause == event_cause::newCall);
  CHECK(events[0].observers == std::vector<observer>{{"1000", connection_state::initiated}});
  events.clear();
  CHECK(ex.off_hook("1000", events).error == errors::state("invalidDeviceState"));  // already off hook
  REQUIRE(ex.dial(up.call, "1000", "1001", events));
  REQUIRE(events.size() == 2);
  check_event(events[0], domain_event_kind::originated, "1000", event_cause::newCall,
              {{"1000", connection_state::connected}});
  check_event(events[1], domain_event_kind::delivered, "1001", event_cause::newCall,
              {{"1000", connection_state::connected}, {"1001", connection_state::alerting}});
  CHECK(events[1].called == "1001");
  CHECK(ex.dial(up.call, "1000", "1002", events).error == errors::state("invalidConnectionState"));
  // Hanging up before dialling ends the call.
  events.clear();
  auto other = ex.off_hook("1005", events);
  REQUIRE(ex.clear_connection(other.call, "1005", events));
  CHECK(ex.find_call(other.call) == nullptr);
  CHECK(ex.off_hook("999", events).error == errors::operation("invalidDeviceID"));
}
