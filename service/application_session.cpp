#include "service/application_session.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "protocol/namespaces.hpp"

namespace cstad::service {
namespace {

// 128 random bits from the kernel (std::random_device reads /dev/urandom here): unique in the
// whole system without coordination, and nothing about one client's id tells another's, so
// an id cannot be guessed to stop or take over someone else's session.
std::string new_session_id() {
  thread_local std::random_device entropy;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08X%08X-%08X%08X", entropy(), entropy(), entropy(), entropy());
  return buf;
}

}  // namespace

int application_session::grant(std::optional<int> requested, const session_policy& policy,
                               int cap) const {
  auto max = cap > 0 ? std::min(cap, policy.max_duration) : policy.max_duration;
  return std::clamp(requested.value_or(policy.default_duration), std::min(policy.min_duration, max), max);
}

std::optional<std::string> application_session::version_for(
    const protocol::start_application_session_request& r) {
  // All of ed2..ed6 and Avaya's .../privN are ours; a client that offers none gets ed3.
  if (r.protocol_versions.empty())
    return std::string{protocol::ns_ed3};
  auto offered = std::find_if(r.protocol_versions.begin(), r.protocol_versions.end(),
                              [](const std::string& v) { return protocol::is_csta_namespace(v); });
  if (offered == r.protocol_versions.end())
    return std::nullopt;
  return *offered;
}

std::optional<std::string> application_session::check(
    const protocol::start_application_session_request& r) const {
  if (active_)
    return protocol::encode_start_application_session_neg_response("maxNumberSessions");
  if (!version_for(r))
    return protocol::encode_start_application_session_neg_response("requestedProtocolVersionNotSupported");
  return std::nullopt;
}

application_session::answer application_session::start(
    const protocol::start_application_session_request& r, const session_policy& policy,
    time_point now, int account_max_duration) {
  return resume(r, policy, now, account_max_duration, new_session_id());
}

application_session::answer application_session::resume(
    const protocol::start_application_session_request& r, const session_policy& policy,
    time_point now, int account_max_duration, const std::string& id) {
  if (auto refusal = check(r))
    return {*refusal, false};
  auto version = *version_for(r);
  auto duration = grant(r.requested_duration, policy, account_max_duration);
  active_ = true;
  cap_ = account_max_duration;
  id_ = id;
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
  auto duration = grant(r.requested_duration, policy, cap_);
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

std::string application_session::terminate(const std::string& server_reason) {
  active_ = false;
  return protocol::encode_application_session_terminated_by_server(id_, server_reason);
}

}  // namespace cstad::service
