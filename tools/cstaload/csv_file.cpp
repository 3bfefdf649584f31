#include "tools/cstaload/csv_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace cstad::load {

namespace {

std::string number(const char* fmt, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string latency_ms(const latency_summary& s, std::uint32_t us) {
  return s.count == 0 ? std::string{} : number("%.3f", us / 1000.0);
}

}  // namespace

std::string csv_header() {
  return "t_s,events_per_s,requests_per_s,calls_per_s,makecall_p50_ms,makecall_p99_ms,event_p50_ms,event_p99_ms,"
         "server_cpu_cores,server_rss_mib,window";
}

std::string csv_row(const second_row& r) {
  return number("%.3f", r.t) + "," + number("%.1f", r.events_per_s) + "," + number("%.1f", r.requests_per_s) + "," +
         number("%.1f", r.calls_per_s) + "," + latency_ms(r.make_call, r.make_call.p50) + "," +
         latency_ms(r.make_call, r.make_call.p99) + "," + latency_ms(r.event, r.event.p50) + "," +
         latency_ms(r.event, r.event.p99) + "," + (r.server_cores ? number("%.3f", *r.server_cores) : "") + "," +
         (r.server_rss_mib ? number("%.1f", *r.server_rss_mib) : "") + "," + (r.in_window ? "1" : "0");
}

bool write_csv(const std::string& path, const std::vector<second_row>& rows, std::string& error) {
  std::ofstream out(path, std::ios::trunc);
  if (out)
    out << csv_header() << '\n';
  for (auto& r : rows)
    out << csv_row(r) << '\n';
  out.close();
  if (!out) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::string trivial_csv_path(const std::string& path) {
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == (slash == std::string::npos ? 0 : slash + 1))
    return path + ".trivial";
  return path.substr(0, dot) + ".trivial" + path.substr(dot);
}

}  // namespace cstad::load
