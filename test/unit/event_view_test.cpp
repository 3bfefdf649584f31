// How one exchange event looks from each device on the call.

#include <doctest/doctest.h>

#include "service/event_view.hpp"

using namespace cstad;
using namespace cstad::service;
using protocol::event_type;
using protocol::connection_state;

TEST_CASE("each device sees the same event with its own local connection state") {
  sim::domain_event e;
  e.kind = sim::domain_event_kind::delivered;
  e.call = 42;
  e.subject = "1001";
  e.calling = "1000";
  e.called = "1001";
  e.cause = protocol::event_cause::newCall;
  e.observers = {{"1000", connection_state::connected}, {"1001", connection_state::alerting}};

  auto at_caller = view_of(e, "1000");
  auto at_called = view_of(e, "1001");
  REQUIRE(at_caller);
  REQUIRE(at_called);
  for (auto* v : {&*at_caller, &*at_called}) {
    CHECK(v->type == event_type::delivered);
    CHECK(v->connection == protocol::connection_id{"42", "1001"});
    CHECK(v->subject == "1001");
    CHECK(v->calling == "1000");
    CHECK(v->called == "1001");
    CHECK(v->cause == protocol::event_cause::newCall);
    CHECK(v->cross_ref.empty());
  }
  CHECK(at_caller->local == connection_state::connected);
  CHECK(at_called->local == connection_state::alerting);
  CHECK_FALSE(view_of(e, "1002"));
}
