#pragma once
// Event latency, as cstaload defines it: from sending a MakeCall to the first DeliveredEvent
// of that call on any monitoring connection. The call is known by the callID of the
// MakeCallResponse, and a server under load may deliver the event before that response (on
// another connection, or ahead of it on the same one), so either may come first: the latency
// is taken when both are known, once per call.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cstad::load {

class first_event_latency {
public:
  using clock = std::chrono::steady_clock;

  /// The MakeCall sent at `sent` was answered with call id `call`; the latency when the
  /// call's DeliveredEvent came already.
  std::optional<clock::duration> answered(std::string_view call, clock::time_point sent);

  /// A DeliveredEvent of `call` arrived at `at`; the latency when it is the call's first and
  /// its MakeCall is known.
  std::optional<clock::duration> delivered(std::string_view call, clock::time_point at);

  /// Forgets what was last heard of before `before`: calls measured long ago (whose further
  /// DeliveredEvents on other connections have come) and events of calls not made here.
  void forget_before(clock::time_point before);

  std::size_t tracked() const { return calls_.size(); }

private:
  struct call_state {
    std::optional<clock::time_point> sent, delivered;
    bool measured = false;
    clock::time_point touched{};
  };
  std::unordered_map<std::string, call_state> calls_;
};

}  // namespace cstad::load
