#include "transport/j2_envelope.hpp"

namespace cstad::transport {

std::optional<j2_envelope::input> j2_envelope::next() {
  if (broken_)
    return std::nullopt;
  auto r = decoder_.next();
  switch (r.state) {
    case protocol::frame_decoder::status::need_more:
      return std::nullopt;
    case protocol::frame_decoder::status::error: {
      broken_ = true;
      std::optional<correlation> corr;
      if (r.invoke_id)
        corr = correlation{static_cast<std::uint64_t>(*r.invoke_id)};
      return broken{corr, protocol::to_string(r.error)};
    }
    case protocol::frame_decoder::status::frame_ready:
      break;
  }
  return request{correlation{static_cast<std::uint64_t>(r.value.invoke_id), r.value.invoke_id == protocol::event_invoke_id},
                 std::move(r.value.body)};
}

std::optional<std::string> j2_envelope::answer(correlation corr, std::string_view xml) {
  return protocol::encode_frame(invoke_id(corr), xml);
}

std::optional<std::string> j2_envelope::notification(std::string_view xml) {
  return protocol::encode_frame(protocol::event_invoke_id, xml);
}

}  // namespace cstad::transport
