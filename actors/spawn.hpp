#pragma once
// Factories for each actor; the behaviours and their states stay inside their own .cpp files,
// so only those translation units pay for CAF's template instantiations.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/actors.hpp"
#include "service/session_core.hpp"
#include "sim/exchange.hpp"
#include "sim/number_plan.hpp"
#include "sim/simulation.hpp"
#include "transport/listener.hpp"

namespace cstad {

/// The LIMs of the system by id, as a session reaches them.
using lim_table = std::unordered_map<int, lim_actor>;

struct lim_settings {
  int id = 1;
  sim::number_plan plan = sim::number_plan::demo();
  sim::simulation_config simulation = sim::simulation_config::demo();  // people and traffic
  sim::exchange_timing timing;  // ring cycle, no-answer rings, ring limit
};

/// A LIM hosting the exchange of its plan, on the given clock.
lim_actor spawn_lim(caf::actor_system& sys, lim_settings settings,
                    std::shared_ptr<const sim::clock> clock);

/// The actor of one monitored device, linked to its LIM (parent) so it ends with it.
device_actor spawn_device(caf::local_actor* parent, std::string number);

/// What a session needs besides its carrier.
struct session_environment {
  service::session_context context;
  std::shared_ptr<const lim_table> lims;
  std::shared_ptr<const sim::clock> clock;
  node_actor node;  // told when the session starts and ends; may be null (tests)
};

/// The session of one client, served over carrier.
session_actor spawn_session(caf::actor_system& sys, carrier_actor carrier, std::string peer,
                            session_environment env);

struct node_settings {
  lim_settings lim;
  service::session_policy sessions;  // ECMA-354: required or not, accounts, durations
  std::vector<transport::listener_settings> listeners{transport::listener_settings{"127.0.0.1", 8882, {}, {}}};
};

/// The node of this process. Send it atom::start to start its LIM and listeners.
node_actor spawn_node(caf::actor_system& sys, node_settings settings);

/// Ends the node in order (listeners and their connections, then the LIM) and waits for it,
/// at most the given time.
void stop_node(caf::actor_system& sys, const node_actor& node,
               std::chrono::milliseconds patience = std::chrono::seconds(1));

}  // namespace cstad
