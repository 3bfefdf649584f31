#pragma once
// Time for the exchange. Production uses the steady clock; tests drive a manual one, so timers
// (ring timeouts, after-call work, traffic) run instantly and deterministically.

#include <chrono>

namespace cstad::sim {

using duration = std::chrono::milliseconds;
/// Milliseconds since the clock's own epoch.
using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

class clock {
public:
  virtual ~clock() = default;
  virtual time_point now() const = 0;
};

class steady_clock_source final : public clock {
public:
  time_point now() const override {
    return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
  }
};

class manual_clock final : public clock {
public:
  time_point now() const override { return now_; }
  void advance(duration d) { now_ += d; }
  void advance_to(time_point t) {
    if (t > now_)
      now_ = t;
  }

private:
  time_point now_{};
};

}  // namespace cstad::sim
