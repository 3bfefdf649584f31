#pragma once
// A server process that a load tool starts and stops: cstad (one LIM or several) or the trivial
// baseline server. It gets a fresh data directory of its own, so a run neither changes nor needs
// the operator's, and it dies with the tool (PR_SET_PDEATHSIG), even when the tool is killed.

#include <sys/types.h>

#include <string>
#include <vector>

namespace cstad::load {

class server_process {
public:
  server_process() = default;
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
  server_process(server_process&& o) noexcept;
  server_process& operator=(server_process&& o) noexcept;
  ~server_process();  // removes the data directory (the process is stopped by stop_servers)

  /// Starts args[0] with args[1..], a temporary data directory in $CSTAD_DATA_DIR (and as
  /// --data-dir=DIR too when data_dir_option); its stdout and stderr go to log_file when one is
  /// named. False, and why, when it cannot be started.
  bool start(std::vector<std::string> args, bool data_dir_option, const std::string& log_file, std::string& error);

  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  /// True when the process is gone (reaped now or before).
  bool poll_exit();
  bool exited() const { return exited_; }
  /// "exit status 0", "killed by signal 9 (Killed)".
  std::string describe_exit() const;
  /// The command line as started, for messages.
  const std::string& command() const { return command_; }

  /// SIGKILL and reap (after SIGTERM was not enough).
  void kill_now();

private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
  std::string data_dir_;
  std::string command_;
};

/// A fresh temporary directory (mode 0700) named /tmp/PREFIX-XXXXXX, or empty.
std::string make_temp_dir(const std::string& prefix);

/// How one server ended when it was stopped.
struct stop_outcome {
  server_process* process = nullptr;
  bool killed = false;  // still running timeout_s after SIGTERM: SIGKILL
  double seconds = 0;   // from SIGTERM to its exit
};

/// SIGTERM to every one still running, all at once, then waits for each until timeout_s after
/// that, then SIGKILL. One outcome for each that was running.
std::vector<stop_outcome> stop_servers(const std::vector<server_process*>& all, double timeout_s);

}  // namespace cstad::load
