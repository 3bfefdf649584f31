#pragma once
// The exchange's and the sessions' time, read from CAF's actor clock: the same clock that runs
// their delayed messages, so in tests on CAF's deterministic test coordinator, advancing the
// test clock moves the exchange's time and fires its timers together.

#include <chrono>

#include <caf/actor_clock.hpp>

#include "sim/clock.hpp"

namespace cstad {

class actor_clock_source final : public sim::clock {
public:
  explicit actor_clock_source(const caf::actor_clock& clock) : clock_(clock) {}

  sim::time_point now() const override {
    return std::chrono::time_point_cast<sim::duration>(clock_.now());
  }

private:
  const caf::actor_clock& clock_;
};

/// How long from now until t (zero when t has passed), for a delayed message.
inline caf::timespan until(const sim::clock& clock, sim::time_point t) {
  auto left = t - clock.now();
  return left.count() > 0 ? std::chrono::duration_cast<caf::timespan>(left) : caf::timespan{0};
}

}  // namespace cstad
