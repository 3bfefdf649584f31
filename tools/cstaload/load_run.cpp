#include "tools/cstaload/load_run.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "protocol/namespaces.hpp"
#include "tools/cstaload/process_stats.hpp"
#include "tools/cstaload/run_failure.hpp"
#include "tools/cstaload/xml_peek.hpp"

namespace cstad::load {

namespace {

constexpr int requested_session_s = 300;
constexpr std::size_t max_error_samples = 5;
// How long the first DeliveredEvent of a call is waited for (and a measured call remembered,
// so its further DeliveredEvents are not taken for another call's first).
constexpr auto event_latency_memory = std::chrono::seconds(30);
constexpr auto finish_limit = std::chrono::seconds(10);

clock_type::duration seconds(double s) {
  return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
}

double seconds_between(time_point a, time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

load_run::load_run(const options& o, run_target target)
    : o_(o), target_(std::move(target)), pool_(std::string{protocol::ns_ed3}), progress_(target_.label) {
  r_.label = target_.label;
  r_.address = target_.host + ":" + std::to_string(target_.port);
  pool_.lost = [this]() -> std::string {
    if (!target_.check_alive)
      return {};
    try {
      target_.check_alive("");
    } catch (const run_failure& f) {
      return "; " + f.what;
    }
    return {};
  };
}

std::optional<double> load_run::server_cpu_us() const {
  return target_.pid > 0 ? process_cpu_us(target_.pid) : std::nullopt;
}

std::optional<double> load_run::server_mib(const char* field) const {
  return target_.pid > 0 ? process_status_mib(target_.pid, field) : std::nullopt;
}

run_result load_run::run() {
  auto setup_start = clock_type::now();
  set_up(setup_start + seconds(o_.setup_timeout));
  r_.setup_s = seconds_between(setup_start, clock_type::now());
  r_.rss_after_setup_mib = server_mib("VmRSS");
  load_and_measure();
  finish_calls();
  pool_.close_all();
  progress_.done();
  r_.rss_end_mib = server_mib("VmRSS");
  r_.rss_peak_mib = server_mib("VmHWM");
  r_.rows = series_->rows();
  return r_;
}

void load_run::wait_for_answers(const char* what, time_point deadline) {
  while (pool_.outstanding() > 0) {
    pool_.poll(100, *this);
    if (target_.check_alive)
      target_.check_alive(what);
    if (clock_type::now() > deadline)
      throw run_failure{std::to_string(pool_.outstanding()) + " answers missing after " + what +
                        " within the set-up timeout"};
  }
}

void load_run::set_up(time_point deadline) {
  progress_.note("connecting " + std::to_string(o_.connections) + " connections to " + r_.address);
  pool_.open(target_.host, target_.port, o_.connections);
  if (o_.sessions) {
    sessions_.resize(pool_.connections().size());
    for (auto& c : pool_.connections()) {
      protocol::start_application_session_request r;
      r.application_id = "cstaload";
      r.protocol_versions = {std::string{protocol::ns_ed3}};
      r.requested_duration = requested_session_s;
      pool_.send(c, request_kind::start_session, -1, r);
    }
    wait_for_answers("StartApplicationSession", deadline);
  }
  progress_.note("starting " + std::to_string(o_.connections * o_.monitors) + " monitors");
  for (auto& c : pool_.connections())
    for (int m = 0; m < o_.monitors; ++m) {
      protocol::monitor_start_request r;
      r.device = o_.devices[static_cast<std::size_t>(m)];
      pool_.send(c, request_kind::monitor_start, -1, r);
    }
  wait_for_answers("MonitorStart", deadline);
}

void load_run::load_and_measure() {
  auto start = clock_type::now();
  series_.emplace(start, totals_);
  row_cpu_us_ = server_cpu_us();
  row_started_ = start;
  last_frame_ = start;
  if (o_.drives_calls() && o_.pairs > 0) {
    driver_.emplace(pool_, o_.pairs, o_.rate);
    driver_->start(start);
  }
  auto window_at = start + seconds(o_.warmup);
  auto end = window_at + seconds(o_.seconds);
  auto next_row = std::min(start + std::chrono::seconds(1), window_at);
  for (;;) {
    auto now = clock_type::now();
    if (now >= next_row || now >= end) {
      bool window_row = in_window_;
      if (!in_window_ && now >= window_at) {
        if (o_.warmup > 0)
          close_row(now, false);
        open_window(now);
        next_row = now + std::chrono::seconds(1);
      } else {
        close_row(now, window_row);
        next_row = std::min(now + std::chrono::seconds(1), in_window_ ? end : window_at);
      }
      if (now >= end)
        break;
    }
    auto wake = std::min(next_row, end);
    if (driver_)
      if (auto due = driver_->start_due_calls(now))
        wake = std::min(wake, *due);
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count() + 1;
    pool_.poll(static_cast<int>(std::clamp<long long>(wait_ms, 0, 100)), *this);
    if (target_.check_alive)
      target_.check_alive("under load");
    if (in_window_)
      r_.max_silence_s = std::max(r_.max_silence_s, seconds_between(last_frame_, clock_type::now()));
  }
  close_window(clock_type::now());
}

void load_run::close_row(time_point now, bool in_window) {
  auto cpu = server_cpu_us();
  std::optional<double> cores;
  double length = seconds_between(row_started_, now);
  if (cpu && row_cpu_us_ && length > 0)
    cores = (*cpu - *row_cpu_us_) / 1e6 / length;
  progress_.show(series_->close(now, totals_, in_window, cores, server_mib("VmRSS")));
  row_cpu_us_ = cpu;
  row_started_ = now;
  renew_sessions(now);
  event_latency_.forget_before(now - event_latency_memory);
}

void load_run::open_window(time_point now) {
  in_window_ = true;
  window_opened_ = now;
  window_start_totals_ = totals_;
  window_cpu_us_ = server_cpu_us();
  window_own_cpu_us_ = own_cpu_us();
  window_machine_us_ = machine_busy_us();
  last_frame_ = now;
}

void load_run::close_window(time_point now) {
  in_window_ = false;
  r_.window_s = seconds_between(window_opened_, now);
  r_.window = {totals_.events - window_start_totals_.events, totals_.requests - window_start_totals_.requests,
               totals_.calls - window_start_totals_.calls, totals_.errors - window_start_totals_.errors};
  if (auto cpu = server_cpu_us(); cpu && window_cpu_us_)
    r_.server_cpu_us = *cpu - *window_cpu_us_;
  r_.client_cpu_us = own_cpu_us() - window_own_cpu_us_;
  r_.machine_busy_us = machine_busy_us() - window_machine_us_;
  r_.make_call = series_->window_make_call().summarize();
  r_.event = series_->window_event().summarize();
  // Requests still waiting: a stalled server shows here.
  for (auto& c : pool_.connections())
    for (auto& [id, p] : c.pending) {
      ++r_.outstanding_at_end;
      r_.oldest_outstanding_s = std::max(r_.oldest_outstanding_s, seconds_between(p.sent, now));
    }
}

void load_run::finish_calls() {
  // The calls in progress are answered and cleared, so the extensions are idle for whatever
  // runs next on the server (the trivial baseline, another run of the tool).
  if (driver_)
    driver_->stop();
  auto limit = clock_type::now() + finish_limit;
  while (pool_.outstanding() > 0 && clock_type::now() < limit) {
    pool_.poll(50, *this);
    if (target_.check_alive)
      target_.check_alive("after the window");
  }
  if (pool_.outstanding() > 0)
    std::fprintf(stderr, "cstaload: %s: %zu requests still unanswered %lld s after the window\n",
                 target_.label.c_str(), pool_.outstanding(),
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(finish_limit).count()));
}

void load_run::renew_sessions(time_point now) {
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    auto& s = sessions_[i];
    if (s.id.empty() || now < s.renew_at)
      continue;
    protocol::reset_application_session_timer_request r;
    r.session_id = s.id;
    r.requested_duration = requested_session_s;
    pool_.send(pool_.connections()[i], request_kind::reset_session_timer, -1, r);
    s.renew_at = now + std::chrono::seconds(std::max(1, s.duration_s / 2));
  }
}

void load_run::on_event(connection&, std::string_view body, time_point at) {
  ++totals_.events;
  last_frame_ = at;
  if (!driver_ || root_local_name(body) != "DeliveredEvent")
    return;
  if (auto call = first_element_text(body, "callID"))
    if (auto d = event_latency_.delivered(*call, at))
      series_->event().add(*d);
}

void load_run::note_error(const connection& c, const pending_request& p, std::string_view body) {
  ++totals_.errors;
  if (r_.error_samples.size() < max_error_samples)
    r_.error_samples.push_back("connection " + std::to_string(c.index) + ", " + request_name(p.kind) + ": " +
                               std::string{body});
}

void load_run::on_answer(connection& c, const pending_request& p, std::string_view body, time_point at) {
  ++totals_.requests;
  last_frame_ = at;
  switch (p.kind) {
    case request_kind::start_session:
    case request_kind::reset_session_timer:
      on_session_answer(c, p, body);
      return;
    case request_kind::monitor_start:
      if (root_local_name(body) != "MonitorStartResponse")
        throw run_failure{"connection " + std::to_string(c.index) + ": MonitorStart failed: " + std::string{body}};
      return;
    default:
      break;
  }
  auto step = driver_->on_answer(c, p, body);
  if (step.error)
    note_error(c, p, body);
  if (p.kind == request_kind::make_call) {
    series_->make_call().add(at - p.sent);
    if (!step.answered_call.empty())
      if (auto d = event_latency_.answered(step.answered_call, p.sent))
        series_->event().add(*d);
  }
  if (step.call_completed)
    ++totals_.calls;
}

void load_run::on_session_answer(connection& c, const pending_request& p, std::string_view body) {
  auto expected = std::string{request_name(p.kind)} + "PosResponse";
  if (root_local_name(body) != expected)
    throw run_failure{"connection " + std::to_string(c.index) + ": " + request_name(p.kind) +
                      " failed: " + std::string{body}};
  if (p.kind != request_kind::start_session)
    return;
  auto& s = sessions_[static_cast<std::size_t>(c.index)];
  auto id = first_element_text(body, "sessionID");
  auto duration = first_element_text(body, "actualSessionDuration");
  s.id = id ? std::string{*id} : std::string{};
  s.duration_s = duration ? std::atoi(std::string{*duration}.c_str()) : requested_session_s;
  // Renewed at half its duration, as the Avaya DMCC client does (protocol.md 4.3).
  s.renew_at = clock_type::now() + std::chrono::seconds(std::max(1, s.duration_s / 2));
}

}  // namespace cstad::load
