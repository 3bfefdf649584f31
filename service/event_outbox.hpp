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
  /// Where a session's batch is among those since the last flush, as a caller remembers it
  /// between posts (the LIM keeps one per session and monitored device): a post that finds it
  /// current skips looking the session up. Only for posts with the same key to this outbox.
  struct place_hint {
    std::uint64_t round = 0;  // the outbox's round it is of; 0: none
    std::size_t index = 0;
  };

  /// The event for one monitor (cross_ref) of the session.
  void post(const Key& key, const Session& session, const std::shared_ptr<const event_payload>& event,
            const std::string& cross_ref, std::uint32_t slot = no_monitor_slot) {
    batches_[place(key, session)].second.deliveries.push_back({event, cross_ref, slot});
  }
  /// The same, finding the session's batch through the caller's hint.
  void post(const Key& key, const Session& session, place_hint& hint,
            const std::shared_ptr<const event_payload>& event, const std::string& cross_ref,
            std::uint32_t slot = no_monitor_slot) {
    if (hint.round != round_)
      hint = {round_, place(key, session)};
    batches_[hint.index].second.deliveries.push_back({event, cross_ref, slot});
  }

  bool empty() const { return batches_.empty(); }

  /// send(session, event_batch&&) for each session posted to since the last flush.
  template <class Send>
  void flush(Send&& send) {
    for (auto& [session, batch] : batches_)
      send(session, std::move(batch));
    batches_.clear();
    index_.clear();
    ++round_;
  }

private:
  // The session's batch (made when it has none yet).
  std::size_t place(const Key& key, const Session& session) {
    auto [i, added] = index_.try_emplace(key, batches_.size());
    if (added) {
      batches_.emplace_back(session, event_batch{});
      // Room for the events of a few steps at once, rather than growing one by one.
      batches_.back().second.deliveries.reserve(16);
    }
    return i->second;
  }

  std::uint64_t round_ = 1;
  std::vector<std::pair<Session, event_batch>> batches_;
  std::unordered_map<Key, std::size_t> index_;
};

}  // namespace cstad::service
