#pragma once
// An exchange with ACD and hunt groups for the call-centre tests.

#include "exchange_fixture.hpp"

namespace cstad::test {

struct call_centre_fixture {
  sim::manual_clock clock;
  sim::exchange ex{sim::number_plan::from_json(R"({
      "ranges": [{"first": "1000", "last": "1008", "kind": "ip"}],
      "devices": [{"number": "1009", "kind": "virtual"}],
      "acd_groups": [{"number": "6000", "queue_limit": 2, "overflow": "7002",
                      "after_call_work_s": 10, "no_answer_s": 15},
                     {"number": "6001", "after_call_work_s": 0, "ready_after_work": false}],
      "hunt_groups": [{"number": "7000", "distribution": "linear", "members": ["1005", "1006", "1007"], "no_answer_s": 15},
                      {"number": "7001", "distribution": "circular", "members": ["1005", "1006", "1007"]},
                      {"number": "7002", "distribution": "ring_all", "members": ["1005", "1006", "1007"]},
                      {"number": "7003", "distribution": "cascade", "sets": [["1005"], ["1006", "1007"]], "step_s": 10},
                      {"number": "7004", "distribution": "linear", "members": ["1009", "1006"]}],
      "agent_accounts": [{"id": "secure", "password": "1234"}]})"),
                   clock};
  std::vector<sim::domain_event> events;

  std::vector<std::string> take() { return take_described(events); }

  /// Logs agent `id` on at device into group and makes it ready; events forgotten.
  void ready_agent(const std::string& device, const std::string& id, const std::string& group = "6000") {
    REQUIRE(ex.set_agent_state(device, sim::agent_request::logged_on, id, group, events));
    REQUIRE(ex.set_agent_state(device, sim::agent_request::ready, id, group, events));
    events.clear();
  }

  sim::agent_state state_of(const std::string& device) const {
    auto a = ex.agent_at(device);
    return a == nullptr ? sim::agent_state::logged_off : a->state;
  }
};

}  // namespace cstad::test
