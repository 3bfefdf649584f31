#include "actors/config.hpp"

#include <thread>

#include <caf/io/middleman.hpp>

#include "actors/actors.hpp"

namespace cstad {

cstad_config::cstad_config() {
  opt_group{custom_options_, "global"}
      .add(host, "host", "address of the XML (TCP) listener; 0.0.0.0 for all interfaces")
      .add(port, "port", "port of the XML (TCP) listener (0 = any free port)")
      .add(plan_file, "plan", "number plan JSON file (default: built-in demo exchange)")
      .add(log_level, "log-level", "trace, debug (every frame), info, warn, error")
      .add(session_required, "session-required",
           "refuse CSTA requests until an ECMA-354 StartApplicationSession succeeded")
      .add(session_users, "session-users",
           "accounts for application session authentication, e.g. [\"app:secret\"]")
      .add(session_duration, "session-duration",
           "seconds of session granted when the client asks for none")
      .add(simulation_file, "simulation",
           "people and traffic settings (JSON); default: the demo call centre's people")
      .add(traffic, "traffic", "calls per hour arriving from outside numbers (0: none)")
      .add(traffic_target, "traffic-target", "the group or extension that traffic calls")
      .add(traffic_seed, "traffic-seed", "random seed of the traffic: the same seed repeats a run")
      .add(output_queue_limit, "output-queue-limit",
           "bytes of output a client that does not read may have waiting before it is cut off");
  load<caf::io::middleman>();
  add_message_types<caf::id_block::cstad_transport>();
  add_message_types<caf::id_block::cstad>();
  add_message_types<caf::id_block::cstad_handles>();
  // CAF defaults to max(cores, 4) threads; more threads than cores only adds switching.
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  set("scheduler.max-threads", static_cast<std::int64_t>(cores));
}

}  // namespace cstad
