#include "tools/cstaload/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

#include "tools/cstaload/number_text.hpp"

namespace cstad::load {

namespace {

std::string ms(std::uint32_t us) { return number_text("%.1f", us / 1000.0); }

std::string latency(const latency_summary& s) {
  return s.count == 0 ? std::string{"-"} : ms(s.p50) + "/" + ms(s.p99);
}

}  // namespace

progress_line::progress_line(std::string label) : label_(std::move(label)), tty_(::isatty(STDOUT_FILENO) == 1) {}

std::string progress_line::format(const std::string& label, const second_row& r) {
  char buf[320];
  char server[64] = "";
  if (r.server_cores && r.server_rss_mib)
    std::snprintf(server, sizeof server, "  server %.2f cores %.0f MiB", *r.server_cores, *r.server_rss_mib);
  std::snprintf(buf, sizeof buf,
                "%s %-7s %5.0fs  events/s %8.0f  requests/s %6.0f  calls/s %6.0f  MakeCall ms %s  event ms %s%s%s",
                label.c_str(), r.in_window ? "window" : "warm-up", r.t, r.events_per_s, r.requests_per_s,
                r.calls_per_s, latency(r.make_call).c_str(), latency(r.event).c_str(), server,
                r.errors > 0 ? ("  errors " + std::to_string(r.errors)).c_str() : "");
  return buf;
}

void progress_line::put(const std::string& text) {
  if (tty_) {
    std::printf("\r%s\033[K", text.c_str());  // over the last one, and the rest of it erased
    open_ = true;
  } else {
    std::printf("%s\n", text.c_str());
  }
  std::fflush(stdout);
}

void progress_line::show(const second_row& r) { put(format(label_, r)); }

void progress_line::note(const std::string& text) { put(label_ + " " + text); }

void progress_line::done() {
  if (open_)
    std::printf("\n");
  open_ = false;
  std::fflush(stdout);
}

}  // namespace cstad::load
