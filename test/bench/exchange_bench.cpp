// How much call traffic the simulated exchange handles on one core, without CAF or sockets:
// outside calls arrive at ACD groups as a Poisson process, simulated agents answer, talk and
// hang up, and the clock jumps from timer to timer. Prints calls per second of wall time for
// rising rates; asserts nothing. Target: >= 100,000 calls/s.

#include <chrono>
#include <cstdio>
#include <string>

#include "sim/simulation.hpp"

using namespace cstad::sim;

namespace {

constexpr int groups = 20;
constexpr int agents_per_group = 100;

number_plan big_call_centre() {
  std::string json = R"({"ranges":[{"first":"100000","last":"101999","kind":"ip"}],"acd_groups":[)";
  for (int g = 0; g < groups; ++g)
    json += std::string{g ? "," : ""} + R"({"number":")" + std::to_string(6000 + g) +
            R"(","queue_limit":100000,"after_call_work_s":0})";
  json += R"(],"agents":[)";
  for (int a = 0; a < groups * agents_per_group; ++a)
    json += std::string{a ? "," : ""} + R"({"id":"a)" + std::to_string(a) + R"(","device":")" +
            std::to_string(100000 + a) + R"(","groups":[")" + std::to_string(6000 + a / agents_per_group) + R"("]})";
  return number_plan::from_json(json + "]}");
}

void run(double calls_per_hour, std::chrono::seconds simulated) {
  simulation_config world;
  behaviour_profile agent;
  agent.ring = time_distribution::uniform(0.5, 1.5);
  agent.talk = time_distribution::exponential(5);
  for (int a = 0; a < groups * agents_per_group; ++a)
    world.people[std::to_string(100000 + a)] = agent;
  for (int g = 0; g < groups; ++g) {
    traffic_config t;
    t.target = std::to_string(6000 + g);
    t.calls_per_hour = calls_per_hour / groups;
    t.seed = 1 + g;
    t.callers.patience = time_distribution::exponential(120);
    world.traffic.push_back(t);
  }
  manual_clock clock;
  simulation s(big_call_centre(), world, clock);
  std::vector<domain_event> events;
  std::size_t event_count = 0;
  auto end = time_point{} + simulated;
  auto start = std::chrono::steady_clock::now();
  for (auto next = s.next_timer(); next && *next <= end; next = s.next_timer()) {
    clock.advance_to(*next);
    s.tick(events);
    event_count += events.size();
    events.clear();
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto c = s.counters();
  std::printf("%9.0f calls/h offered for %4llds simulated: %8llu calls (%llu answered, %llu abandoned), "
              "%9zu events in %6.3f s wall = %9.0f calls/s, %10.0f events/s\n",
              calls_per_hour, static_cast<long long>(simulated.count()),
              static_cast<unsigned long long>(c.offered), static_cast<unsigned long long>(c.answered),
              static_cast<unsigned long long>(c.abandoned), event_count, wall, c.offered / wall,
              event_count / wall);
}

}  // namespace

int main() {
  std::printf("cstad exchange benchmark (one core, %d ACD groups x %d simulated agents)\n", groups,
              agents_per_group);
  for (double rate : {100000.0, 300000.0, 1000000.0})
    run(rate, std::chrono::seconds(600));
  return 0;
}
