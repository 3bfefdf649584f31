#pragma once
// Things due at a time, taken earliest first and, among those due at the same time, in the order
// they were added (the order a std::multimap keyed by time gives, which the simulation's
// determinism relies on). A binary heap of small keys in one vector, the values in reused slots
// beside it: no node allocated per entry, no pointer chasing through a tree, and sifting moves
// 24 bytes, never a value. An entry that has become pointless can be cancelled, so that a busy
// exchange's queue holds only what may still matter (a caller's patience runs for minutes, the
// call it guards is answered in seconds).

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/clock.hpp"

namespace cstad::sim {

template <class T>
class timer_queue {
public:
  /// Names a queued entry until it is popped or cancelled; then it may name a later one.
  using handle = std::uint32_t;

  handle push(time_point due, T value) {
    handle slot;
    if (free_.empty()) {
      slot = static_cast<handle>(values_.size());
      values_.push_back(std::move(value));
      position_.push_back(0);
    } else {
      slot = free_.back();
      free_.pop_back();
      values_[slot] = std::move(value);
    }
    heap_.push_back(key{due, added_++, slot});
    sift_up(heap_.size() - 1);
    return slot;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  /// When the earliest is due; the queue must not be empty.
  time_point next_due() const { return heap_.front().due; }
  /// Removes the earliest and returns it; the queue must not be empty.
  T pop() {
    auto slot = heap_.front().slot;
    remove_at(0);
    return std::move(values_[slot]);
  }
  /// Removes a queued entry before it is due.
  void cancel(handle h) { remove_at(position_[h]); }
  /// Visits every entry, in no particular order, to change what it refers to (never its time).
  template <class F>
  void for_each(F&& f) {
    for (auto& k : heap_)
      f(values_[k.slot]);
  }

private:
  struct key {
    time_point due;
    std::uint64_t added;  // ties at the same time go in insertion order
    handle slot;          // where the value is in values_
  };
  static bool before(const key& a, const key& b) {
    return a.due != b.due ? a.due < b.due : a.added < b.added;
  }
  void place(std::size_t i, const key& k) {
    heap_[i] = k;
    position_[k.slot] = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) {
    auto k = heap_[i];
    for (; i > 0 && before(k, heap_[(i - 1) / 2]); i = (i - 1) / 2)
      place(i, heap_[(i - 1) / 2]);
    place(i, k);
  }
  void sift_down(std::size_t i) {
    auto k = heap_[i];
    for (;;) {
      auto child = 2 * i + 1;
      if (child >= heap_.size())
        break;
      if (child + 1 < heap_.size() && before(heap_[child + 1], heap_[child]))
        ++child;
      if (!before(heap_[child], k))
        break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, k);
  }
  // The last key fills the hole, then moves up or down to where it belongs.
  void remove_at(std::size_t i) {
    free_.push_back(heap_[i].slot);
    auto last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size())
      return;
    place(i, last);
    if (i > 0 && before(last, heap_[(i - 1) / 2]))
      sift_up(i);
    else
      sift_down(i);
  }

  std::vector<key> heap_;
  std::vector<T> values_;
  std::vector<std::uint32_t> position_;  // by slot: where its key is in heap_
  std::vector<handle> free_;             // slots of values_ that are free again
  std::uint64_t added_ = 0;
};

}  // namespace cstad::sim
