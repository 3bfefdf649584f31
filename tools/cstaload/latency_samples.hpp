#pragma once
// Latency samples in microseconds and their percentiles (nearest rank: the smallest sample
// with at least p of all samples at or below it, so p99 of 100 samples is the 99th smallest,
// and a percentile is always a latency that was measured).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cstad::load {

/// Nearest-rank percentile of ascending values, p in [0, 1]; 0 when there are none.
std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double p);

struct latency_summary {
  std::size_t count = 0;
  std::uint32_t p50 = 0, p99 = 0, max = 0;  // µs; 0 when count is 0
};

class latency_samples {
public:
  void add(std::uint32_t us) { values_.push_back(us); }
  /// Rounded down to whole µs, capped at UINT32_MAX (71 minutes).
  void add(std::chrono::steady_clock::duration d);
  void append(const latency_samples& other);
  void clear() { values_.clear(); }
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  /// Sorts the samples (in place) and summarises them.
  latency_summary summarize();

private:
  std::vector<std::uint32_t> values_;
};

}  // namespace cstad::load
