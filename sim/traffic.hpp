#pragma once
// Calls from outside numbers arriving as a Poisson process, and what became of them.

#include <cstdint>
#include <string>

#include "sim/behaviour.hpp"
#include "sim/clock.hpp"

namespace cstad::sim {

struct traffic_config {
  std::string target;            // a group or an extension
  double calls_per_hour = 0;     // 0: off
  std::uint64_t seed = 1;        // the same seed repeats a run exactly
  caller_profile callers;
  duration service_level_threshold = std::chrono::seconds(20);  // "answered within"
};

struct traffic_counters {
  std::uint64_t offered = 0;     // calls that arrived
  std::uint64_t answered = 0;    // answered by someone inside
  std::uint64_t abandoned = 0;   // the caller hung up before an answer
  std::uint64_t failed = 0;      // refused (busy, no agent, unknown number)
  duration total_wait{};         // arrival to answer, summed over answered calls
  std::uint64_t within_threshold = 0;  // answered within the service-level threshold

  double average_wait_seconds() const {
    return answered == 0 ? 0 : std::chrono::duration<double>(total_wait).count() / answered;
  }
  /// Answered within the threshold, as a share of the calls that were answered or abandoned.
  double service_level() const {
    auto handled = answered + abandoned;
    return handled == 0 ? 1.0 : static_cast<double>(within_threshold) / handled;
  }

  friend bool operator==(const traffic_counters& x, const traffic_counters& y) {
    return x.offered == y.offered && x.answered == y.answered && x.abandoned == y.abandoned &&
           x.failed == y.failed && x.total_wait == y.total_wait &&
           x.within_threshold == y.within_threshold;
  }
};

template <class Inspector>
auto inspect(Inspector& f, traffic_counters& x) {
  return f(x.offered, x.answered, x.abandoned, x.failed, x.total_wait, x.within_threshold);
}

}  // namespace cstad::sim
