#include "tools/cstaload/first_event_latency.hpp"

#include <algorithm>

namespace cstad::load {

std::optional<first_event_latency::clock::duration> first_event_latency::answered(std::string_view call,
                                                                                clock::time_point sent) {
  auto& c = calls_[std::string{call}];
  c.touched = std::max(c.touched, sent);
  if (c.measured || c.sent)
    return std::nullopt;  // a call id answered twice is not a new call
  c.sent = sent;
  if (!c.delivered)
    return std::nullopt;
  c.measured = true;
  return *c.delivered - sent;
}

std::optional<first_event_latency::clock::duration> first_event_latency::delivered(std::string_view call,
                                                                                 clock::time_point at) {
  auto& c = calls_[std::string{call}];
  c.touched = std::max(c.touched, at);
  if (c.measured || c.delivered)
    return std::nullopt;  // not the first
  c.delivered = at;
  if (!c.sent)
    return std::nullopt;
  c.measured = true;
  return at - *c.sent;
}

void first_event_latency::forget_before(clock::time_point before) {
  for (auto it = calls_.begin(); it != calls_.end();)
    if (it->second.touched < before)
      it = calls_.erase(it);
    else
      ++it;
}

}  // namespace cstad::load
