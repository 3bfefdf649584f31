// cstaload's figures: nearest-rank percentiles, the per-second series and its window, the
// event latency matched by call id in either order, and the CSV rows. Time is given, never read.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "tools/cstaload/csv_file.hpp"
#include "tools/cstaload/first_event_latency.hpp"
#include "tools/cstaload/latency_samples.hpp"
#include "tools/cstaload/process_stats.hpp"
#include "tools/cstaload/second_series.hpp"

using namespace cstad::load;
using namespace std::chrono_literals;

TEST_CASE("percentile is the nearest rank: always a measured value") {
  std::vector<std::uint32_t> hundred;
  for (std::uint32_t i = 1; i <= 100; ++i)
    hundred.push_back(i);
  CHECK(percentile(hundred, 0.50) == 50);
  CHECK(percentile(hundred, 0.99) == 99);
  CHECK(percentile(hundred, 1.0) == 100);
  CHECK(percentile(hundred, 0.0) == 1);
  CHECK(percentile({7}, 0.99) == 7);
  CHECK(percentile({}, 0.5) == 0);
  // Ten samples: p99 is the largest (rank ceil(9.9) = 10), p50 the fifth.
  std::vector<std::uint32_t> ten{10, 20, 30, 40, 50, 60, 70, 80, 90, 1000};
  CHECK(percentile(ten, 0.50) == 50);
  CHECK(percentile(ten, 0.99) == 1000);
}

TEST_CASE("latency_samples sorts, summarises and appends") {
  latency_samples s;
  CHECK(s.summarize().count == 0);
  for (std::uint32_t v : {300u, 100u, 200u})
    s.add(v);
  s.add(std::chrono::steady_clock::duration{1500us});
  s.add(std::chrono::steady_clock::duration{-5us});  // a clock step backwards reads as 0
  auto sum = s.summarize();
  CHECK(sum.count == 5);
  CHECK(sum.p50 == 200);
  CHECK(sum.p99 == 1500);
  CHECK(sum.max == 1500);
  latency_samples more;
  more.add(5000);
  s.append(more);
  CHECK(s.summarize().max == 5000);
}

TEST_CASE("second_series: rates per row from the totals, percentiles per row, the window's samples") {
  auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  counts totals{10, 5, 1, 0};  // what set-up left: not in the first row
  second_series series{t0, totals};

  series.make_call().add(1000);
  series.make_call().add(3000);
  totals = {1010, 305, 101, 2};
  auto& warm = series.close(t0 + 1s, totals, false, 0.5, 20.0);
  CHECK(warm.t == doctest::Approx(1.0));
  CHECK(warm.events_per_s == doctest::Approx(1000));
  CHECK(warm.requests_per_s == doctest::Approx(300));
  CHECK(warm.calls_per_s == doctest::Approx(100));
  CHECK(warm.errors == 2);
  CHECK(warm.make_call.p50 == 1000);
  CHECK(warm.make_call.p99 == 3000);
  CHECK(warm.event.count == 0);
  CHECK(*warm.server_cores == doctest::Approx(0.5));

  series.make_call().add(2000);
  series.event().add(700);
  totals.events += 1000;  // in half a second
  auto& half = series.close(t0 + 1500ms, totals, true, std::nullopt, std::nullopt);
  CHECK(half.length == doctest::Approx(0.5));
  CHECK(half.events_per_s == doctest::Approx(2000));
  CHECK(half.in_window);
  CHECK(half.make_call.p50 == 2000);
  CHECK_FALSE(half.server_cores);

  CHECK(series.rows().size() == 2);
  // Only the window's rows gave their samples to the window.
  CHECK(series.window_make_call().summarize().count == 1);
  CHECK(series.window_event().summarize().p50 == 700);
}

TEST_CASE("first_event_latency: the MakeCall's answer or the DeliveredEvent may come first") {
  first_event_latency l;
  auto t = std::chrono::steady_clock::time_point{} + 1h;

  // The answer first, then the call's DeliveredEvent on two connections: one sample.
  CHECK_FALSE(l.answered("1000000000001", t));
  auto d = l.delivered("1000000000001", t + 3ms);
  REQUIRE(d);
  CHECK(*d == 3ms);
  CHECK_FALSE(l.delivered("1000000000001", t + 4ms));

  // The DeliveredEvent before the answer (it overtook the response): measured from the send.
  CHECK_FALSE(l.delivered("1000000000002", t + 10ms));
  auto early = l.answered("1000000000002", t + 2ms);
  REQUIRE(early);
  CHECK(*early == 8ms);
  CHECK_FALSE(l.delivered("1000000000002", t + 11ms));

  // A call id answered again is not a new call.
  CHECK_FALSE(l.answered("1000000000001", t + 20ms));

  // Events of calls not made here are forgotten with the rest of what is old.
  CHECK_FALSE(l.delivered("9", t + 30ms));
  CHECK(l.tracked() == 3);
  l.forget_before(t + 25ms);
  CHECK(l.tracked() == 1);
  l.forget_before(t + 1s);
  CHECK(l.tracked() == 0);
}

TEST_CASE("csv rows: one per second, latency cells empty without samples") {
  second_row r;
  r.t = 2.5;
  r.events_per_s = 1234.56;
  r.requests_per_s = 30;
  r.calls_per_s = 10;
  r.make_call = {3, 1500, 2500, 2500};
  r.server_cores = 0.75;
  r.server_rss_mib = 48.25;
  r.in_window = true;
  CHECK(csv_header() ==
        "t_s,events_per_s,requests_per_s,calls_per_s,makecall_p50_ms,makecall_p99_ms,event_p50_ms,event_p99_ms,"
        "server_cpu_cores,server_rss_mib,window");
  CHECK(csv_row(r) == "2.500,1234.6,30.0,10.0,1.500,2.500,,,0.750,48.2,1");
  r.server_cores.reset();
  r.server_rss_mib.reset();
  r.in_window = false;
  CHECK(csv_row(r) == "2.500,1234.6,30.0,10.0,1.500,2.500,,,,,0");
  CHECK(trivial_csv_path("load.csv") == "load.trivial.csv");
  CHECK(trivial_csv_path("out/run.1/load") == "out/run.1/load.trivial");
  CHECK(trivial_csv_path("/tmp/x.y/.csv") == "/tmp/x.y/.csv.trivial");
}

TEST_CASE("parse_stat_line reads the CPU of a /proc stat line whose name has spaces and parentheses") {
  // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
  auto parsed = parse_stat_line("42 (caf.multi (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0");
  REQUIRE(parsed);
  CHECK(parsed->first == "caf.multi (x) y");
  CHECK(parsed->second > 0);
  CHECK_FALSE(parse_stat_line("42 (short) S 1 2"));
  CHECK_FALSE(parse_stat_line(""));
}
