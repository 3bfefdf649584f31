#pragma once
// Configuration of the exchange's groups: CTI/ACD groups (agents log on, calls queue) and hunt
// groups with MX-ONE's distributions.

#include <string>
#include <vector>

#include "sim/clock.hpp"

namespace cstad::sim {

struct acd_group_config {
  std::string number;
  std::string name;
  int queue_limit = 20;             // calls waiting at most; more go to overflow (or get busy)
  std::string overflow;             // where calls go when the queue is full; empty: busy
  duration after_call_work = std::chrono::seconds(10);  // 0: agents are ready at once
  bool ready_after_work = true;     // after-call work ends in ready (or in not ready)
  duration no_answer = std::chrono::seconds(15);  // an agent that does not answer is made not ready
  // A registered application is asked where each arriving call goes (RouteRequest) before the
  // group queues it; without an answer within route_timeout, it is queued as usual.
  bool route_via_application = false;
  duration route_timeout = std::chrono::seconds(10);
};

enum class hunt_distribution : unsigned char {
  linear,    // always from the first member on
  circular,  // from the member after the one that got the last call
  ring_all,  // every free member at once
  cascade,   // the first set of members, then the next set added after a step time
};

struct hunt_group_config {
  std::string number;
  std::string name;
  hunt_distribution distribution = hunt_distribution::circular;
  std::vector<std::vector<std::string>> sets;  // one set, except for cascade groups
  duration no_answer = std::chrono::seconds(15);     // linear/circular: move on after this
  duration cascade_step = std::chrono::seconds(10);  // cascade: next set after this

  /// All members, in order.
  std::vector<std::string> members() const;
};

}  // namespace cstad::sim
