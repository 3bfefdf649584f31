#pragma once
// The server of a run: one this tool starts (cstad, or the trivial baseline) and stops after
// the run, or one that runs elsewhere (--connect).

#include <optional>
#include <string>
#include <vector>

#include "tools/cstaload/load_run.hpp"
#include "tools/cstaload/server_process.hpp"

namespace cstad::load {

class server_target {
public:
  /// Starts args (args[0] the program) and waits until it accepts on host:port, at most
  /// timeout_s; throws run_failure when it does not.
  static server_target start(std::string label, std::vector<std::string> args, const std::string& host, int port,
                             double timeout_s);
  /// A server that runs elsewhere.
  static server_target elsewhere(std::string label, const std::string& host, int port);

  server_target(server_target&&) = default;
  ~server_target() { stop(); }

  /// What load_run needs to know of it.
  run_target target();

  /// Stops a started server (SIGTERM; SIGKILL after 15 s), saying so on stderr; false when it
  /// had to be killed. True for one that runs elsewhere.
  bool stop();

private:
  server_target() = default;

  std::string label_, host_;
  int port_ = 0;
  std::optional<server_process> process_;
};

/// The trivial server's program: cstaload_trivial_server beside this program.
std::string trivial_server_path();

}  // namespace cstad::load
