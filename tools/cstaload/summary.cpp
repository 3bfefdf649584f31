#include "tools/cstaload/summary.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "tools/cstaload/number_text.hpp"

namespace cstad::load {

namespace {

std::string or_na(const std::optional<double>& v, const char* fmt) { return v ? number_text(fmt, *v) : "n/a"; }

std::string ms(std::uint32_t us) { return number_text("%.2f ms", us / 1000.0); }

std::string latency(const latency_summary& s) {
  if (s.count == 0)
    return "none";
  return "p50 " + ms(s.p50) + ", p99 " + ms(s.p99);
}

std::string load_description(const options& o) {
  std::string what = std::to_string(o.connections) + " connections x " + std::to_string(o.monitors) + " monitors";
  if (o.sessions)
    what += " (ECMA-354 sessions)";
  if (!o.drives_calls())
    what += ", cstad --traffic=" + number_text("%g", o.traffic) + " calls/hour";
  else if (o.pairs == 0)
    what += ", no calls";
  else if (o.rate > 0)
    what += ", " + std::to_string(o.pairs) + " call pairs at " + number_text("%g", o.rate) + " calls/s";
  else
    what += ", " + std::to_string(o.pairs) + " call pairs closed loop";
  return what + number_text(", %.1f s window", o.seconds) + number_text(" after %.1f s warm-up", o.warmup);
}

/// What else ran on the machine in the window, in cores: every busy CPU but this tool's and
/// the server's (when it ran here).
double other_cores(const run_result& r) {
  if (r.window_s <= 0)
    return 0;
  return std::max(0.0, (r.machine_busy_us - r.client_cpu_us - r.server_cpu_us.value_or(0)) / 1e6 / r.window_s);
}

void print_rows(const std::vector<run_result>& runs) {
  using cell = std::function<std::string(const run_result&)>;
  auto row = [&](const char* label, const cell& f) {
    std::printf("  %-20s", label);
    for (auto& r : runs)
      std::printf(" %-36s", f(r).c_str());
    std::printf("\n");
  };
  row("", [](auto& r) { return r.label; });
  row("address", [](auto& r) { return r.address; });
  row("set-up", [](auto& r) { return number_text("%.2f s", r.setup_s); });
  row("events/s", [](auto& r) { return number_text("%.0f", r.events_per_s()); });
  row("requests/s", [](auto& r) { return number_text("%.0f", r.per_second(r.window.requests)); });
  row("calls/s", [](auto& r) { return number_text("%.0f", r.per_second(r.window.calls)); });
  row("events per call", [](auto& r) {
    return r.window.calls ? number_text("%.1f", static_cast<double>(r.window.events) / r.window.calls) : "n/a";
  });
  row("MakeCall latency", [](auto& r) { return latency(r.make_call); });
  row("  max", [](auto& r) { return r.make_call.count ? ms(r.make_call.max) : "none"; });
  row("event latency", [](auto& r) { return latency(r.event); });
  row("  max", [](auto& r) { return r.event.count ? ms(r.event.max) : "none"; });
  row("server CPU", [](auto& r) { return or_na(r.server_cores(), "%.2f cores"); });
  row("  per event", [](auto& r) { return or_na(r.cpu_us_per_event(), "%.3f us"); });
  row("server RSS", [](auto& r) {
    return or_na(r.rss_after_setup_mib, "%.0f") + " -> " + or_na(r.rss_end_mib, "%.0f MiB") + " (peak " +
           or_na(r.rss_peak_mib, "%.0f") + ")";
  });
  row("client CPU", [](auto& r) {
    return number_text("%.2f cores", r.window_s > 0 ? r.client_cpu_us / 1e6 / r.window_s : 0);
  });
  row("other processes", [](auto& r) { return number_text("%.2f cores", other_cores(r)); });
  row("longest silence", [](auto& r) { return number_text("%.0f ms", r.max_silence_s * 1e3); });
  row("unanswered at end", [](auto& r) {
    auto oldest = r.outstanding_at_end ? number_text(", oldest %.0f ms", r.oldest_outstanding_s * 1e3) : "";
    return std::to_string(r.outstanding_at_end) + oldest;
  });
  row("CSTA errors", [](auto& r) { return std::to_string(r.window.errors); });
}

/// The label as one word for the key=value lines ("trivial_server").
std::string result_name(const run_result& r) {
  std::string name = r.label;
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

void print_ratio(const run_result& server, const run_result& trivial) {
  auto ratio = [](std::optional<double> a, std::optional<double> b) -> std::optional<double> {
    if (!a || !b || *b == 0)
      return std::nullopt;
    return *a / *b;
  };
  auto events = ratio(server.events_per_s(), trivial.events_per_s());
  auto cpu = ratio(server.cpu_us_per_event(), trivial.cpu_us_per_event());
  std::printf("\n  %s delivers %s of the trivial server's events/s, at %s its CPU per event\n", server.label.c_str(),
              or_na(events, "%.3f").c_str(), or_na(cpu, "%.2fx").c_str());
  std::printf("RATIO server=%s events_per_s_over_trivial=%s cpu_us_per_event_over_trivial=%s\n",
              result_name(server).c_str(), or_na(events, "%.4f").c_str(), or_na(cpu, "%.3f").c_str());
}

void print_result_line(const options& o, const run_result& r) {
  auto name = result_name(r);
  std::printf("RESULT server=%s connections=%d monitors=%d pairs=%d rate=%.15g traffic=%.15g sessions=%d "
              "events_per_s=%.0f requests_per_s=%.0f calls_per_s=%.0f cpu_us_per_event=%s server_cores=%s "
              "makecall_p50_us=%u makecall_p99_us=%u makecall_max_us=%u event_p50_us=%u event_p99_us=%u "
              "rss_mib=%s errors=%llu max_silence_ms=%.0f other_cores=%.2f\n",
              name.c_str(), o.connections, o.monitors, o.pairs, o.rate, o.traffic, o.sessions ? 1 : 0,
              r.events_per_s(), r.per_second(r.window.requests), r.per_second(r.window.calls),
              or_na(r.cpu_us_per_event(), "%.3f").c_str(), or_na(r.server_cores(), "%.2f").c_str(), r.make_call.p50,
              r.make_call.p99, r.make_call.max, r.event.p50, r.event.p99, or_na(r.rss_end_mib, "%.1f").c_str(),
              static_cast<unsigned long long>(r.window.errors), r.max_silence_s * 1e3, other_cores(r));
}

}  // namespace

void print_summary(const options& o, const std::vector<run_result>& runs) {
  std::printf("\ncstaload: %s; %ld CPUs shared by the server(s) and this tool\n", load_description(o).c_str(),
              ::sysconf(_SC_NPROCESSORS_ONLN));
  print_rows(runs);
  for (auto& r : runs)
    for (auto& e : r.error_samples)
      std::printf("  error (%s) %s\n", r.label.c_str(), e.c_str());
  if (runs.size() == 2)
    print_ratio(runs[0], runs[1]);
  for (auto& r : runs)
    print_result_line(o, r);
  std::fflush(stdout);
}

}  // namespace cstad::load
