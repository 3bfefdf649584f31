#pragma once
// A session's numbers for its monitors. The session gives a monitor's number to its LIM with
// the request that starts it, and the LIM hands it back with every event for that monitor
// (event_delivery::slot): the session finds the monitor by index instead of hashing the
// monitorCrossRefID, which at full load cost about 6% of the server's time. The number is
// only a hint: a delivery whose entry is gone, reused, or belongs to another session (a
// monitor moved by session recovery keeps the number its old session gave) is checked against
// the cross-reference by the caller and then looked up by it.

#include <cstdint>
#include <utility>
#include <vector>

#include "service/event_batch.hpp"

namespace cstad::service {

// Hot: what the session reads of a monitor for the usual delivery, kept beside the number so
// that such a delivery touches one small, dense array instead of the monitor's map node.
template <class Entry, class Hot>
class monitor_slots {
public:
  /// A free number, for a monitor about to start.
  std::uint32_t take() {
    if (!free_.empty()) {
      auto slot = free_.back();
      free_.pop_back();
      return slot;
    }
    entries_.emplace_back();
    return static_cast<std::uint32_t>(entries_.size() - 1);
  }
  /// The monitor that holds the number (it started); entries must stay where they are until
  /// given back (a node of an unordered_map does).
  void place(std::uint32_t slot, Entry* entry, Hot hot) {
    if (slot < entries_.size())
      entries_[slot] = {entry, std::move(hot)};
  }
  /// The number is free again (its monitor ended, or never started).
  void give_back(std::uint32_t slot) {
    if (slot >= entries_.size())
      return;
    entries_[slot] = {};
    free_.push_back(slot);
  }
  /// The entry holding the number; nullptr when none does.
  Entry* find(std::uint32_t slot) const { return slot < entries_.size() ? entries_[slot].entry : nullptr; }
  /// What place() kept of the entry holding the number; nullptr when none does.
  const Hot* hot(std::uint32_t slot) const {
    return slot < entries_.size() && entries_[slot].entry != nullptr ? &entries_[slot].hot : nullptr;
  }

private:
  struct place_type {
    Entry* entry = nullptr;
    Hot hot{};
  };
  std::vector<place_type> entries_;
  std::vector<std::uint32_t> free_;
};

}  // namespace cstad::service
