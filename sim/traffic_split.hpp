#pragma once
// One offered load spread over several targets (cstad --traffic-target=6000,6001,...): a big
// simulated call centre is fed from one option.

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/traffic.hpp"

namespace cstad::sim {

/// The streams of "6000,6001,6002": the calls per hour split evenly between the targets, seeded
/// seed, seed + 1, ... (a single target is one stream with the seed itself, as it always was).
/// Targets are not checked against the plan here.
std::vector<traffic_config> split_traffic(std::string_view targets, double calls_per_hour,
                                          std::uint64_t seed);

}  // namespace cstad::sim
