// The directory: number ranges -> LIM and kind, built from a plan; lookups by number.

#include <doctest/doctest.h>

#include "service/directory.hpp"
#include "sim/system_ids.hpp"

using namespace cstad;
using service::directory;
using service::number_range;
using sim::device_kind;

TEST_CASE("a plan becomes ranges: consecutive numbers of one kind share one") {
  auto plan = sim::number_plan::from_json(R"({
      "ranges": [{"first": "1000", "last": "1099", "kind": "ip"},
                 {"first": "1100", "last": "1109", "kind": "analog"}],
      "devices": [{"number": "2000", "kind": "dect"}, {"number": "2002", "kind": "dect"}],
      "acd_groups": [{"number": "6000", "members": []}]})");
  auto dir = directory::from_plan(plan, 3);
  // In plan order: the plan lists single devices before ranges, groups last.
  CHECK(dir.ranges() == std::vector<number_range>{{"2000", "2000", device_kind::dect_extension, 3},
                                                   {"2002", "2002", device_kind::dect_extension, 3},
                                                   {"1000", "1099", device_kind::ip_extension, 3},
                                                   {"1100", "1109", device_kind::analog_extension, 3},
                                                   {"6000", "6000", device_kind::acd_group, 3}});
  std::vector<std::string> numbers;
  dir.for_each_number([&](const std::string& n, device_kind) { numbers.push_back(n); });
  CHECK(numbers.size() == plan.devices().size());
  CHECK(numbers.front() == "2000");
  CHECK(numbers[2] == "1000");
  CHECK(numbers[102] == "1100");
  CHECK(numbers.back() == "6000");
}

TEST_CASE("find: inside a range, at its ends, and everything that is not a number of the plan") {
  directory dir{{{"1000", "1099", device_kind::ip_extension, 1},
                 {"200", "250", device_kind::dect_extension, 2},
                 {"6000", "6000", device_kind::acd_group, 1},
                 {"sip:desk", "sip:desk", device_kind::virtual_extension, 2}}};
  for (auto n : {"1000", "1050", "1099"})
    CHECK(dir.find(n)->lim == 1);
  CHECK(dir.find("200")->kind == device_kind::dect_extension);
  CHECK(dir.find("250")->lim == 2);
  CHECK(dir.find("6000")->kind == device_kind::acd_group);
  CHECK(dir.find("sip:desk")->lim == 2);
  for (auto n : {"999", "1100", "100", "10000", "0999", "100a", "10a0", "", "199", "251", "6001",
                 "5999", "sip:des"})
    CHECK_MESSAGE(dir.find(n) == nullptr, n);
  CHECK(dir.has_lim(1));
  CHECK(dir.has_lim(2));
  CHECK_FALSE(dir.has_lim(0));
  CHECK_FALSE(dir.has_lim(3));
}

TEST_CASE("the successor of a number keeps its length") {
  CHECK(directory::successor("1099") == "1100");
  CHECK(directory::successor("0009") == "0010");
  CHECK(directory::successor("999").empty());
  CHECK(directory::successor("12a").empty());
  CHECK(directory::successor("").empty());
}

TEST_CASE("call ids name their LIM") {
  CHECK(sim::first_id_of(1) == 1'000'000'000'001);
  CHECK(sim::lim_of(sim::first_id_of(1)) == 1);
  CHECK(sim::lim_of(sim::first_id_of(7) + 123456) == 7);
  CHECK(sim::lim_of(42) == 0);
}
