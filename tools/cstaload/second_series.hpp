#pragma once
// The figures of a run second by second (what --csv writes and the progress line shows), and
// the latency samples of the measured window, which the summary's percentiles come from.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "tools/cstaload/latency_samples.hpp"

namespace cstad::load {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// Running totals the event loop keeps.
struct counts {
  std::uint64_t events = 0;    // frames with invoke id 9999
  std::uint64_t requests = 0;  // requests answered (a response or a CSTAErrorCode)
  std::uint64_t calls = 0;     // MakeCall -> AnswerCall -> ClearConnection cycles without an error
  std::uint64_t errors = 0;    // requests answered with an error
};

struct second_row {
  double t = 0;            // seconds since the load started, at the end of this interval
  double length = 0;       // seconds this row covers (1, or less for the last one)
  bool in_window = false;  // after the warm-up
  double events_per_s = 0, requests_per_s = 0, calls_per_s = 0;
  std::uint64_t errors = 0;                    // in this interval
  latency_summary make_call, event;            // answered / first seen in this interval
  std::optional<double> server_cores;          // server CPU seconds per second
  std::optional<double> server_rss_mib;        // at the end of the interval
};

class second_series {
public:
  /// Rows start at `start`, when the totals were `at_start`.
  second_series(time_point start, const counts& at_start) : start_(start), last_(start), last_totals_(at_start) {}

  /// The current interval's samples: MakeCall request -> response, MakeCall request -> the
  /// call's first DeliveredEvent.
  latency_samples& make_call() { return make_call_; }
  latency_samples& event() { return event_; }

  /// Ends the interval at now: a row from the totals' growth since the last one; its samples
  /// join the window's when in_window. Returns the new row.
  const second_row& close(time_point now, const counts& totals, bool in_window, std::optional<double> server_cores,
                          std::optional<double> server_rss_mib);

  const std::vector<second_row>& rows() const { return rows_; }
  /// All samples of the intervals closed with in_window.
  latency_samples& window_make_call() { return window_make_call_; }
  latency_samples& window_event() { return window_event_; }

private:
  time_point start_, last_;
  counts last_totals_;
  latency_samples make_call_, event_;
  latency_samples window_make_call_, window_event_;
  std::vector<second_row> rows_;
};

}  // namespace cstad::load
