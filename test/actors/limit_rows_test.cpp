// The limits csta -p shows and the log reports: settings, and hits from the node's counters.

#include <doctest/doctest.h>

#include "actors/limit_rows.hpp"
#include "actors/spawn.hpp"

using namespace cstad;

TEST_CASE("limit rows: each limit's setting and its hits from the node's counters") {
  node_settings s;
  s.max_per_address = 3;
  s.max_monitors_per_session = 10;
  s.limits.high_water = 4 * 1024 * 1024;
  s.limits.queued = 16 * 1024 * 1024;
  node_status status;
  transport::listener_status l;
  l.refused_address = 2;
  l.carriers.overloads = 5;
  l.carriers.overflows = 1;
  status.listeners = {l, l};
  status.sessions.monitor_limit_hits = 7;
  auto rows = limit_rows(s, status);
  auto row = [&](const std::string& name) {
    for (auto& r : rows)
      if (r.name == name)
        return r;
    FAIL("no row " << name);
    return admin::limit_report{};
  };
  CHECK(row("connections per client address") == admin::limit_report{"connections per client address", "3", 4});
  CHECK(row("monitors per session").setting == "10");
  CHECK(row("monitors per session").hits == 7);
  CHECK(row("output waiting: overloadImminent") == admin::limit_report{"output waiting: overloadImminent", "4 MiB", 10});
  CHECK(row("output waiting: connection closed").hits == 2);
  CHECK(row("requests waiting per session").hits == 0);
}

TEST_CASE("limits hit since the last log: only the rows that grew, by how much") {
  std::vector<admin::limit_report> before{{"a", "1", 2}, {"b", "1", 0}, {"c", "1", 5}};
  std::vector<admin::limit_report> now{{"a", "1", 2}, {"b", "1", 3}, {"c", "1", 9}};
  CHECK(limits_hit_since(before, now) == std::vector<admin::limit_report>{{"b", "1", 3}, {"c", "1", 4}});
  CHECK(limits_hit_since({}, now) == std::vector<admin::limit_report>{{"a", "1", 2}, {"b", "1", 3}, {"c", "1", 9}});
  CHECK(limits_hit_since(now, now).empty());
}
