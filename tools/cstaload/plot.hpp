#pragma once
// --plot: a PNG of events/s (with the server's CPU) and of the latencies over time, drawn by
// gnuplot (Debian's gnuplot-nox) from the CSV files of the runs.

#include <string>
#include <vector>

namespace cstad::load {

struct plot_series {
  std::string csv;    // written by write_csv
  std::string label;  // "cstad", "trivial server"
  bool has_latency = false;  // some second had a MakeCall or event latency
  bool has_cpu = false;      // the server ran here: a CPU column
};

/// The gnuplot script that draws the series into png (the first series fully, the others'
/// events/s and MakeCall p99 beside it); window_at: when the window opened (a dashed line).
std::string plot_script(const std::string& png, const std::string& title, double window_at,
                        const std::vector<plot_series>& series);

/// Runs gnuplot on that script; false, and why, when gnuplot is missing or fails.
bool draw_plot(const std::string& png, const std::string& title, double window_at,
               const std::vector<plot_series>& series, std::string& error);

}  // namespace cstad::load
