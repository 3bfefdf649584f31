#pragma once
// ACD agents: who is logged on where, in which groups, and in which state.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/clock.hpp"
#include "sim/domain_event.hpp"

namespace cstad::sim {

enum class agent_state : unsigned char { logged_off, not_ready, ready, busy, working_after_call };

/// What a client asks for (ECMA-269 ReqAgentState).
enum class agent_request : unsigned char { logged_on, logged_off, not_ready, ready, working_after_call };

struct agent {
  std::string id;
  std::string device;               // the extension the agent is logged on at
  std::vector<std::string> groups;  // ACD groups the agent serves
  agent_state state = agent_state::logged_off;
  time_point idle_since{};          // for longest-idle distribution
  std::uint64_t wrap_up = 0;        // counts after-call work periods; a timer ends only its own
  bool ready_after_work = true;     // where the current after-call work ends
};

/// One agent as GetAgentState reports it.
struct agent_snapshot {
  std::string id;
  std::string group;
  agent_state state = agent_state::logged_off;

  friend bool operator==(const agent_snapshot& a, const agent_snapshot& b) {
    return a.id == b.id && a.group == b.group && a.state == b.state;
  }
};

template <class Inspector>
auto inspect(Inspector& f, agent_snapshot& x) {
  return f(x.id, x.group, x.state);
}

}  // namespace cstad::sim
