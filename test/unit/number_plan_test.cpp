#include <doctest/doctest.h>

#include <stdexcept>

#include "sim/number_plan.hpp"

using namespace cstad::sim;

TEST_CASE("the demo plan: IP extensions 1000-1099 on LIM 1 and a small call centre") {
  auto plan = number_plan::demo();
  CHECK(plan.devices().size() == 104);
  CHECK(plan.find("6000")->kind == device_kind::acd_group);
  CHECK(plan.find("7000")->kind == device_kind::hunt_group);
  CHECK(plan.hunt_group("7000")->distribution == hunt_distribution::circular);
  CHECK(plan.hunt_group("7000")->members() == std::vector<std::string>{"1020", "1021", "1022", "1023", "1024"});
  CHECK(plan.hunt_group("7100")->distribution == hunt_distribution::cascade);
  CHECK(plan.hunt_group("7100")->sets.size() == 3);
  REQUIRE(plan.agents().size() == 10);
  CHECK(plan.agents().front().device == "1010");
  CHECK(plan.agents().front().groups == std::vector<std::string>{"6000"});
  CHECK(plan.agents().back().groups == std::vector<std::string>{"6000", "6100"});
  REQUIRE(plan.acd_group("6100"));
  CHECK(plan.acd_group("6100")->route_via_application);
  CHECK_FALSE(plan.acd_group("6000")->route_via_application);
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
  CHECK_THROWS_AS(number_plan::from_json(R"({"hunt_groups":[{"number":"7000","members":["1"]}]})"),
                  std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"devices":[{"number":"1"}],
      "hunt_groups":[{"number":"7000","distribution":"random","members":["1"]}]})"),
                  std::runtime_error);
  CHECK_THROWS_AS(number_plan::from_json(R"({"devices":[{"number":"1"}],
      "agents":[{"id":"a","device":"1","groups":["6000"]}]})"),
                  std::runtime_error);
}
