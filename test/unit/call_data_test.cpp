// Data an application associates with a call: kept on the call, reported to everyone on it.

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

using namespace cstad;
using namespace cstad::test;
namespace errors = protocol::errors;

TEST_CASE_FIXTURE(exchange_fixture, "associated data: each change reported to the call's devices with all it carries") {
  auto id = connected("1000", "1001");
  REQUIRE(ex.associate_data(id, "1001", {"4711", ""}, events));
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]) == "call_information 1001 normal | 1000:connected 1001:connected");
  CHECK(events[0].call == id);
  CHECK(events[0].data == sim::call_data{"4711", ""});
  events.clear();
  // A later correlator keeps the account code.
  REQUIRE(ex.associate_data(id, "1000", {"", "case 12"}, events));
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == sim::call_data{"4711", "case 12"});
  CHECK(ex.find_call(id)->data == sim::call_data{"4711", "case 12"});
  events.clear();
  CHECK(ex.associate_data(id, "1000", {}, events).error ==
        errors::operation("atLeastOneConditionalParameterNotProvided"));
  CHECK(ex.associate_data(99, "1000", {"1", ""}, events).error == errors::operation("invalidCallID"));
  CHECK(ex.associate_data(id, "1002", {"1", ""}, events).error == errors::operation("invalidConnectionID"));
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(exchange_fixture, "associated data stays with the call a transfer leaves") {
  auto first = connected("1000", "1001");
  REQUIRE(ex.associate_data(first, "1000", {"4711", "screen pop"}, events));
  auto consult = ex.consultation_call(first, "1000", "1002", events).call;
  REQUIRE(ex.answer_call(consult, "1002", events));
  REQUIRE(ex.transfer_call(first, consult, "1000", events));
  CHECK(ex.find_call(consult)->data == sim::call_data{"4711", "screen pop"});
}
