#pragma once
// What sessions count: plain numbers, added up with += for a server's or a system's total.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "protocol/csta_error.hpp"

namespace cstad::service {

/// One kind of CSTAErrorCode answer. A finite set: the services of the table (every other
/// request is "other"), and the values the server raises.
struct error_kind {
  std::string service;  // the request's root element, e.g. "MakeCall"
  protocol::error_category category = protocol::error_category::unspecified;
  std::string value;    // e.g. "invalidDeviceID"

  friend bool operator<(const error_kind& a, const error_kind& b) {
    return std::tie(a.service, a.category, a.value) < std::tie(b.service, b.category, b.value);
  }
  friend bool operator==(const error_kind& a, const error_kind& b) {
    return std::tie(a.service, a.category, a.value) == std::tie(b.service, b.category, b.value);
  }
};

template <class Inspector>
auto inspect(Inspector& f, error_kind& x) {
  return f(x.service, x.category, x.value);
}

struct session_stats {
  std::uint64_t sessions = 0;          // sessions counted into this total
  std::uint64_t requests = 0;          // requests received
  // Requests by their service's place in the table (service_table.hpp); requests for none of
  // them are the rest of `requests`.
  std::vector<std::uint64_t> requests_by_service;
  std::uint64_t application_sessions = 0;  // ECMA-354 sessions started
  std::uint64_t session_refusals = 0;  // ECMA-354 negative responses
  std::map<error_kind, std::uint64_t> errors;  // CSTAErrorCode answers
  std::uint64_t monitors = 0;          // monitors open now
  std::uint64_t events = 0;            // events delivered to the client
  std::uint64_t detached = 0;          // sessions whose connection is lost, waiting to be taken over (now)
  // Limits hit (csta -p): requests refused at a session's or the system's monitor limit, at the
  // session's outstanding-request limit, for a device its account is not given; sessions
  // closed for not logging on in time.
  std::uint64_t monitor_limit_hits = 0;
  std::uint64_t system_monitor_limit_hits = 0;
  std::uint64_t outstanding_limit_hits = 0;
  std::uint64_t device_refusals = 0;
  std::uint64_t login_timeouts = 0;

  void count_request(std::size_t service) {
    if (requests_by_service.size() <= service)
      requests_by_service.resize(service + 1);
    ++requests_by_service[service];
  }

  void count_error(error_kind kind) { ++errors[std::move(kind)]; }

  std::uint64_t errors_of(protocol::error_category c) const {
    std::uint64_t n = 0;
    for (auto& [kind, count] : errors)
      n += kind.category == c ? count : 0;
    return n;
  }

  std::uint64_t errors_total() const {
    std::uint64_t n = 0;
    for (auto& e : errors)
      n += e.second;
    return n;
  }

  session_stats& operator+=(const session_stats& o) {
    sessions += o.sessions;
    requests += o.requests;
    if (requests_by_service.size() < o.requests_by_service.size())
      requests_by_service.resize(o.requests_by_service.size());
    for (std::size_t i = 0; i < o.requests_by_service.size(); ++i)
      requests_by_service[i] += o.requests_by_service[i];
    application_sessions += o.application_sessions;
    session_refusals += o.session_refusals;
    for (auto& [kind, count] : o.errors)
      errors[kind] += count;
    monitors += o.monitors;
    events += o.events;
    detached += o.detached;
    monitor_limit_hits += o.monitor_limit_hits;
    system_monitor_limit_hits += o.system_monitor_limit_hits;
    outstanding_limit_hits += o.outstanding_limit_hits;
    device_refusals += o.device_refusals;
    login_timeouts += o.login_timeouts;
    return *this;
  }
};

template <class Inspector>
auto inspect(Inspector& f, session_stats& x) {
  return f(x.sessions, x.requests, x.requests_by_service, x.application_sessions, x.session_refusals, x.errors,
           x.monitors, x.events, x.detached, x.monitor_limit_hits, x.system_monitor_limit_hits, x.outstanding_limit_hits,
           x.device_refusals, x.login_timeouts);
}

}  // namespace cstad::service
