#include "actors/limit_rows.hpp"

#include <string>

#include "actors/spawn.hpp"

namespace cstad {
namespace {

std::string count_or_none(std::size_t n) { return n == 0 ? "no limit" : std::to_string(n); }

std::string bytes(std::size_t n) {
  if (n % (1024 * 1024) == 0)
    return std::to_string(n / (1024 * 1024)) + " MiB";
  if (n % 1024 == 0)
    return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace

std::vector<admin::limit_report> limit_rows(const node_settings& s, const node_status& status) {
  transport::listener_status refused;
  for (auto& l : status.listeners) {
    refused.refused_full += l.refused_full;
    refused.refused_address += l.refused_address;
    refused.refused_descriptors += l.refused_descriptors;
  }
  auto carriers = status.carriers();
  auto& sessions = status.sessions;
  auto frame_ms = s.limits.frame_deadline.count();
  return {
      {"connections per server (csta -i --max-sessions)", "per server", refused.refused_full},
      {"connections per client address", count_or_none(s.max_per_address), refused.refused_address},
      {"connections near the file descriptor limit", "64 descriptors kept free", refused.refused_descriptors},
      {"time to start a required application session", std::to_string(s.login_timeout.count()) + " s",
       sessions.login_timeouts},
      {"time to finish a frame begun", std::to_string(frame_ms / 1000) + " s", carriers.stalled_frames},
      {"monitors per session", std::to_string(s.max_monitors_per_session), sessions.monitor_limit_hits},
      {"monitors of all sessions", std::to_string(s.max_monitors), sessions.system_monitor_limit_hits},
      {"requests waiting per session", std::to_string(s.max_outstanding), sessions.outstanding_limit_hits},
      {"requests not yet taken (reading pauses)", std::to_string(transport::max_untaken_requests),
       carriers.read_pauses},
      {"output waiting: overloadImminent", bytes(s.limits.high_water), carriers.overloads},
      {"output waiting: connection closed", bytes(s.limits.queued), carriers.overflows},
      {"devices of restricted accounts", "csta_authentication --devices", sessions.device_refusals},
  };
}

std::vector<admin::limit_report> limits_hit_since(const std::vector<admin::limit_report>& before,
                                                  const std::vector<admin::limit_report>& now) {
  std::vector<admin::limit_report> grown;
  for (std::size_t i = 0; i < now.size(); ++i) {
    auto was = i < before.size() && before[i].name == now[i].name ? before[i].hits : 0;
    if (now[i].hits > was)
      grown.push_back({now[i].name, now[i].setting, now[i].hits - was});
  }
  return grown;
}

}  // namespace cstad
