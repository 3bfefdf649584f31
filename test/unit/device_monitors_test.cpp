// The LIM's registry of device monitors: adding, stopping, filters, a session's end, moving
// monitors to another session (TransferMonitorObjects), and linear release.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "service/device_monitors.hpp"

using registry = cstad::service::device_monitors<int, std::string>;

namespace {

// Who watches the device: "session:cross_ref,cross_ref" per subscriber, in order.
std::vector<std::string> watchers(registry& r, const std::string& number) {
  std::vector<std::string> out;
  auto d = r.find(number);
  if (d == nullptr)
    return out;
  for (auto& s : d->sessions) {
    std::string line = s.session + ":";
    for (auto& m : s.monitors)
      line += m.cross_ref + (m.suppressed.empty() ? "" : "!") + ",";
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("device monitors: added per session, the first of a session says so, stopped one by one") {
  registry r;
  CHECK(r.add(1, "a", "1000", "m1", {}));
  CHECK_FALSE(r.add(1, "a", "1000", "m2", {}));
  CHECK_FALSE(r.add(1, "a", "1001", "m3", {}));
  CHECK(r.add(2, "b", "1000", "m4", {}, 7));
  CHECK(watchers(r, "1000") == std::vector<std::string>{"a:m1,m2,", "b:m4,"});
  // The session's number of the monitor stays with it, for every event (event_delivery::slot).
  CHECK(r.find("1000")->sessions[1].monitors[0].slot == 7);
  CHECK(r.find("1000")->sessions[0].monitors[0].slot == UINT32_MAX);
  CHECK(r.device_count() == 2);
  bool last = true;
  CHECK(r.remove(1, "m1", last));
  CHECK_FALSE(last);
  CHECK_FALSE(r.remove(2, "m2", last));  // not session 2's
  CHECK(r.remove(1, "m2", last));
  CHECK(watchers(r, "1000") == std::vector<std::string>{"b:m4,"});
  CHECK(r.remove(1, "m3", last));
  CHECK(last);
  CHECK_FALSE(r.holds(1));
  CHECK(r.find("1001") == nullptr);
  CHECK(r.set_filter(2, "m4", {"delivered"}));
  CHECK_FALSE(r.set_filter(1, "m4", {}));
  CHECK(watchers(r, "1000") == std::vector<std::string>{"b:m4!,"});
}

TEST_CASE("device monitors: a session's end releases its monitors only, the others keep theirs") {
  registry r;
  r.add(1, "a", "1000", "m1", {});
  r.add(2, "b", "1000", "m2", {});
  r.add(3, "c", "1000", "m3", {});
  r.add(1, "a", "1001", "m4", {});
  r.release(1);
  CHECK(watchers(r, "1000") == std::vector<std::string>{"c:m3,", "b:m2,"});  // the last took its place
  CHECK(r.find("1001") == nullptr);
  bool last = false;
  CHECK_FALSE(r.remove(1, "m4", last));  // gone with the session
  CHECK(r.remove(2, "m2", last));
  CHECK(last);
  CHECK(watchers(r, "1000") == std::vector<std::string>{"c:m3,"});
}

TEST_CASE("device monitors: moved to another session keep cross-reference and filter") {
  registry r;
  r.add(1, "old", "1000", "m1", {"held"});
  r.add(1, "old", "1001", "m2", {});
  r.add(1, "old", "1002", "m3", {});
  r.add(2, "other", "1000", "m9", {});
  bool first = false;
  CHECK(r.move(1, {"m1", "m2", "nope"}, 3, "new", first) == 2);
  CHECK(first);
  CHECK(watchers(r, "1000") == std::vector<std::string>{"other:m9,", "new:m1!,"});
  CHECK(watchers(r, "1001") == std::vector<std::string>{"new:m2,"});
  CHECK(watchers(r, "1002") == std::vector<std::string>{"old:m3,"});
  r.release(1);
  CHECK(r.find("1002") == nullptr);
  CHECK(watchers(r, "1001") == std::vector<std::string>{"new:m2,"});
  bool last = false;
  CHECK(r.remove(3, "m1", last));
  CHECK_FALSE(last);
}

TEST_CASE("device monitors: 100,000 monitors of one session on one device are released at once") {
  registry r;
  for (int i = 0; i < 100000; ++i)
    r.add(1, "big", "1000", "m" + std::to_string(i), {});
  r.add(2, "small", "1000", "x", {});
  r.release(1);
  CHECK(watchers(r, "1000") == std::vector<std::string>{"small:x,"});
  // Stopping them one by one instead, from the last: each is found through its device.
  for (int i = 0; i < 1000; ++i)
    r.add(1, "big", "1000", "n" + std::to_string(i), {});
  bool last = false;
  for (int i = 999; i >= 0; --i)
    CHECK(r.remove(1, "n" + std::to_string(i), last));
  CHECK(last);
}
