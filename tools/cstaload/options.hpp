#pragma once
// cstaload's command line (CLI11): what to load, how hard, for how long, and where the
// figures go. --help explains each option and how each figure is measured.

#include <optional>
#include <string>
#include <vector>

namespace cstad::load {

struct options {
  std::string server;        // --server: start this cstad binary
  std::string connect_host;  // --connect: a running server
  int connect_port = 0;
  std::string host = "127.0.0.1";  // where a started server listens
  int port = 0;                    // 0: a free one
  std::vector<std::string> server_args;

  int connections = 50;
  int monitors = 100;
  std::vector<std::string> devices;  // what the monitors take, in order (the first `monitors`)
  int pairs = 30;
  double rate = 0;     // calls per second in all; 0: closed loop
  double traffic = 0;  // --traffic: calls per hour of the built-in simulation; no driving
  bool sessions = false;

  double seconds = 10;
  double warmup = 2;
  double setup_timeout = 60;

  bool trivial = false;
  std::string csv;
  std::string plot;

  bool drives_calls() const { return traffic <= 0; }
};

/// Parses the command line; nothing, with the exit code to end with in exit_code, after --help
/// (0) or a usage error (1, with the reason on stderr).
std::optional<options> parse_options(int argc, char** argv, int& exit_code);

/// "1040-1099,1000-1039,6000" as the numbers it names, in that order; nothing when it is not
/// such a list (a range must not run backwards; at most 100,000 numbers in all).
std::optional<std::vector<std::string>> parse_device_list(const std::string& text);

/// The extensions of call pair i: (1040, 1041), (1042, 1043), ...
std::pair<std::string, std::string> call_pair(int i);
inline constexpr int max_pairs = 30;  // 1040..1099 of the demo exchange

}  // namespace cstad::load
