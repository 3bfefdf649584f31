#pragma once
// A session's numbers for its monitors. The session gives a monitor's number to its LIM with
// the request that starts it, and the LIM hands it back with every event for that monitor
// (event_delivery::slot): the session finds the monitor by index instead of hashing the
// monitorCrossRefID, which at full load cost about 6% of the server's time. The number is
// only a hint: a delivery whose entry is gone, reused, or belongs to another session (a
// monitor moved by session recovery keeps the number its old session gave) is checked against
// the cross-reference by the caller and then looked up by it.

#include <cstdint>
#include <vector>

#include "service/event_batch.hpp"

namespace cstad::service {

template <class Entry>
class monitor_slots {
public:
  /// A free number, for a monitor about to start.
  std::uint32_t take() {
    if (!free_.empty()) {
      auto slot = free_.back();
      free_.pop_back();
      return slot;
    }
    entries_.push_back(nullptr);
    return static_cast<std::uint32_t>(entries_.size() - 1);
  }
  /// The monitor that holds the number (it started); entries must stay where they are until
  /// given back (a node of an unordered_map does).
  void place(std::uint32_t slot, Entry* entry) {
    if (slot < entries_.size())
      entries_[slot] = entry;
  }
  /// The number is free again (its monitor ended, or never started).
  void give_back(std::uint32_t slot) {
    if (slot >= entries_.size())
      return;
    entries_[slot] = nullptr;
    free_.push_back(slot);
  }
  /// The entry holding the number; nullptr when none does.
  Entry* find(std::uint32_t slot) const { return slot < entries_.size() ? entries_[slot] : nullptr; }

private:
  std::vector<Entry*> entries_;
  std::vector<std::uint32_t> free_;
};

}  // namespace cstad::service
