#include "tools/cstaload/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cstad::load {

namespace {

double ticks_to_us(unsigned long long ticks) {
  static const long per_second = ::sysconf(_SC_CLK_TCK);
  return static_cast<double>(ticks) * 1e6 / static_cast<double>(per_second);
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::optional<std::pair<std::string, double>> parse_stat_line(const std::string& line) {
  // The name may contain spaces and parentheses: it ends at the last ')'.
  auto open = line.find('(');
  auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || close + 2 > line.size())
    return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  int i = 3;  // the fields after the name start at 3 (state); utime is 14, stime 15
  for (; i <= 15 && (fields >> f); ++i) {
    char* end = nullptr;
    if (i == 14)
      utime = std::strtoull(f.c_str(), &end, 10);
    if (i == 15)
      stime = std::strtoull(f.c_str(), &end, 10);
  }
  if (i <= 15)
    return std::nullopt;
  return std::pair{line.substr(open + 1, close - open - 1), ticks_to_us(utime + stime)};
}

std::optional<double> process_cpu_us(pid_t pid) {
  auto parsed = parse_stat_line(first_line("/proc/" + std::to_string(pid) + "/stat"));
  if (!parsed)
    return std::nullopt;
  return parsed->second;
}

std::optional<double> process_status_mib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  std::string prefix = std::string{field} + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      return std::strtod(line.c_str() + prefix.size(), nullptr) / 1024.0;  // kB
  return std::nullopt;
}

std::optional<int> process_threads(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0)
      return std::atoi(line.c_str() + 8);
  return std::nullopt;
}

std::map<int, std::pair<std::string, double>> thread_cpu_us(pid_t pid) {
  std::map<int, std::pair<std::string, double>> out;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec))
    if (auto parsed = parse_stat_line(first_line((entry.path() / "stat").string())))
      out[std::atoi(entry.path().filename().c_str())] = *parsed;
  return out;
}

double machine_busy_us() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return ticks_to_us(user + nice + system + irq + softirq + steal);
}

double own_cpu_us() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

}  // namespace cstad::load
