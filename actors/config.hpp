#pragma once
// cstad's configuration: CAF's actor_system_config plus our own options. Settings come from
// the command line (--name=value) and from an INI file (--config-file=FILE, default
// caf-application.ini in the working directory); the number plan from a JSON file (--plan).

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>

namespace cstad {

class cstad_config : public caf::actor_system_config {
public:
  cstad_config();

  /// The option list for --help.
  std::string options_help() const { return custom_options_.help_text(true); }

  std::string host = "127.0.0.1";
  std::uint16_t port = 8882;
  std::string plan_file;  // empty: the built-in demo exchange
  std::string log_level = "info";
  bool session_required = false;            // ECMA-354 session before any CSTA request
  std::vector<std::string> session_users;   // "user:password"; empty: no authentication
  int session_duration = 300;               // seconds granted when the client asks for none
  std::string simulation_file;              // people and traffic (JSON); default: the demo's
  double traffic = 0;                       // calls per hour from outside numbers; 0: none
  std::string traffic_target = "6000";      // where that traffic goes
  std::uint64_t traffic_seed = 1;
  std::uint64_t output_queue_limit = 16 * 1024 * 1024;  // per connection (write flow control)
};

}  // namespace cstad
