#include "tools/cstaload/trivial_frames.hpp"

#include <cstdio>
#include <cstring>

#include "protocol/application_session.hpp"
#include "protocol/csta_error.hpp"
#include "protocol/csta_event.hpp"
#include "protocol/framing.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/responses.hpp"

namespace cstad::load {

namespace proto = cstad::protocol;

namespace {

std::vector<std::size_t> places(std::string_view bytes, std::string_view placeholder) {
  std::vector<std::size_t> at;
  for (auto p = bytes.find(placeholder); p != std::string_view::npos; p = bytes.find(placeholder, p + 1))
    at.push_back(p);
  return at;
}

/// The event from the point of view of a monitor, with the placeholders in it.
proto::csta_event event(proto::event_type type, std::string_view connection_device, std::string_view subject,
                        proto::connection_state local, proto::event_cause cause) {
  proto::csta_event e;
  e.type = type;
  e.cross_ref = frame_template::cross_ref_placeholder;
  e.connection = {std::string{frame_template::call_placeholder}, std::string{connection_device}};
  e.subject = subject;
  e.local = local;
  e.cause = cause;
  return e;
}

frame_template encoded(const proto::csta_event& e) { return frame_template{proto::encode_event(e, proto::ns_ed3)}; }

}  // namespace

frame_template::frame_template(std::string_view body) {
  auto frame = proto::encode_frame(0, body);
  bytes_ = frame ? *frame : std::string{};
  cross_ref_at_ = places(bytes_, cross_ref_placeholder);
  call_at_ = places(bytes_, call_placeholder);
}

void frame_template::append(std::string& out, int invoke_id, std::string_view cross_ref, std::string_view call) const {
  auto start = out.size();
  out += bytes_;
  char digits[5];
  std::snprintf(digits, sizeof digits, "%04d", invoke_id);
  std::memcpy(&out[start + 4], digits, 4);  // after 00 00 and the length
  for (auto at : cross_ref_at_)
    std::memcpy(&out[start + at], cross_ref.data(), trivial_id_width);
  for (auto at : call_at_)
    std::memcpy(&out[start + at], call.data(), trivial_id_width);
}

call_frames make_call_frames(std::string_view a, std::string_view b) {
  using proto::connection_state;
  using proto::event_cause;
  using proto::event_type;
  call_frames f;
  f.make_call_response = frame_template{proto::encode_connection_response(
      "MakeCallResponse", "callingDevice", {std::string{frame_template::call_placeholder}, std::string{a}},
      proto::ns_ed3)};

  auto with_parties = [&](proto::csta_event e) {
    e.calling = a;
    e.called = b;
    return e;
  };
  auto delivered = [&](connection_state local) {
    return encoded(with_parties(event(event_type::delivered, b, b, local, event_cause::newCall)));
  };
  auto established = encoded(
      with_parties(event(event_type::established, b, b, connection_state::connected, event_cause::newCall)));
  auto a_cleared = [&](connection_state local) {
    return encoded(event(event_type::connection_cleared, a, a, local, event_cause::normalClearing));
  };

  f.calling.made = {
      encoded(event(event_type::service_initiated, a, a, connection_state::initiated, event_cause::makeCall)),
      encoded(with_parties(event(event_type::originated, a, a, connection_state::connected, event_cause::newCall))),
      delivered(connection_state::connected)};
  f.called.made = {delivered(connection_state::alerting)};
  f.calling.answered = {established};
  f.called.answered = {established};
  f.calling.cleared = {a_cleared(connection_state::null)};
  f.called.cleared = {a_cleared(connection_state::connected),
                      encoded(event(event_type::connection_cleared, b, b, connection_state::null,
                                    event_cause::normalClearing))};
  return f;
}

answer_frames make_answer_frames() {
  answer_frames f;
  f.monitor_start_response =
      frame_template{proto::encode_monitor_start_response(frame_template::cross_ref_placeholder, proto::ns_ed3)};
  f.answer_call_response = frame_template{proto::encode_empty_response("AnswerCall", proto::ns_ed3)};
  f.clear_connection_response = frame_template{proto::encode_empty_response("ClearConnection", proto::ns_ed3)};
  f.start_session_response =
      frame_template{proto::encode_start_application_session_pos_response("trivial", proto::ns_ed3, 300)};
  f.reset_session_timer_response = frame_template{proto::encode_reset_application_session_timer_pos_response(300)};
  f.unknown_call = frame_template{proto::encode_csta_error(proto::errors::operation("invalidCallID"), proto::ns_ed3)};
  f.not_supported =
      frame_template{proto::encode_csta_error(proto::errors::operation("serviceNotSupported"), proto::ns_ed3)};
  return f;
}

std::string trivial_id(unsigned long long n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", static_cast<int>(trivial_id_width), n);
  return buf;
}

}  // namespace cstad::load
