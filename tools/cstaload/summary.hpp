#pragma once
// The summary after the runs: each server's figures over the window, side by side (cstad and
// the trivial baseline with --trivial, with their ratios), then one RESULT line per server.

#include <vector>

#include "tools/cstaload/options.hpp"
#include "tools/cstaload/run_result.hpp"

namespace cstad::load {

void print_summary(const options& o, const std::vector<run_result>& runs);

}  // namespace cstad::load
