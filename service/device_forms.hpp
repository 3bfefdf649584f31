#pragma once
// The forms a client names devices in. A client that writes "tel:+4687001000" compares what it
// is sent with that text, not with the plan's "1000" (Lync and OpenScape-style clients do): a
// session remembers, for each number, the form the client used last, and every device id it
// sends, in responses and events, goes out in that form. Numbers the client never named go out
// as the plan's numbers. A client that writes plain numbers has no forms, and nothing it is
// sent is touched.

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include "protocol/csta_event.hpp"
#include "sim/operation.hpp"

namespace cstad::service {

class device_forms {
public:
  /// The client wrote `number` as `as_sent`; a number of the plan, or not (an outside number).
  /// The latest form wins; the plain number itself forgets the form.
  void remember(const std::string& number, const std::string& as_sent, bool in_plan);

  bool empty() const { return by_number_.empty(); }
  /// The client's form of number, or number itself.
  const std::string& form_of(const std::string& number) const;

  /// The event with every device id in the client's form, except `own`, the device of the
  /// monitor it is for: that one in `own_form`, the form the monitor was started with.
  protocol::csta_event render(const protocol::csta_event& e, const std::string& own,
                              const std::string& own_form) const;
  /// The outcome of an operation with every device id in the client's form (its response).
  sim::outcome render(const sim::outcome& o) const;

  /// How many forms of outside numbers a session keeps, oldest forgotten first: a dialer
  /// calling tel: numbers all day would otherwise grow without bound. Numbers of the plan are
  /// bounded by the plan.
  static constexpr std::size_t max_outside = 256;
  /// A longer form is not kept (its number goes out plain): real device ids are far shorter,
  /// and a client must not make its session hold a frame's worth of text per number.
  static constexpr std::size_t max_form_length = 512;

private:
  void apply(std::string& device) const;

  std::unordered_map<std::string, std::string> by_number_;
  std::deque<std::string> outside_;  // outside numbers given a form, oldest first
};

}  // namespace cstad::service
