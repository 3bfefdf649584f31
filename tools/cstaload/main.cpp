// cstaload: load on a CSTA server (cstad, or any ECMA-323 server over Annex J.2), with a live
// progress line, a summary, per-second CSV and a plot; --trivial measures the same load against
// a trivial server that only writes pre-encoded frames, for a baseline taken by the same client.

#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tools/cstaload/csv_file.hpp"
#include "tools/cstaload/load_run.hpp"
#include "tools/cstaload/options.hpp"
#include "tools/cstaload/plot.hpp"
#include "tools/cstaload/run_failure.hpp"
#include "tools/cstaload/server_target.hpp"
#include "tools/cstaload/sockets.hpp"
#include "tools/cstaload/summary.hpp"

using namespace cstad::load;

namespace {

int free_port(const options& o) {
  if (o.port != 0)
    return o.port;
  int port = pick_free_port(o.host);
  if (port == 0)
    throw run_failure{"no free port on " + o.host};
  return port;
}

server_target main_target(const options& o) {
  if (o.server.empty())
    return server_target::elsewhere("server", o.connect_host, o.connect_port);
  int port = free_port(o);
  std::vector<std::string> args{o.server, "--port=" + std::to_string(port), "--log-level=warn"};
  if (o.host != "127.0.0.1")
    args.push_back("--host=" + o.host);
  if (o.traffic > 0) {
    char traffic[32];
    std::snprintf(traffic, sizeof traffic, "--traffic=%.15g", o.traffic);
    args.push_back(traffic);
  }
  args.insert(args.end(), o.server_args.begin(), o.server_args.end());
  return server_target::start("cstad", std::move(args), o.host, port, o.setup_timeout);
}

server_target trivial_target(const options& o) {
  auto host = o.server.empty() ? std::string{"127.0.0.1"} : o.host;
  options for_port = o;
  for_port.host = host;
  for_port.port = 0;
  int port = free_port(for_port);
  return server_target::start("trivial server",
                              {trivial_server_path(), "--port=" + std::to_string(port), "--host=" + host}, host,
                              port, o.setup_timeout);
}

/// One run against the server; the server is stopped before the next one starts.
run_result run_against(const options& o, server_target server) {
  auto result = load_run(o, server.target()).run();
  if (!server.stop())
    throw run_failure{"the " + result.label + " did not stop on SIGTERM"};
  return result;
}

bool has_latency(const run_result& r) {
  for (auto& row : r.rows)
    if (row.make_call.count > 0 || row.event.count > 0)
      return true;
  return false;
}

/// --csv and --plot; false when one of them could not be written.
bool write_outputs(const options& o, const std::vector<run_result>& runs) {
  if (o.csv.empty())
    return true;
  std::vector<plot_series> series;
  std::string error;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto path = i == 0 ? o.csv : trivial_csv_path(o.csv);
    if (!write_csv(path, runs[i].rows, error)) {
      std::fprintf(stderr, "cstaload: %s\n", error.c_str());
      return false;
    }
    std::printf("cstaload: figures of each second (%s) in %s\n", runs[i].label.c_str(), path.c_str());
    series.push_back({path, runs[i].label, has_latency(runs[i]), runs[i].server_cpu_us.has_value()});
  }
  if (o.plot.empty())
    return true;
  std::string title = "cstaload: " + std::to_string(o.connections) + " connections x " + std::to_string(o.monitors) +
                      " monitors" + (o.drives_calls() ? ", " + std::to_string(o.pairs) + " call pairs" : ", traffic");
  if (!draw_plot(o.plot, title, o.warmup, series, error)) {
    std::fprintf(stderr, "cstaload: %s\n", error.c_str());
    return false;
  }
  std::printf("cstaload: plot in %s\n", o.plot.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  int exit_code = 0;
  auto o = parse_options(argc, argv, exit_code);
  if (!o)
    return exit_code;
  std::vector<run_result> runs;
  try {
    runs.push_back(run_against(*o, main_target(*o)));
    if (o->trivial)
      runs.push_back(run_against(*o, trivial_target(*o)));
  } catch (const run_failure& f) {
    std::fflush(stdout);
    std::fprintf(stderr, "\ncstaload: FAILED: %s\n", f.what.c_str());
    return 2;
  }
  print_summary(*o, runs);
  if (!write_outputs(*o, runs))
    return 2;
  for (auto& r : runs)
    if (o->drives_calls() && o->pairs > 0 && r.window.calls == 0) {
      std::fprintf(stderr, "cstaload: the %s completed no call in the window\n", r.label.c_str());
      return 2;
    }
  for (auto& r : runs)
    if (r.window.errors > 0)
      return 3;
  return 0;
}
