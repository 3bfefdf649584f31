#pragma once
// The figures of one load run against one server: what the summary, the RESULT line, the CSV
// and the plot are made of.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/cstaload/latency_samples.hpp"
#include "tools/cstaload/second_series.hpp"

namespace cstad::load {

struct run_result {
  std::string label;    // "cstad", "trivial server", "server at HOST:PORT"
  std::string address;  // HOST:PORT
  double setup_s = 0;   // connecting, sessions and monitors
  std::uint64_t monitors = 0;
  double window_s = 0;
  counts window{};  // growth of the totals within the window
  latency_summary make_call, event;
  std::optional<double> server_cpu_us;  // in the window (a server started here)
  std::optional<double> rss_after_setup_mib, rss_end_mib, rss_peak_mib;
  double client_cpu_us = 0;   // this tool, in the window
  double machine_busy_us = 0;  // every process, in the window
  double max_silence_s = 0;    // longest time without a frame from the server, in the window
  std::size_t outstanding_at_end = 0;  // requests unanswered when the window closed
  double oldest_outstanding_s = 0;
  std::vector<std::string> error_samples;
  std::vector<second_row> rows;

  double per_second(std::uint64_t n) const { return window_s > 0 ? static_cast<double>(n) / window_s : 0; }
  double events_per_s() const { return per_second(window.events); }
  std::optional<double> cpu_us_per_event() const {
    if (!server_cpu_us || window.events == 0)
      return std::nullopt;
    return *server_cpu_us / static_cast<double>(window.events);
  }
  std::optional<double> server_cores() const {
    if (!server_cpu_us || window_s <= 0)
      return std::nullopt;
    return *server_cpu_us / 1e6 / window_s;
  }
};

}  // namespace cstad::load
