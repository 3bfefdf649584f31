#include "tools/cstaload/plot.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cstad::load {

namespace {

/// A gnuplot single-quoted string: a quote inside is doubled.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"''"} : std::string(1, c);
  return out + "'";
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0)
      return true;
  return false;
}

// Columns of the CSV (csv_file.cpp): 1 t_s, 2 events_per_s, 5/6 makecall p50/p99 ms,
// 7/8 event p50/p99 ms, 9 server_cpu_cores.
void events_panel(std::ostringstream& s, const std::vector<plot_series>& series, bool bottom) {
  bool cpu = series.front().has_cpu;
  s << "set ylabel 'thousand events/s'\nset yrange [0:*]\n";
  if (cpu)
    s << "set y2label 'server CPU (cores)'\nset y2tics\nset y2range [0:*]\nset ytics nomirror\n";
  s << (bottom ? "set xlabel 'seconds'\n" : "unset xlabel\n");
  s << "plot ";
  const char* colours[] = {"#1f77b4", "#7f7f7f", "#2ca02c"};
  for (std::size_t i = 0; i < series.size(); ++i) {
    auto& p = series[i];
    auto colour = colours[i % 3];
    s << (i ? ", \\\n     " : "") << quoted(p.csv) << " using 1:($2/1000) with lines lw 2 lc rgb '" << colour
      << "' title " << quoted(p.label + " events/s");
    if (cpu && p.has_cpu)
      s << ", " << quoted(p.csv) << " using 1:9 axes x1y2 with lines dt 2 lc rgb '" << colour << "' title "
        << quoted(p.label + " CPU cores");
  }
  s << "\n";
  s << "unset y2label\nunset y2tics\nset ytics mirror\n";
}

void latency_panel(std::ostringstream& s, const std::vector<plot_series>& series) {
  s << "set xlabel 'seconds'\nset ylabel 'latency (ms)'\nset logscale y\nset yrange [*:*]\n";
  auto& main = series.front();
  s << "plot " << quoted(main.csv) << " using 1:5 with linespoints pt 7 ps 0.4 lc rgb '#1f77b4' title "
    << quoted(main.label + " MakeCall p50") << ", \\\n     " << quoted(main.csv)
    << " using 1:6 with linespoints pt 7 ps 0.4 lc rgb '#d62728' title " << quoted(main.label + " MakeCall p99")
    << ", \\\n     " << quoted(main.csv) << " using 1:7 with linespoints pt 6 ps 0.4 lc rgb '#2ca02c' title "
    << quoted(main.label + " event p50") << ", \\\n     " << quoted(main.csv)
    << " using 1:8 with linespoints pt 6 ps 0.4 lc rgb '#ff7f0e' title " << quoted(main.label + " event p99");
  for (std::size_t i = 1; i < series.size(); ++i)
    if (series[i].has_latency)
      s << ", \\\n     " << quoted(series[i].csv) << " using 1:6 with lines dt 2 lc rgb '#7f7f7f' title "
        << quoted(series[i].label + " MakeCall p99");
  s << "\n";
}

}  // namespace

std::string plot_script(const std::string& png, const std::string& title, double window_at,
                        const std::vector<plot_series>& series) {
  bool latency = series.front().has_latency;
  std::ostringstream s;
  s << "set terminal pngcairo size 1000," << (latency ? 720 : 400) << " font 'sans,9'\n"
    << "set output " << quoted(png) << "\n"
    << "set datafile separator ','\nset datafile columnheaders\n"
    << "set grid\nset key below horizontal\nset xrange [0:*]\nset autoscale xfixmax\n"
    // The same margins for both panels, so their time axes line up.
    << "set lmargin at screen 0.08\nset rmargin at screen 0.92\n"
    << "set arrow from " << window_at << ", graph 0 to " << window_at << ", graph 1 nohead dt 3 lc rgb '#555555'\n";
  if (latency)
    s << "set multiplot layout 2,1 title " << quoted(title) << "\n";
  else
    s << "set title " << quoted(title) << "\n";
  events_panel(s, series, !latency);
  if (latency) {
    latency_panel(s, series);
    s << "unset multiplot\n";
  }
  return s.str();
}

bool draw_plot(const std::string& png, const std::string& title, double window_at,
               const std::vector<plot_series>& series, std::string& error) {
  if (series.empty()) {
    error = "nothing to plot";
    return false;
  }
  if (!on_path("gnuplot")) {
    error = "gnuplot is not installed (Debian: apt-get install gnuplot-nox)";
    return false;
  }
  FILE* gp = ::popen("gnuplot", "w");
  if (gp == nullptr) {
    error = "cannot run gnuplot";
    return false;
  }
  auto script = plot_script(png, title, window_at, series);
  std::fwrite(script.data(), 1, script.size(), gp);
  int status = ::pclose(gp);
  if (status != 0) {
    error = "gnuplot failed (" + (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                                    : std::string{"wait status "} + std::to_string(status)) +
            ") drawing " + png;
    return false;
  }
  return true;
}

}  // namespace cstad::load
