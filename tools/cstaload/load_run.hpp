#pragma once
// One load run against one server: connect, open application sessions (--sessions), start the
// monitors, then drive calls (or, with --traffic, only watch) through a warm-up and the
// measured window, one row of figures a second, and finish the calls in progress.

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/cstaload/call_driver.hpp"
#include "tools/cstaload/connection_pool.hpp"
#include "tools/cstaload/first_event_latency.hpp"
#include "tools/cstaload/options.hpp"
#include "tools/cstaload/progress_line.hpp"
#include "tools/cstaload/run_result.hpp"
#include "tools/cstaload/second_series.hpp"

namespace cstad::load {

/// The server a run loads.
struct run_target {
  std::string label;  // "cstad", "trivial server", ...
  std::string host;
  int port = 0;
  pid_t pid = -1;  // started here: its CPU and RSS are read; -1: a server elsewhere
  /// Throws run_failure when the server started here is gone (`during` says when).
  std::function<void(const char* during)> check_alive;
};

class load_run : private frame_handler {
public:
  load_run(const options& o, run_target target);
  /// Throws run_failure when the run cannot go on.
  run_result run();

private:
  struct session_state {
    std::string id;
    int duration_s = 0;
    time_point renew_at{};
  };

  void set_up(time_point deadline);
  void wait_for_answers(const char* what, time_point deadline);
  void load_and_measure();
  void open_window(time_point now);
  void close_row(time_point now, bool in_window);
  void close_window(time_point now);
  void finish_calls();
  void renew_sessions(time_point now);

  void on_event(connection& c, std::string_view body, time_point at) override;
  void on_answer(connection& c, const pending_request& p, std::string_view body, time_point at) override;
  void on_session_answer(connection& c, const pending_request& p, std::string_view body);
  void note_error(const connection& c, const pending_request& p, std::string_view body);

  std::optional<double> server_cpu_us() const;
  std::optional<double> server_mib(const char* field) const;

  const options& o_;
  run_target target_;
  connection_pool pool_;
  std::optional<call_driver> driver_;
  std::optional<second_series> series_;
  first_event_latency event_latency_;
  progress_line progress_;
  std::vector<session_state> sessions_;
  counts totals_{};
  std::uint64_t answers_during_setup_ = 0;
  bool in_window_ = false;
  time_point last_frame_{};
  time_point row_started_{};
  std::optional<double> row_cpu_us_;  // the server's CPU when the current row began
  // At the window's opening.
  counts window_start_totals_{};
  time_point window_opened_{};
  std::optional<double> window_cpu_us_;
  double window_own_cpu_us_ = 0, window_machine_us_ = 0;
  run_result r_;
};

}  // namespace cstad::load
