#pragma once
// What sessions count: plain numbers, added up with += for a server's or a system's total.

#include <cstdint>
#include <vector>

#include "protocol/csta_error.hpp"

namespace cstad::service {

struct session_stats {
  std::uint64_t sessions = 0;          // sessions counted into this total
  std::uint64_t requests = 0;          // requests received
  std::uint64_t application_sessions = 0;  // ECMA-354 sessions started
  std::uint64_t session_refusals = 0;  // ECMA-354 negative responses
  std::vector<std::uint64_t> errors;   // CSTAErrorCode answers, by protocol::error_category
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

  void count_error(protocol::error_category c) {
    auto i = static_cast<std::size_t>(c);
    if (errors.size() <= i)
      errors.resize(i + 1);
    ++errors[i];
  }

  std::uint64_t errors_of(protocol::error_category c) const {
    auto i = static_cast<std::size_t>(c);
    return i < errors.size() ? errors[i] : 0;
  }

  session_stats& operator+=(const session_stats& o) {
    sessions += o.sessions;
    requests += o.requests;
    application_sessions += o.application_sessions;
    session_refusals += o.session_refusals;
    if (errors.size() < o.errors.size())
      errors.resize(o.errors.size());
    for (std::size_t i = 0; i < o.errors.size(); ++i)
      errors[i] += o.errors[i];
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
  return f(x.sessions, x.requests, x.application_sessions, x.session_refusals, x.errors,
           x.monitors, x.events, x.detached, x.monitor_limit_hits, x.system_monitor_limit_hits, x.outstanding_limit_hits,
           x.device_refusals, x.login_timeouts);
}

}  // namespace cstad::service
