// Simulated people and traffic on the manual clock: behaviour profiles, abandon, counters, a
// seeded run that repeats exactly, and the sample call centre that load tests use.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "exchange_fixture.hpp"
#include "sim/simulation.hpp"
#include "sim/traffic_split.hpp"

using namespace cstad;
using namespace cstad::test;
using namespace std::chrono_literals;
using sim::time_distribution;

namespace {

const char* call_centre_plan = R"({
    "ranges": [{"first": "1000", "last": "1019", "kind": "ip"}],
    "acd_groups": [{"number": "6000", "queue_limit": 50, "after_call_work_s": 5, "no_answer_s": 15}],
    "agents": [{"id": "a0", "device": "1010", "groups": ["6000"]},
               {"id": "a1", "device": "1011", "groups": ["6000"]},
               {"id": "a2", "device": "1012", "groups": ["6000"]}]})";

/// Runs the simulation until `end`, stepping from timer to timer.
void run_until(sim::simulation& s, sim::manual_clock& clock, sim::time_point end,
               std::vector<sim::domain_event>& events) {
  for (auto next = s.next_timer(); next && *next <= end; next = s.next_timer()) {
    clock.advance_to(*next);
    s.tick(events);
    events.clear();
  }
  clock.advance_to(end);
  s.tick(events);
}

sim::simulation_config people(double ring, double talk) {
  sim::simulation_config c;
  sim::behaviour_profile p;
  p.ring = time_distribution::fixed(ring);
  p.talk = time_distribution::fixed(talk);
  for (auto d : {"1001", "1010", "1011", "1012"})
    c.people[d] = p;
  return c;
}

}  // namespace

TEST_CASE("a person answers after their ring time and hangs up after their talk time") {
  sim::manual_clock clock;
  sim::simulation s(sim::number_plan::from_json(call_centre_plan), people(3, 10), clock);
  std::vector<sim::domain_event> events;
  auto made = s.apply([] {
    sim::operation op;
    op.device = "1000";
    op.other = "1001";
    return op;
  }(), events);
  REQUIRE(made);
  events.clear();
  CHECK(s.next_timer() == sim::time_point{} + 3s);
  clock.advance(3s);
  s.tick(events);
  CHECK(describe(events.at(0)) == "established 1001 newCall | 1000:connected 1001:connected");
  events.clear();
  clock.advance(10s);
  s.tick(events);
  REQUIRE(events.size() == 2);
  CHECK(describe(events[0]) == "connection_cleared 1001 normalClearing | 1000:connected 1001:null");
  CHECK(s.switching().call_count() == 0);
}

TEST_CASE("an outside caller abandons after their patience while queued") {
  auto config = sim::simulation_config{};
  sim::traffic_config t;
  t.target = "6000";
  t.calls_per_hour = 3600;  // about one a second
  t.callers.patience = time_distribution::fixed(30);
  config.traffic = {t};
  sim::manual_clock clock;
  sim::simulation s(sim::number_plan::from_json(R"({"ranges": [{"first": "1000", "last": "1001"}],
      "acd_groups": [{"number": "6000", "queue_limit": 1000}]})"), config, clock);
  std::vector<sim::domain_event> events;
  run_until(s, clock, sim::time_point{} + 120s, events);
  auto c = s.counters();
  CHECK(c.offered > 60);
  CHECK(c.answered == 0);
  // Everyone who arrived before the last 30 s gave up; the rest still wait.
  CHECK(c.failed == 0);
  CHECK(c.abandoned + s.switching().queue_length("6000") == c.offered);
  CHECK(c.abandoned > 40);
  CHECK(c.service_level() == 0.0);
}

TEST_CASE("traffic into an ACD group: counters add up, and the same seed repeats the run exactly") {
  auto run = [](std::uint64_t seed) {
    auto config = people(4, 60);
    sim::traffic_config t;
    t.target = "6000";
    t.calls_per_hour = 120;
    t.seed = seed;
    t.callers.patience = time_distribution::exponential(45);
    config.traffic = {t};
    config.seed = seed;
    sim::manual_clock clock;
    sim::simulation s(sim::number_plan::from_json(call_centre_plan), config, clock);
    std::vector<sim::domain_event> events;
    run_until(s, clock, sim::time_point{} + 4h, events);
    return s.counters();
  };
  auto a = run(42);
  auto b = run(42);
  auto c = run(43);
  CHECK(a == b);
  CHECK_FALSE(a == c);
  // 120 calls/hour for 4 hours: a Poisson count near 480.
  CHECK(a.offered > 400);
  CHECK(a.offered < 560);
  CHECK(a.answered > a.offered / 2);
  CHECK(a.answered + a.abandoned + a.failed <= a.offered);
  CHECK(a.answered + a.abandoned + a.failed >= a.offered - 5);  // a few still in progress
  CHECK(a.average_wait_seconds() >= 4.0);  // at least the agents' ring time
  CHECK(a.service_level() > 0.0);
  CHECK(a.service_level() <= 1.0);
  MESSAGE("seed 42: offered " << a.offered << ", answered " << a.answered << ", abandoned "
                              << a.abandoned << ", failed " << a.failed << ", average wait "
                              << a.average_wait_seconds() << " s, service level " << a.service_level());
}

