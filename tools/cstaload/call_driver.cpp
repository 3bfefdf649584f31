#include "tools/cstaload/call_driver.hpp"

#include <algorithm>

#include "tools/cstaload/options.hpp"
#include "tools/cstaload/xml_peek.hpp"

namespace cstad::load {

namespace {

bool is_positive_answer(std::string_view body, request_kind k) {
  return root_local_name(body) == std::string{request_name(k)} + "Response";
}

}  // namespace

call_driver::call_driver(connection_pool& pool, int pairs, double rate) : pool_(pool), rate_(rate) {
  auto connections = static_cast<int>(pool_.connections().size());
  for (int i = 0; i < pairs; ++i) {
    auto [a, b] = call_pair(i);
    pairs_.push_back({a, b, i % connections, {}, false, {}});
  }
}

void call_driver::start(time_point now) {
  driving_ = true;
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    if (rate_ > 0)  // the pairs' first calls spread over one interval
      pairs_[i].next_start = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(static_cast<double>(i) / rate_));
    make_call(static_cast<int>(i), now);
  }
}

void call_driver::make_call(int pair, time_point now) {
  if (!driving_)
    return;
  auto& p = pairs_[static_cast<std::size_t>(pair)];
  if (rate_ > 0) {
    if (now < p.next_start) {
      waiting_.push_back(pair);
      return;
    }
    // Each pair makes rate/pairs calls a second; one that fell behind starts at once.
    auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(static_cast<double>(pairs_.size()) / rate_));
    p.next_start = std::max(p.next_start + interval, now);
  }
  protocol::make_call_request r;
  r.calling = p.a;
  r.called = p.b;
  pool_.send(pool_.connections()[static_cast<std::size_t>(p.connection)], request_kind::make_call, pair, r);
}

std::optional<call_driver::time_point> call_driver::start_due_calls(time_point now) {
  std::optional<time_point> next;
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto pair : waiting) {
    auto due = pairs_[static_cast<std::size_t>(pair)].next_start;
    if (due <= now) {
      make_call(pair, now);
      continue;
    }
    waiting_.push_back(pair);
    next = next ? std::min(*next, due) : due;
  }
  return next;
}

call_step call_driver::on_answer(connection& c, const pending_request& p, std::string_view body) {
  call_step step;
  step.error = !is_positive_answer(body, p.kind);
  auto& pair = pairs_[static_cast<std::size_t>(p.pair)];
  auto now = std::chrono::steady_clock::now();
  switch (p.kind) {
    case request_kind::make_call: {
      auto call = step.error ? std::nullopt : first_element_text(body, "callID");
      if (!call || call->empty()) {
        step.error = true;
        make_call(p.pair, now);  // nothing to clean up: start over
        return step;
      }
      pair.call = std::string{*call};
      pair.failed = false;
      step.answered_call = pair.call;
      pool_.send(c, request_kind::answer_call, p.pair, protocol::answer_call_request{{pair.call, pair.b}});
      return step;
    }
    case request_kind::answer_call:
      pair.failed = pair.failed || step.error;
      // Hang up at a either way: after a failed answer the call still rings, and a is busy.
      pool_.send(c, request_kind::clear_connection, p.pair,
                 protocol::clear_connection_request{{pair.call, pair.a}, {}});
      return step;
    case request_kind::clear_connection:
      step.call_completed = !step.error && !pair.failed;
      make_call(p.pair, now);
      return step;
    default:
      return step;
  }
}

}  // namespace cstad::load
