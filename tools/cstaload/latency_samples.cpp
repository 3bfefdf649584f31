#include "tools/cstaload/latency_samples.hpp"

#include <algorithm>
#include <cmath>

namespace cstad::load {

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

void latency_samples::add(std::chrono::steady_clock::duration d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  add(static_cast<std::uint32_t>(std::clamp<long long>(us, 0, UINT32_MAX)));
}

void latency_samples::append(const latency_samples& other) {
  values_.insert(values_.end(), other.values_.begin(), other.values_.end());
}

latency_summary latency_samples::summarize() {
  std::sort(values_.begin(), values_.end());
  latency_summary s;
  s.count = values_.size();
  if (values_.empty())
    return s;
  s.p50 = percentile(values_, 0.50);
  s.p99 = percentile(values_, 0.99);
  s.max = values_.back();
  return s;
}

}  // namespace cstad::load