TEST_CASE("agents take breaks now and then, and come back") {
  auto config = people(2, 20);
  for (auto d : {"1010", "1011", "1012"}) {
    config.people[d].not_ready_probability = 1.0;
    config.people[d].not_ready = time_distribution::fixed(50);
  }
  sim::traffic_config t;
  t.target = "6000";
  t.calls_per_hour = 60;
  t.callers.patience = time_distribution::fixed(600);
  config.traffic = {t};
  sim::manual_clock clock;
  sim::simulation s(sim::number_plan::from_json(call_centre_plan), config, clock);
  std::vector<sim::domain_event> events;
  bool saw_break = false, saw_return = false;
  for (auto next = s.next_timer(); next && *next <= sim::time_point{} + 1h; next = s.next_timer()) {
    clock.advance_to(*next);
    s.tick(events);
    for (auto& e : events) {
      saw_break |= e.kind == sim::domain_event_kind::agent_not_ready;
      saw_return |= saw_break && e.kind == sim::domain_event_kind::agent_ready;
    }
    events.clear();
  }
  CHECK(saw_break);
  CHECK(saw_return);
  CHECK(s.counters().answered > 30);
}

TEST_CASE("simulation settings from JSON") {
  auto c = sim::simulation_config::from_json(R"({
      "seed": 9,
      "people": [{"first": "1010", "last": "1012", "profile": {"ring": {"fixed": 2}, "talk": {"uniform": [10, 20]},
                                                              "not_ready_probability": 0.5}}],
      "outside": {"talk": {"exponential": 30}},
      "traffic": [{"target": "6000", "calls_per_hour": 360, "seed": 3, "patience": {"fixed": 40}}]})");
  CHECK(c.seed == 9);
  CHECK(c.people.size() == 3);
  CHECK(c.people.at("1011").ring.form == time_distribution::shape::fixed);
  CHECK(c.people.at("1011").talk.b == 20);
  CHECK(c.outside.has_value());
  REQUIRE(c.traffic.size() == 1);
  CHECK(c.traffic[0].calls_per_hour == 360);
  CHECK(c.traffic[0].callers.patience.a == 40);
  CHECK_THROWS(sim::simulation_config::from_json(R"({"people": [{"devices": ["1"], "profile": {"ring": {"uniform": [5, 1]}}}]})"));
  CHECK_THROWS(sim::simulation_config::from_json(R"({"traffic": [{"calls_per_hour": 5}]})"));
  CHECK(sim::simulation_config::demo().people.size() == 20);
}

TEST_CASE("traffic for several targets shares the calls per hour, and one target keeps its seed") {
  auto one = sim::split_traffic("6000", 3600, 7);
  REQUIRE(one.size() == 1);
  CHECK(one[0].target == "6000");
  CHECK(one[0].calls_per_hour == 3600);
  CHECK(one[0].seed == 7);
  auto three = sim::split_traffic("6000,6001,7000", 3600, 7);
  REQUIRE(three.size() == 3);
  CHECK(three[2].target == "7000");
  CHECK(three[1].calls_per_hour == 1200);
  CHECK(three[2].seed == 9);
}

namespace {

std::string deploy_file(const char* name) {
  std::ifstream in(std::filesystem::path{CSTAD_SOURCE_DIR} / "deploy" / name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the sample call centre (deploy/call-centre-*.json) answers traffic in all five groups") {
  auto plan = sim::number_plan::from_json(deploy_file("call-centre-plan.json"));
  CHECK(plan.acd_groups().size() == 5);
  CHECK(plan.agents().size() == 500);
  auto config = sim::simulation_config::from_json(deploy_file("call-centre-people.json"));
  config.traffic = sim::split_traffic("6000,6001,6002,6003,6004", 360000, 1);  // 100 calls/s
  sim::manual_clock clock;
  sim::simulation s(std::move(plan), config, clock);
  std::vector<sim::domain_event> events;
  run_until(s, clock, sim::time_point{} + 60s, events);
  auto streams = s.stream_counters();
  REQUIRE(streams.size() == 5);
  for (auto& c : streams) {
    CHECK(c.offered > 900);  // about 1,200 a minute each
    CHECK(c.failed == 0);
    CHECK(c.answered > c.offered * 95 / 100);  // a few impatient callers hang up at once ...
    CHECK(c.answered + c.abandoned + 30 >= c.offered);  // ... a few still ring at the end
    CHECK(c.average_wait_seconds() < 2);  // agents to spare: answered as they ring
  }
}
