#include "tools/cstaload/second_series.hpp"

namespace cstad::load {

const second_row& second_series::close(time_point now, const counts& totals, bool in_window,
                                       std::optional<double> server_cores, std::optional<double> server_rss_mib) {
  second_row r;
  r.t = std::chrono::duration<double>(now - start_).count();
  r.length = std::chrono::duration<double>(now - last_).count();
  r.in_window = in_window;
  auto rate = [&](std::uint64_t now_total, std::uint64_t before) {
    return r.length > 0 ? static_cast<double>(now_total - before) / r.length : 0.0;
  };
  r.events_per_s = rate(totals.events, last_totals_.events);
  r.requests_per_s = rate(totals.requests, last_totals_.requests);
  r.calls_per_s = rate(totals.calls, last_totals_.calls);
  r.errors = totals.errors - last_totals_.errors;
  if (in_window) {
    window_make_call_.append(make_call_);
    window_event_.append(event_);
  }
  r.make_call = make_call_.summarize();
  r.event = event_.summarize();
  r.server_cores = server_cores;
  r.server_rss_mib = server_rss_mib;
  make_call_.clear();
  event_.clear();
  last_ = now;
  last_totals_ = totals;
  rows_.push_back(r);
  return rows_.back();
}

}  // namespace cstad::load
