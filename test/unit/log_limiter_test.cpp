// The rate limit of log lines a client causes.

#include <doctest/doctest.h>

#include <chrono>

#include "common/log_limiter.hpp"

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST_CASE("a log limiter: so many lines a window, the rest counted and told at the next window") {
  cstad::log_limiter<clock_type::time_point> limit(3, 60s);
  clock_type::time_point t0{};
  std::uint64_t left_out = 99;
  int written = 0;
  for (int i = 0; i < 1000; ++i)
    if (limit.allow(t0 + 1s, left_out))
      ++written;
  CHECK(written == 3);
  CHECK(left_out == 0);
  CHECK_FALSE(limit.allow(t0 + 60s, left_out));  // the window began at the first line, t0 + 1 s
  CHECK(limit.allow(t0 + 61s, left_out));
  CHECK(left_out == 998);  // told once, with the next line written
  CHECK(limit.allow(t0 + 62s, left_out));
  CHECK(left_out == 0);
}
