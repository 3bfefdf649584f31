#pragma once
// Drives calls on pairs of extensions: MakeCall a->b, AnswerCall at b, ClearConnection at a,
// then the pair's next call: at once (closed loop), or at the pair's next due time so that all
// pairs together make --rate calls a second (fixed rate; a pair that fell behind starts at once).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/cstaload/connection_pool.hpp"

namespace cstad::load {

/// What an answer meant for the figures.
struct call_step {
  bool error = false;           // a CSTAErrorCode, or not the answer expected
  bool call_completed = false;  // a ClearConnection ended a call that had no error
  std::string answered_call;    // a MakeCall was answered with this call id
};

class call_driver {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// pairs pairs (1040->1041, ...), pair i driven over connection i % connections; rate 0:
  /// closed loop.
  call_driver(connection_pool& pool, int pairs, double rate);

  /// Starts every pair's first call (with a rate, spread over one interval).
  void start(time_point now);
  /// No new calls from now on; calls in progress are still answered and cleared.
  void stop() { driving_ = false; }

  /// The answer to one of its requests (make_call, answer_call, clear_connection).
  call_step on_answer(connection& c, const pending_request& p, std::string_view body);

  /// Starts the waiting calls that are due; when the next one is due, if any waits.
  std::optional<time_point> start_due_calls(time_point now);

private:
  struct pair_state {
    std::string a, b;
    int connection = 0;
    std::string call;
    bool failed = false;     // a step of the current call was answered with an error
    time_point next_start{};  // with a rate: when its next MakeCall is due
  };

  void make_call(int pair, time_point now);

  connection_pool& pool_;
  double rate_;
  bool driving_ = false;
  std::vector<pair_state> pairs_;
  std::vector<int> waiting_;  // with a rate: pairs whose next call is not due yet
};

}  // namespace cstad::load
