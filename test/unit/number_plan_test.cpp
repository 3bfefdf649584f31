#include <doctest/doctest.h>

#include <stdexcept>

#include "sim/number_plan.hpp"

using namespace cstad::sim;

TEST_CASE("the demo plan has IP extensions 1000-1099 on LIM 1") {
  auto plan = number_plan::demo();
  CHECK(plan.devices().size() == 100);
  REQUIRE(plan.find("1000"));
  CHECK(plan.find("1099")->kind == device_kind::ip_extension);
  CHECK(plan.find("1099")->lim == 1);
  CHECK(plan.find("1100") == nullptr);
  CHECK(plan.find("999") == nullptr);
}

TEST_CASE("a plan from JSON: single devices and ranges of every kind") {
  auto plan = number_plan::from_json(R"({
    "devices": [{"number": "2000", "name": "Reception", "kind": "analog", "lim": 2}],
    "ranges": [{"first": "0100", "last": "0102", "kind": "dect"}]
  })");
  CHECK(plan.devices().size() == 4);
  CHECK(plan.find("2000")->name == "Reception");
  CHECK(plan.find("2000")->kind == device_kind::analog_extension);
  CHECK(plan.find("2000")->lim == 2);
  CHECK(plan.find("0101")->kind == device_kind::dect_extension);
  for (auto k : {"ip", "remote", "dect", "virtual", "digital", "analog", "cas", "acd", "hunt"})
    CHECK(parse_device_kind(k));
}

TEST_CASE("a bad plan is refused with a message naming the problem") {
  CHECK_THROWS_WITH_AS(number_plan::from_json("[1,2]"), "number plan is not a JSON object",
                       std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json("{not json"), std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"devices":[{"number":"1","kind":"fax"}]})"),
                  std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"devices":[{"number":"12a"}]})"), std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"devices":[{"number":"1"},{"number":"1"}]})"),
                  std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"ranges":[{"first":"20","last":"10"}]})"),
                  std::runtime_error);
}
