#include "service/application_session.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>

#include "protocol/namespaces.hpp"

namespace cstad::service {
namespace {

// Unique in the process and not guessable from another client's id.
std::string new_session_id() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = std::random_device{}() * 0x9E3779B97F4A7C15ull;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llX-%llu",
                static_cast<unsigned long long>(salt ^ (counter + 1) * 0xD6E8FEB86659FD93ull),
                static_cast<unsigned long long>(++counter));
  return buf;
}

}  // namespace

int application_session::grant(std::optional<int> requested, const session_policy& policy) const {
  return std::clamp(requested.value_or(policy.default_duration), policy.min_duration,
                    policy.max_duration);
}

application_session::answer application_session::start(
    const protocol::start_application_session_request& r, const session_policy& policy,
    time_point now) {
  if (active_)
    return {protocol::encode_start_application_session_neg_response("maxNumberSessions"), false};
  if (!policy.users.empty()) {
    auto user = policy.users.find(r.user_name.value_or(""));
    if (!r.user_name || !r.password || user == policy.users.end() || user->second != *r.password)
      return {protocol::encode_start_application_session_neg_response("invalidApplicationInfo"),
              false};
  }
  // The first CSTA edition the client offers that we speak (all of ed2..ed6 and Avaya's
  // .../privN); a client that offers none gets ed3.
  std::string version{protocol::ns_ed3};
  if (!r.protocol_versions.empty()) {
    auto offered = std::find_if(r.protocol_versions.begin(), r.protocol_versions.end(),
                                [](const std::string& v) { return protocol::is_csta_namespace(v); });
    if (offered == r.protocol_versions.end())
      return {protocol::encode_start_application_session_neg_response(
                  "requestedProtocolVersionNotSupported"),
              false};
    version = *offered;
  }
  auto duration = grant(r.requested_duration, policy);
  active_ = true;
  id_ = new_session_id();
  version_ = version;
  deadline_ = now + std::chrono::seconds(duration);
  return {protocol::encode_start_application_session_pos_response(id_, version, duration), true};
}

application_session::answer application_session::reset(
    const protocol::reset_application_session_timer_request& r, const session_policy& policy,
    time_point now) {
  if (!active_ || r.session_id != id_)
    return {protocol::encode_reset_application_session_timer_neg_response("invalidSessionID"),
            false};
  auto duration = grant(r.requested_duration, policy);
  deadline_ = now + std::chrono::seconds(duration);
  return {protocol::encode_reset_application_session_timer_pos_response(duration), true};
}

application_session::answer application_session::stop(
    const protocol::stop_application_session_request& r) {
  if (!active_ || r.session_id != id_)
    return {protocol::encode_stop_application_session_neg_response("invalidSessionID"), false};
  active_ = false;
  return {protocol::encode_stop_application_session_pos_response(), true};
}

std::string application_session::terminate_expired() {
  active_ = false;
  return protocol::encode_application_session_terminated(id_, "sessionTimerExpired");
}

}  // namespace cstad::service
