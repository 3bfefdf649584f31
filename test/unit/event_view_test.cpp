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

TEST_CASE("call information carries the call's data, a joined device has no old connection") {
  sim::domain_event info;
  info.kind = sim::domain_event_kind::call_information;
  info.call = 42;
  info.subject = "1001";
  info.calling = "1000";
  info.data = {"4711", "case 12"};
  info.observers = {{"1000", connection_state::connected}, {"1001", connection_state::connected}};
  auto v = view_of(info, "1000");
  REQUIRE(v);
  CHECK(v->type == event_type::call_information);
  CHECK(v->connection == protocol::connection_id{"42", "1001"});
  CHECK(v->account == "4711");
  CHECK(v->correlator == "case 12");

  sim::domain_event joined;
  joined.kind = sim::domain_event_kind::conferenced;
  joined.call = 42;
  joined.subject = "1002";
  joined.other = "1002";
  joined.cause = protocol::event_cause::singleStepConference;
  joined.moves = {{"1002", 0, 42}};
  joined.observers = {{"1002", connection_state::connected}};
  auto c = view_of(joined, "1002");
  REQUIRE(c);
  REQUIRE(c->moved.size() == 1);
  CHECK(c->moved[0].new_connection == protocol::connection_id{"42", "1002"});
  CHECK(c->moved[0].old_connection == protocol::connection_id{});
  CHECK(c->secondary.call.empty());

  sim::domain_event mwi;
  mwi.kind = sim::domain_event_kind::message_waiting;
  mwi.subject = "1000";
  mwi.flag = true;
  mwi.observers = {{"1000", connection_state::null}};
  auto m = view_of(mwi, "1000");
  REQUIRE(m);
  CHECK(m->type == event_type::message_waiting);
  CHECK(m->subject == "1000");
  CHECK(m->flag);
}
