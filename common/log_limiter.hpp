#pragma once
// Rate limit for log lines a client causes (bad requests, refusals): a client that keeps
// sending them would otherwise write the log as fast as it sends. At most `per_window` lines
// in each window; the rest are counted, and the first line of the next window says how many
// were left out. Pure, on the caller's clock.

#include <chrono>
#include <cstdint>

namespace cstad {

template <class TimePoint>
class log_limiter {
public:
  using duration = typename TimePoint::duration;

  explicit log_limiter(std::uint64_t per_window = 20,
                       duration window = std::chrono::duration_cast<duration>(std::chrono::seconds(60)))
      : per_window_(per_window), window_(window) {}

  /// Whether a line may be written at `now`. When a window starts after lines were left out,
  /// `left_out` says how many (0 otherwise), for one line saying so.
  bool allow(TimePoint now, std::uint64_t& left_out) {
    left_out = 0;
    if (!started_ || now - window_start_ >= window_) {
      started_ = true;
      window_start_ = now;
      left_out = suppressed_;
      suppressed_ = 0;
      written_ = 0;
    }
    if (written_ < per_window_) {
      ++written_;
      return true;
    }
    ++suppressed_;
    return false;
  }

private:
  std::uint64_t per_window_;
  duration window_;
  bool started_ = false;
  TimePoint window_start_{};
  std::uint64_t written_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace cstad
