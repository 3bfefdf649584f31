#pragma once
// Collects what one step of a LIM's exchange produced for each session (service/event_batch.hpp)
// and hands out one batch per session at the end of the step. Sessions keep the order in which
// they were first posted to; each batch keeps the exchange's order. CAF-free: Key identifies a
// session (its actor address), Session is whatever a batch is sent to.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "service/event_batch.hpp"

namespace cstad::service {

template <class Key, class Session>
class event_outbox {
public:
  /// The event for one monitor (cross_ref) of the session.
  void post(const Key& key, const Session& session, const std::shared_ptr<const event_payload>& event,
            const std::string& cross_ref, std::uint32_t slot = no_monitor_slot) {
    auto [i, added] = index_.try_emplace(key, batches_.size());
    if (added) {
      batches_.emplace_back(session, event_batch{});
      // A step's events for one session are a few (a call's steps touch a device or two):
      // room for them at once rather than growing one by one.
      batches_.back().second.deliveries.reserve(8);
    }
    batches_[i->second].second.deliveries.push_back({event, cross_ref, slot});
  }

  bool empty() const { return batches_.empty(); }

  /// send(session, event_batch&&) for each session posted to since the last flush.
  template <class Send>
  void flush(Send&& send) {
    for (auto& [session, batch] : batches_)
      send(session, std::move(batch));
    batches_.clear();
    index_.clear();
  }

private:
  std::vector<std::pair<Session, event_batch>> batches_;
  std::unordered_map<Key, std::size_t> index_;
};

}  // namespace cstad::service
