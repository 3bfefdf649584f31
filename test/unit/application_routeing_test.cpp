// Routeing by an application: an ACD group with route_via_application asks the registered
// application where each call goes, and queues it itself without an answer.

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using protocol::connection_state;
namespace errors = protocol::errors;

namespace {

struct routeing_fixture {
  sim::manual_clock clock;
  sim::exchange ex{sim::number_plan::from_json(R"({
      "ranges": [{"first": "1000", "last": "1009", "kind": "ip"}],
      "acd_groups": [{"number": "6100", "route_via_application": true, "route_timeout_s": 10,
                      "after_call_work_s": 0},
                     {"number": "6000"}],
      "agents": [{"id": "4001", "device": "1001", "groups": ["6100"]}]})"),
                   clock};
  std::vector<sim::domain_event> events;
  std::vector<sim::route_message> messages;

  std::vector<std::string> take() { return take_described(events); }
  std::vector<sim::route_message> take_messages() {
    messages.clear();
    ex.take_route_messages(messages);
    return messages;
  }
  /// Routeing on, "app" registered for 6100; returns the registration id.
  std::string registered() {
    ex.enable_routeing(true);
    auto r = ex.route_register("6100", "app");
    REQUIRE(r);
    return r.reference;
  }
  /// A call from outside arrives for 6100; returns the RouteRequest it caused.
  sim::route_message arrival(sim::call_id& call) {
    auto in = ex.incoming_call("0701234567", "6100", events);
    REQUIRE(in);
    call = in.call;
    auto sent = take_messages();
    REQUIRE(sent.size() == 1);
    return sent[0];
  }
};

// What the group does with a call nobody routes: queue, and hand it to its ready agent.
const lines queued_and_distributed = {"queued 6100 enteringDistribution | 6100:queued",
                                      "diverted 6100 distributed | 6100:null",
                                      "delivered 1001 distributed | 1001:alerting 6100:null",
                                      "agent_busy 1001 normal | 1001:null 6100:null"};

}  // namespace

