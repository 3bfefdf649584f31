#pragma once
// Starting and stopping the whole actor pipeline of one cstad node: the LIM with its device
// actors, and the XML listener. Used by the cstad program and by the integration tests.

#include <cstdint>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "actors/actors.hpp"
#include "actors/application_session.hpp"
#include "sim/exchange.hpp"
#include "sim/simulation.hpp"
#include "sim/number_plan.hpp"

namespace cstad {

struct server_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8882;  // 0: any free port
  sim::number_plan plan = sim::number_plan::demo();
  sim::exchange_timing timing;  // ring cycle, no-answer rings, ring limit
  sim::simulation_config simulation = sim::simulation_config::demo();  // people and traffic
  session_policy sessions;      // ECMA-354: required or optional, users, durations
};

struct running_server {
  lim_actor lim;
  listener_actor listener;
  std::uint16_t port = 0;  // the port actually bound
};

/// Starts the pipeline; on failure returns nothing and explains in error.
std::optional<running_server> start_server(caf::actor_system& sys, server_settings settings,
                                           std::string& error);

/// Stops accepting, closes every connection and ends the LIM and its devices.
void stop_server(caf::actor_system& sys, const running_server& server);

}  // namespace cstad
