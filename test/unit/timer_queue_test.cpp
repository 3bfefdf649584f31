// The exchange's and the simulation's timers: earliest first, ties in the order they were added
// (what the deterministic simulation relies on), and cancelled entries never come out.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/timer_queue.hpp"

using namespace cstad::sim;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> drain(timer_queue<std::string>& q) {
  std::vector<std::string> out;
  while (!q.empty())
    out.push_back(q.pop());
  return out;
}

}  // namespace

TEST_CASE("timer queue: earliest first, ties in the order they were added") {
  timer_queue<std::string> q;
  time_point t0{};
  q.push(t0 + 5s, "c");
  q.push(t0 + 1s, "a");
  q.push(t0 + 5s, "d");
  q.push(t0 + 3s, "b");
  q.push(t0 + 5s, "e");
  CHECK(q.next_due() == t0 + 1s);
  CHECK(drain(q) == std::vector<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("timer queue: cancelled entries never come out, and their slots are reused") {
  timer_queue<std::string> q;
  time_point t0{};
  auto first = q.push(t0 + 1s, "first");
  q.push(t0 + 2s, "second");
  auto third = q.push(t0 + 3s, "third");
  q.push(t0 + 4s, "fourth");
  q.cancel(third);
  q.cancel(first);
  CHECK(q.size() == 2);
  CHECK(q.next_due() == t0 + 2s);
  q.push(t0 + 2s, "tie");  // reuses a slot; still after "second", which was added before it
  CHECK(drain(q) == std::vector<std::string>{"second", "tie", "fourth"});
}

TEST_CASE("timer queue: a long mixed run keeps the order a multimap gives") {
  timer_queue<std::string> q;
  std::vector<std::pair<int, std::string>> expected;  // (due, name), stable-sorted below
  std::vector<timer_queue<std::string>::handle> handles;
  time_point t0{};
  for (int i = 0; i < 200; ++i) {
    auto due = (i * 37) % 23;
    auto name = std::to_string(i);
    handles.push_back(q.push(t0 + std::chrono::seconds(due), name));
    expected.emplace_back(due, name);
  }
  for (int i = 0; i < 200; i += 3) {  // cancel every third
    q.cancel(handles[static_cast<std::size_t>(i)]);
    expected[static_cast<std::size_t>(i)].second.clear();
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::string> want;
  for (auto& [due, name] : expected)
    if (!name.empty())
      want.push_back(name);
  CHECK(drain(q) == want);
}
