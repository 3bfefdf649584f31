#pragma once
// Factories for each actor; the behaviours and their states stay inside their own .cpp files,
// so only those translation units pay for CAF's template instantiations.

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "actors/actors.hpp"
#include "actors/application_session.hpp"
#include "sim/exchange.hpp"
#include "sim/simulation.hpp"
#include "sim/number_plan.hpp"

namespace cstad {

/// The session policy, shared read-only by every session of a listener.
using policy_ptr = std::shared_ptr<const session_policy>;

/// A device actor, linked to parent so it ends with its LIM.
device_actor spawn_device(caf::local_actor* parent, std::string number, lim_actor lim);

/// A LIM hosting the exchange for plan; it spawns one device actor per number.
lim_actor spawn_lim(caf::actor_system& sys, sim::number_plan plan, sim::simulation_config people,
                    sim::exchange_timing timing);

/// The session of one client connection.
session_actor spawn_session(caf::local_actor* parent, connection_actor connection,
                            directory_ptr dir, policy_ptr policy, std::string peer);

/// Hands an accepted connection to a new connection broker (with its session).
caf::actor_addr fork_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                directory_ptr dir, policy_ptr policy);

/// A listener on host:port (0 = any free port) that forks one connection broker per client.
listener_actor spawn_listener(caf::actor_system& sys, std::string host, std::uint16_t port,
                              directory_ptr dir, policy_ptr policy);

}  // namespace cstad
