#include "tools/cstaload/csv_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "tools/cstaload/number_text.hpp"

namespace cstad::load {

namespace {

std::string latency_ms(const latency_summary& s, std::uint32_t us) {
  return s.count == 0 ? std::string{} : number_text("%.3f", us / 1000.0);
}

}  // namespace

std::string csv_header() {
  return "t_s,events_per_s,requests_per_s,calls_per_s,makecall_p50_ms,makecall_p99_ms,event_p50_ms,event_p99_ms,"
         "server_cpu_cores,server_rss_mib,window";
}

std::string csv_row(const second_row& r) {
  auto optional = [](const std::optional<double>& v, const char* format) {
    return v ? number_text(format, *v) : std::string{};
  };
  return number_text("%.3f", r.t) + "," + number_text("%.1f", r.events_per_s) + "," +
         number_text("%.1f", r.requests_per_s) + "," + number_text("%.1f", r.calls_per_s) + "," +
         latency_ms(r.make_call, r.make_call.p50) + "," + latency_ms(r.make_call, r.make_call.p99) + "," +
         latency_ms(r.event, r.event.p50) + "," + latency_ms(r.event, r.event.p99) + "," +
         optional(r.server_cores, "%.3f") + "," + optional(r.server_rss_mib, "%.1f") + "," + (r.in_window ? "1" : "0");
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
  // The extension is what follows the last dot of the file name, unless the name starts there.
  auto name_at = path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1;
  auto dot = path.rfind('.');
  if (dot == std::string::npos || dot <= name_at)
    return path + ".trivial";
  return path.substr(0, dot) + ".trivial" + path.substr(dot);
}

}  // namespace cstad::load