TEST_CASE_FIXTURE(routeing_fixture, "route registrations: one per routed ACD group, only once the host delivers") {
  CHECK(ex.route_register("6100", "app").error == errors::operation("serviceNotSupported"));
  ex.enable_routeing(true);
  auto reg = ex.route_register("6100", "app");
  REQUIRE(reg);
  CHECK_FALSE(reg.reference.empty());
  CHECK(ex.route_register("6100", "other").error == errors::subscribed_resource("objectRegistrationLimitExceeded"));
  CHECK(ex.route_register("6000", "app").error == errors::operation("requestIncompatibleWithDevice"));
  CHECK(ex.route_register("1000", "app").error == errors::operation("requestIncompatibleWithDevice"));
  CHECK(ex.route_register("5555", "app").error == errors::operation("invalidDeviceID"));
  CHECK(ex.route_register_cancel(reg.reference, "other", events).error ==
        errors::operation("invalidRouteRegistrationCrossRefID"));
  CHECK(ex.route_register_cancel(reg.reference, "app", events));
  CHECK(ex.route_register_cancel(reg.reference, "app", events).error ==
        errors::operation("invalidRouteRegistrationCrossRefID"));
  // Free again for whoever registers next.
  CHECK(ex.route_register("6100", "other"));
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(routeing_fixture, "a call for a routed group waits while the application is asked, and goes where it says") {
  auto reg = registered();
  sim::call_id call = 0;
  auto request = arrival(call);
  CHECK(request.what == sim::route_message::kind::request);
  CHECK(request.registration == reg);
  CHECK_FALSE(request.cross_ref.empty());
  CHECK(request.cross_ref != reg);
  CHECK(request.group == "6100");
  CHECK(request.current_route == "6100");
  CHECK(request.calling == "0701234567");
  CHECK(request.call == call);
  CHECK(take().empty());  // nothing happens to the call until the application answers
  CHECK(ex.find_call(call)->find("6100")->state == connection_state::queued);
  CHECK(ex.queue_length("6100") == 0);

  // Answers the exchange refuses, the dialogue going on.
  CHECK(ex.route_select(request.cross_ref, "1002", "other", events).error ==
        errors::operation("invalidRouteingCrossRefID"));
  CHECK(ex.route_select(request.cross_ref, "5555", "app", events).error == errors::operation("invalidDestination"));
  CHECK(ex.route_select(request.cross_ref, "6100", "app", events).error == errors::operation("invalidDestination"));
  CHECK(ex.route_select(request.cross_ref, "1002", "app", events, reg + "1").error ==
        errors::operation("invalidRouteRegistrationCrossRefID"));
  CHECK(events.empty());
  CHECK(take_messages().empty());

  auto routed = ex.route_select(request.cross_ref, "1002", "app", events, reg);
  REQUIRE(routed);
  CHECK(routed.call == call);
  CHECK(routed.device == "1002");
  CHECK(take() == lines{"diverted 6100 redirected | 6100:null", "delivered 1002 redirected | 1002:alerting 6100:null"});
  auto end = take_messages();
  REQUIRE(end.size() == 1);
  CHECK(end[0].what == sim::route_message::kind::end);
  CHECK(end[0].registration == reg);
  CHECK(end[0].cross_ref == request.cross_ref);
  CHECK(end[0].error.value.empty());  // routed
  CHECK(ex.route_select(request.cross_ref, "1003", "app", events).error ==
        errors::operation("invalidRouteingCrossRefID"));
  // The agent of the group was never involved.
  CHECK(ex.agent_at("1001")->state == sim::agent_state::ready);
}

TEST_CASE_FIXTURE(routeing_fixture, "no answer in the group's route time: RouteEnd routeingTimerExpired, the group queues the call") {
  auto reg = registered();
  sim::call_id call = 0;
  auto request = arrival(call);
  clock.advance(9s);
  ex.tick(events);
  CHECK(events.empty());
  clock.advance(1s);
  ex.tick(events);
  auto end = take_messages();
  REQUIRE(end.size() == 1);
  CHECK(end[0].what == sim::route_message::kind::end);
  CHECK(end[0].registration == reg);
  CHECK(end[0].cross_ref == request.cross_ref);
  CHECK(end[0].error == errors::operation("routeingTimerExpired"));
  CHECK(take() == queued_and_distributed);
  CHECK(ex.route_select(request.cross_ref, "1002", "app", events).error ==
        errors::operation("invalidRouteingCrossRefID"));
}

TEST_CASE_FIXTURE(routeing_fixture, "the application abandons: the group queues the call, nothing more is sent") {
  registered();
  sim::call_id call = 0;
  auto request = arrival(call);
  CHECK(ex.route_end(request.cross_ref, "other", events).error == errors::operation("invalidRouteingCrossRefID"));
  REQUIRE(ex.route_end(request.cross_ref, "app", events));
  CHECK(take() == queued_and_distributed);
  CHECK(take_messages().empty());
  // The timer of the ended dialogue does nothing.
  clock.advance(10s);
  ex.tick(events);
  CHECK(take_messages().empty());
}

TEST_CASE_FIXTURE(routeing_fixture, "the caller hangs up while the application is asked: RouteEnd tells it") {
  auto reg = registered();
  sim::call_id call = 0;
  auto request = arrival(call);
  REQUIRE(ex.external_release(call, "0701234567", events));
  CHECK(ex.find_call(call) == nullptr);
  auto end = take_messages();
  REQUIRE(end.size() == 1);
  CHECK(end[0].cross_ref == request.cross_ref);
  CHECK(end[0].registration == reg);
  CHECK(end[0].error == errors::state("invalidObjectState"));
}

TEST_CASE_FIXTURE(routeing_fixture, "cancelling a registration queues the calls it was asked about, and routes no more") {
  auto reg = registered();
  sim::call_id call = 0;
  arrival(call);
  REQUIRE(ex.route_register_cancel(reg, "app", events));
  CHECK(take() == queued_and_distributed);
  CHECK(take_messages().empty());
  // The next call is the group's at once (its agent is busy: it waits in the queue).
  REQUIRE(ex.incoming_call("0701234568", "6100", events));
  CHECK(take_messages().empty());
  CHECK(take() == lines{"queued 6100 enteringDistribution | 6100:queued"});
}

TEST_CASE_FIXTURE(routeing_fixture, "without a registration (or with routeing off) the group queues at once") {
  REQUIRE(ex.incoming_call("0701234567", "6100", events));
  CHECK(take() == queued_and_distributed);
  CHECK(take_messages().empty());
}
