#pragma once
// The device monitors a LIM holds: for each monitored device, the sessions watching it, each
// with its monitors there (cross-reference and filter). Events walk the sessions of a device;
// a session's end, a MonitorStop and a TransferMonitorObjects cost only the monitors they
// concern (a session with 100,000 monitors ends in time linear in them, and nobody else
// waits). Generic in the session's handle and its identity, so that it holds no actor types;
// Extra is whatever its user keeps per session and device (the LIM: where that session's batch
// of events is, event_outbox::place_hint).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace cstad::service {

template <class Key, class Session, class Extra = std::monostate>
class device_monitors {
public:
  struct watcher {
    std::string cross_ref;
    std::set<std::string> suppressed;  // filter names the client asked not to receive
    std::uint32_t slot = UINT32_MAX;   // the session's number of the monitor (monitor_slots.hpp)
  };
  struct subscriber {
    Key key;
    Session session;
    std::vector<watcher> monitors;
    Extra extra{};
  };
  struct device {
    // A vector, not a map: every event walks all of them; where each session is kept apart, so
    // a session leaves without a search (swap with the last).
    std::vector<subscriber> sessions;
    std::unordered_map<Key, std::size_t> position;
  };

  /// Adds a monitor. True when it is the session's first device monitor here (its end is to
  /// be watched).
  bool add(const Key& key, const Session& session, const std::string& number, std::string cross_ref,
           std::set<std::string> suppressed, std::uint32_t slot = UINT32_MAX) {
    bool first = place(key, session, number);
    auto& d = devices_[number];
    device_of_[cross_ref] = number;
    d.sessions[d.position[key]].monitors.push_back({std::move(cross_ref), std::move(suppressed), slot});
    return first;
  }

  /// Removes one device monitor of the session. False when it has no such monitor; `last` says
  /// whether the session holds no device monitor here any more.
  bool remove(const Key& key, const std::string& cross_ref, bool& last) {
    last = false;
    auto i = device_of_.find(cross_ref);
    if (i == device_of_.end())
      return false;
    auto number = i->second;
    auto m = take(key, number, cross_ref);
    if (!m)
      return false;
    device_of_.erase(cross_ref);
    last = watched_by_.count(key) == 0;
    return true;
  }

  /// Changes one monitor's filter; false when the session has no such device monitor.
  bool set_filter(const Key& key, const std::string& cross_ref, std::set<std::string> suppressed) {
    auto w = find_watcher(key, cross_ref);
    if (w == nullptr)
      return false;
    w->suppressed = std::move(suppressed);
    return true;
  }

  /// Removes every device monitor of the session, in time linear in them.
  void release(const Key& key) {
    auto w = watched_by_.find(key);
    if (w == watched_by_.end())
      return;
    for (auto& number : w->second)
      if (auto d = devices_.find(number); d != devices_.end()) {
        if (auto p = d->second.position.find(key); p != d->second.position.end())
          for (auto& m : d->second.sessions[p->second].monitors)
            device_of_.erase(m.cross_ref);
        leave(d->second, key);
        if (d->second.sessions.empty())
          devices_.erase(d);
      }
    watched_by_.erase(w);
  }

  /// Moves the session's device monitors with these cross-references to another session, each
  /// keeping its cross-reference and filter (TransferMonitorObjects). Returns how many moved;
  /// `first` says whether the new session had no device monitor here before.
  std::size_t move(const Key& from, const std::vector<std::string>& cross_refs, const Key& to,
                   const Session& session, bool& first) {
    first = watched_by_.count(to) == 0;
    std::size_t moved = 0;
    for (auto& cross_ref : cross_refs) {
      auto i = device_of_.find(cross_ref);
      if (i == device_of_.end())
        continue;
      auto number = i->second;
      auto m = take(from, number, cross_ref);
      if (!m)
        continue;
      place(to, session, number);
      auto& d = devices_[number];
      d.sessions[d.position[to]].monitors.push_back(std::move(*m));
      ++moved;
    }
    return moved;
  }

  device* find(const std::string& number) {
    auto d = devices_.find(number);
    return d == devices_.end() ? nullptr : &d->second;
  }
  bool empty() const { return devices_.empty(); }
  std::size_t device_count() const { return devices_.size(); }
  /// Whether the session holds any device monitor here.
  bool holds(const Key& key) const { return watched_by_.count(key) != 0; }
  /// f(number, device) for every monitored device.
  template <class F>
  void for_each(F&& f) const {
    for (auto& [number, d] : devices_)
      f(number, d);
  }

private:
  // The session as a subscriber of the device (added when new); true when it is the session's
  // first device here at all.
  bool place(const Key& key, const Session& session, const std::string& number) {
    auto& d = devices_[number];
    if (d.position.count(key) != 0)
      return false;
    auto& mine = watched_by_[key];
    bool first = mine.empty();
    mine.push_back(number);
    d.position.emplace(key, d.sessions.size());
    d.sessions.push_back(subscriber{key, session, {}, {}});
    return first;
  }

  // Takes one monitor out of the session's at the device; the session leaves the device when
  // it was its last there, and the device goes when nobody watches it.
  std::optional<watcher> take(const Key& key, const std::string& number, const std::string& cross_ref) {
    auto d = devices_.find(number);
    if (d == devices_.end())
      return std::nullopt;
    auto p = d->second.position.find(key);
    if (p == d->second.position.end())
      return std::nullopt;
    auto& monitors = d->second.sessions[p->second].monitors;
    auto w = std::find_if(monitors.begin(), monitors.end(), [&](const watcher& x) { return x.cross_ref == cross_ref; });
    if (w == monitors.end())
      return std::nullopt;
    auto out = std::move(*w);
    monitors.erase(w);
    if (monitors.empty()) {
      leave(d->second, key);
      if (d->second.sessions.empty())
        devices_.erase(d);
      auto& mine = watched_by_[key];
      mine.erase(std::remove(mine.begin(), mine.end(), number), mine.end());
      if (mine.empty())
        watched_by_.erase(key);
    }
    return out;
  }

  watcher* find_watcher(const Key& key, const std::string& cross_ref) {
    auto i = device_of_.find(cross_ref);
    if (i == device_of_.end())
      return nullptr;
    auto d = devices_.find(i->second);
    if (d == devices_.end())
      return nullptr;
    auto p = d->second.position.find(key);
    if (p == d->second.position.end())
      return nullptr;
    for (auto& w : d->second.sessions[p->second].monitors)
      if (w.cross_ref == cross_ref)
        return &w;
    return nullptr;
  }

  static void leave(device& d, const Key& key) {
    auto i = d.position.find(key);
    if (i == d.position.end())
      return;
    auto at = i->second;
    d.position.erase(i);
    if (at + 1 != d.sessions.size()) {
      d.sessions[at] = std::move(d.sessions.back());
      d.position[d.sessions[at].key] = at;
    }
    d.sessions.pop_back();
  }

  std::unordered_map<std::string, device> devices_;
  std::unordered_map<std::string, std::string> device_of_;  // cross-reference -> device
  // The devices each session watches, so its end costs only its own monitors.
  std::unordered_map<Key, std::vector<std::string>> watched_by_;
};

}  // namespace cstad::service
