#pragma once
// Simulated people: how long someone lets a phone ring before answering, how long they talk,
// how often an agent takes a break after a call, how long an outside caller waits in a queue.

#include <random>
#include <string>

#include "sim/clock.hpp"

namespace cstad::sim {

/// A random duration: fixed, uniform between two bounds, or exponential with a mean (seconds).
struct time_distribution {
  enum class shape : unsigned char { fixed, uniform, exponential };
  shape form = shape::fixed;
  double a = 0;  // fixed value, lower bound or mean
  double b = 0;  // upper bound (uniform)

  static time_distribution fixed(double seconds) { return {shape::fixed, seconds, seconds}; }
  static time_distribution uniform(double lo, double hi) { return {shape::uniform, lo, hi}; }
  static time_distribution exponential(double mean) { return {shape::exponential, mean, 0}; }

  duration draw(std::mt19937_64& rng) const;
};

/// How the person at a device behaves.
struct behaviour_profile {
  time_distribution ring = time_distribution::uniform(2, 6);   // until they answer
  time_distribution talk = time_distribution::exponential(90); // until they hang up
  double not_ready_probability = 0;                            // agents: a break after a call
  time_distribution not_ready = time_distribution::uniform(30, 120);  // how long the break is
};

/// How outside callers created by the traffic generator behave.
struct caller_profile {
  time_distribution patience = time_distribution::exponential(60);  // then they hang up unanswered
};

}  // namespace cstad::sim
