#pragma once
// The frames of the trivial baseline server, encoded once with the same codec cstad uses: its
// answers, and for a call a->b the events cstad sends a connection that monitors a and b (as
// measured on cstad's demo exchange, per monitor: a gets ServiceInitiated, Originated,
// Delivered; b Delivered; then each Established; then a one ConnectionCleared, b two). Writing
// one is a copy and the patching of fixed-width digits: the invoke id, the monitor's
// cross-reference and the call id (13 digits each, as cstad's).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cstad::load {

inline constexpr std::size_t trivial_id_width = 13;

/// A whole frame with places for a cross-reference and a call id.
class frame_template {
public:
  frame_template() = default;
  /// From an XML body holding the placeholders cross_ref_placeholder / call_placeholder.
  explicit frame_template(std::string_view body);

  /// Appends the frame to out with the invoke id and the values (each trivial_id_width long).
  void append(std::string& out, int invoke_id, std::string_view cross_ref = {}, std::string_view call = {}) const;
  std::size_t size() const { return bytes_.size(); }

  static constexpr std::string_view cross_ref_placeholder = "@@CROSSREF@@@";
  static constexpr std::string_view call_placeholder = "@@CALLID@@@@@";

private:
  std::string bytes_;
  std::vector<std::size_t> cross_ref_at_, call_at_;
};

/// What a monitor on one side of a call is sent at each step.
struct call_events {
  std::vector<frame_template> made, answered, cleared;
};

/// The frames of calls from a to b.
struct call_frames {
  frame_template make_call_response;
  call_events calling, called;  // for monitors of a, of b
};

call_frames make_call_frames(std::string_view a, std::string_view b);

/// The answers that carry nothing of a call.
struct answer_frames {
  frame_template monitor_start_response;  // its cross-reference in the cross_ref place
  frame_template answer_call_response, clear_connection_response;
  frame_template start_session_response, reset_session_timer_response;
  frame_template unknown_call;      // CSTAErrorCode operation/invalidCallID
  frame_template not_supported;     // CSTAErrorCode operation/serviceNotSupported
};

answer_frames make_answer_frames();

/// A number as trivial_id_width digits (cstad's ids start at 1000000000001).
std::string trivial_id(unsigned long long n);

}  // namespace cstad::load
