#pragma once
// How events travel from a LIM to the sessions that monitor its devices. A device watched by
// fifty sessions sees each event once: its LIM makes one payload, encodes it once, and every
// session gets a reference to it with its own monitorCrossRefIDs. What one step of the
// exchange produced for a session goes to it as one batch, in the exchange's order, so a busy
// call costs one message per session, not one per event and monitor.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/csta_event.hpp"
#include "protocol/event_template.hpp"

namespace cstad::service {

/// One event as a device (or a call) saw it; immutable once made, shared across threads.
class event_payload {
public:
  explicit event_payload(protocol::csta_event view) : view_(std::move(view)) {}

  /// The event, its cross-reference empty.
  const protocol::csta_event& view() const { return view_; }

  /// The document for the monitor cross_ref in namespace ns, appended to out. Encoded once for
  /// the first namespace asked (in practice every session has the same); others are encoded
  /// for each call.
  void append_to(std::string& out, std::string_view cross_ref, std::string_view ns) const {
    append_to(out, cross_ref, ns, false);
  }
  /// The same; cross_ref_is_plain says that cross_ref holds nothing XML escapes, so that it is
  /// not scanned for it (a session knows that of its monitors' ids when they start).
  void append_to(std::string& out, std::string_view cross_ref, std::string_view ns, bool cross_ref_is_plain) const;
  std::string render(std::string_view cross_ref, std::string_view ns) const;
  /// The document with its monitorCrossRefID empty, when ns is the namespace it is encoded in
  /// (the first asked); else null. It lives, unchanged, as long as this payload.
  const protocol::event_template* template_in(std::string_view ns) const;

private:
  protocol::csta_event view_;
  // A cache of a pure function of view_, filled once (call_once makes it safe for the sessions
  // that read it from several threads); never changed after.
  mutable std::once_flag encoded_;
  mutable std::atomic<bool> encoded_ready_{false};  // set (release) once the cache is filled
  // The namespace of template_: a constant of protocol/namespaces.hpp when it is a well-known
  // one (then a caller passing that constant is recognised by its address, without comparing
  // some sixty characters per delivery), else encoded_ns_storage_.
  mutable std::string_view encoded_ns_;
  mutable std::string encoded_ns_storage_;
  mutable protocol::event_template template_;
};

/// A monitor's number as its session gave it to the LIM (service/monitor_slots.hpp): none.
constexpr std::uint32_t no_monitor_slot = UINT32_MAX;

/// One event for one monitor.
struct event_delivery {
  std::shared_ptr<const event_payload> event;
  std::string cross_ref;
  std::uint32_t slot = no_monitor_slot;  // the session's number of the monitor: a hint
};

/// What one step of a LIM's exchange produced for one session.
struct event_batch {
  std::vector<event_delivery> deliveries;
};

/// Between processes (events of another LIM's devices) the event itself travels; the receiving
/// side makes its own payload.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_delivery& x) {
  if constexpr (Inspector::reads_state) {
    auto view = x.event ? x.event->view() : protocol::csta_event{};
    return f(view, x.cross_ref, x.slot);
  } else {
    protocol::csta_event view;
    auto result = f(view, x.cross_ref, x.slot);
    x.event = std::make_shared<const event_payload>(std::move(view));
    return result;
  }
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_batch& x) {
  return f(x.deliveries);
}

}  // namespace cstad::service
