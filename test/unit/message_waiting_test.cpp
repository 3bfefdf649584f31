// The message waiting indicator: kept by the exchange per device, reported to the device.

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(exchange_fixture, "message waiting: set, kept for the device, reported to it") {
  CHECK_FALSE(ex.get_message_waiting("1000").flag);
  REQUIRE(ex.set_message_waiting("1000", true, events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "message_waiting 1000 normal | 1000:null");
  CHECK(events[0].flag);
  events.clear();
  CHECK(ex.get_message_waiting("1000").flag);
  CHECK_FALSE(ex.get_message_waiting("1001").flag);
  // Through the operation, as a session asks for it.
  sim::operation get;
  get.kind = sim::operation_kind::get_message_waiting;
  get.device = "1000";
  CHECK(ex.apply(get, events).flag);
  REQUIRE(ex.set_message_waiting("1000", false, events));
  CHECK_FALSE(events.back().flag);
  CHECK_FALSE(ex.get_message_waiting("1000").flag);
  // A virtual extension has a mailbox too.
  CHECK(ex.set_message_waiting("2002", true, events));
}

TEST_CASE("message waiting: unknown devices and groups are refused") {
  sim::manual_clock clock;
  sim::exchange ex{sim::number_plan::from_json(R"({"ranges":[{"first":"1000","last":"1001","kind":"ip"}],
      "acd_groups":[{"number":"6000"}], "hunt_groups":[{"number":"7000","members":["1000"]}]})"),
                   clock};
  std::vector<sim::domain_event> events;
  CHECK(ex.set_message_waiting("1002", true, events).error == errors::operation("invalidDeviceID"));
  CHECK(ex.set_message_waiting("6000", true, events).error == errors::operation("requestIncompatibleWithDevice"));
  CHECK(ex.get_message_waiting("7000").error == errors::operation("requestIncompatibleWithDevice"));
  CHECK(ex.get_message_waiting("1002").error == errors::operation("invalidDeviceID"));
  CHECK(events.empty());
}
