#include "tools/cstaload/options.hpp"

#include <cstdio>
#include <cstdlib>

#include <CLI/CLI.hpp>

namespace cstad::load {

namespace {

constexpr const char* driven_devices = "1040-1099,1000-1039";
constexpr const char* traffic_devices = "6000,1000-1099";

constexpr const char* description =
    "cstaload - load on a CSTA server over TCP (ECMA-323 XML, Annex J.2 framing)\n\n"
    "  cstaload --server=PATH [options]        starts the cstad at PATH on a free port, then loads it\n"
    "  cstaload --connect=HOST:PORT [options]  loads a running server (no server CPU or RSS figures)\n\n"
    "Opens --connections connections; each monitors --monitors devices (MonitorStart), after a\n"
    "StartApplicationSession with --sessions. Then either drives calls, closed loop or at --rate,\n"
    "on --pairs pairs of extensions (1040->1041, 1042->1043, ...: MakeCall, AnswerCall at the\n"
    "called extension, ClearConnection at the calling one, then the pair's next call), or, with\n"
    "--traffic, starts cstad's own traffic simulation and only watches. A progress line each\n"
    "second; at the end a summary of the window after the warm-up.\n";

constexpr const char* footer =
    "\nWhat is measured (over the window after --warmup):\n"
    "  events/s          frames with invoke id 9999 received on all connections\n"
    "  requests/s        requests answered (responses and CSTAErrorCodes)\n"
    "  calls/s           MakeCall->AnswerCall->ClearConnection cycles without an error\n"
    "  MakeCall latency  from writing the MakeCall to reading its response (p50, p99, max)\n"
    "  event latency     from writing the MakeCall to reading the first DeliveredEvent of that\n"
    "                    call (by its callID) on any connection; calls whose devices nobody\n"
    "                    monitors give none\n"
    "  server CPU        utime+stime of the server process (/proc/PID/stat), in cores and in\n"
    "                    microseconds per event received; RSS from /proc/PID/status. Only for a\n"
    "                    server started here (--server, --trivial)\n"
    "  client, machine   this tool's own CPU and what else ran (it shares the machine)\n\n"
    "--csv=FILE writes one row per second: t_s, events_per_s, requests_per_s, calls_per_s,\n"
    "makecall_p50_ms, makecall_p99_ms, event_p50_ms, event_p99_ms (of that second; empty when\n"
    "it had none), server_cpu_cores, server_rss_mib, window (0 in the warm-up). --plot=FILE.png\n"
    "draws events/s and the latencies over time with gnuplot (Debian package gnuplot-nox).\n\n"
    "--trivial: after the run against --server or --connect, the same load against\n"
    "cstaload_trivial_server (beside this program): it answers with pre-encoded responses and\n"
    "writes pre-encoded event frames, as many per call as cstad sends, as fast as the sockets\n"
    "take them. The summary puts both side by side: the ratio of events/s and of server CPU\n"
    "per event. Its per-second figures go to FILE with .trivial before the extension.\n\n"
    "Exit status: 0 clean, 1 usage, 2 the run failed (the server died, closed a connection,\n"
    "sent a broken frame, or completed no call), 3 figures printed but CSTA errors occurred.\n"
    "The summary ends with a RESULT line (key=value) per server, for scripts.\n";

bool split_host_port(const std::string& text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);  // [::1]:8882
  char* end = nullptr;
  long p = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || end == text.c_str() + colon + 1 || p < 1 || p > 65535)
    return false;
  port = static_cast<int>(p);
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> parse_device_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto dash = item.find('-');
    auto number = [](const std::string& s, unsigned long long& v) {
      if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
        return false;
      v = std::stoull(s);
      return true;
    };
    unsigned long long first = 0, last = 0;
    if (!number(item.substr(0, dash), first) ||
        !number(dash == std::string::npos ? item : item.substr(dash + 1), last) || last < first ||
        last - first >= 100000 || out.size() + (last - first + 1) > 100000)
      return std::nullopt;
    auto width = dash == std::string::npos ? item.size() : dash;  // keep leading zeros: 0100-0199
    for (auto v = first; v <= last; ++v) {
      auto s = std::to_string(v);
      out.push_back(std::string(s.size() < width ? width - s.size() : 0, '0') + s);
    }
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

std::pair<std::string, std::string> call_pair(int i) {
  return {std::to_string(1040 + 2 * i), std::to_string(1041 + 2 * i)};
}

std::optional<options> parse_options(int argc, char** argv, int& exit_code) {
  options o;
  std::string connect, devices;
  CLI::App app{description, "cstaload"};
  app.footer(footer);
  app.get_formatter()->column_width(30);
  app.add_option("--server", o.server, "start this cstad (with --port, --log-level=warn and its own data directory)");
  app.add_option("--connect", connect, "HOST:PORT of a running server");
  app.add_option("--connections", o.connections, "TCP connections")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--monitors", o.monitors, "monitors per connection: the first M of --devices")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  app.add_option("--devices", devices,
                 std::string{"what the monitors take, in order (default "} + driven_devices + ": the call pairs' "
                     "extensions first; with --traffic " + traffic_devices + ")");
  app.add_option("--pairs", o.pairs, "call pairs: 1040->1041, 1042->1043, ... (max 30; 0: no calls)")
      ->capture_default_str()
      ->check(CLI::Range(0, max_pairs));
  app.add_option("--rate", o.rate,
                 "calls per second in all, each pair's at even intervals (a pair behind starts at once); "
                 "0: closed loop, each pair's next call as soon as the last one is cleared")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--traffic", o.traffic,
                 "CALLS_PER_HOUR: start cstad with its traffic simulation (cstad --traffic) and only watch; "
                 "needs --server")
      ->check(CLI::PositiveNumber);
  app.add_flag("--sessions", o.sessions,
               "open an ECMA-354 application session (StartApplicationSession) on each connection first, and "
               "keep it alive with ResetApplicationSessionTimer");
  app.add_option("--seconds", o.seconds, "measured window")->capture_default_str()->check(CLI::Range(0.1, 1e6));
  app.add_option("--warmup", o.warmup, "load before the window opens")->capture_default_str()->check(
      CLI::Range(0.0, 1e6));
  app.add_option("--setup-timeout", o.setup_timeout, "limit for starting, connecting and monitoring")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e6));
  app.add_option("--host", o.host, "address a started server listens on")->capture_default_str();
  app.add_option("--port", o.port, "port of a started server (0: a free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--server-arg", o.server_args, "one more argument for the started cstad (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--trivial", o.trivial, "then the same load against the trivial baseline server, side by side");
  app.add_option("--csv", o.csv, "FILE: the figures of each second");
  app.add_option("--plot", o.plot, "FILE.png: events/s and latency over time (gnuplot; the CSV goes to "
                                   "FILE.csv unless --csv names one)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e) == 0 ? 0 : 1;
    return std::nullopt;
  }
  auto usage = [&](const std::string& why) {
    std::fprintf(stderr, "cstaload: %s (see --help)\n", why.c_str());
    exit_code = 1;
    return std::nullopt;
  };
  if (o.server.empty() == connect.empty())
    return usage("give exactly one of --server=PATH and --connect=HOST:PORT");
  if (!connect.empty() && !split_host_port(connect, o.connect_host, o.connect_port))
    return usage("--connect wants HOST:PORT");
  if (o.traffic > 0 && o.server.empty())
    return usage("--traffic starts cstad with its simulation: it needs --server");
  if (o.traffic > 0 && o.trivial)
    return usage("--trivial has no traffic simulation: it goes with driven calls, not --traffic");
  if (o.traffic > 0 && o.rate > 0)
    return usage("--rate drives calls; --traffic only watches");
  if (o.server.empty() && !o.server_args.empty())
    return usage("--server-arg is for a server started here (--server)");
  auto list = parse_device_list(devices.empty() ? (o.traffic > 0 ? traffic_devices : driven_devices) : devices);
  if (!list)
    return usage("--devices wants numbers and ranges, e.g. 1000-1099,6000");
  o.devices = std::move(*list);
  if (o.monitors > static_cast<int>(o.devices.size()))
    return usage("--monitors=" + std::to_string(o.monitors) + " but --devices names only " +
                 std::to_string(o.devices.size()));
  if (o.traffic > 0)
    o.pairs = 0;
  if (!o.plot.empty() && o.csv.empty()) {
    auto dot = o.plot.rfind('.');
    o.csv = (dot == std::string::npos || dot < o.plot.rfind('/') + 1 ? o.plot : o.plot.substr(0, dot)) + ".csv";
  }
  return o;
}

}  // namespace cstad::load
