#pragma once
// ECMA-323 Annex J.2 as a carrier envelope. Bytes in, requests out: the frame's invoke id
// becomes the request's correlation. Answers go out framed with the invoke id read back from
// their correlation; notifications (events, list segments, session terminations) with 9999.
// Pure, incremental, no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/framing.hpp"
#include "transport/correlation.hpp"

namespace cstad::transport {

class j2_envelope {
public:
  /// A whole request: its XML and where the answer goes.
  struct request {
    correlation corr;
    std::string xml;
  };
  /// The stream cannot be read any more; the broken frame's correlation when its invoke id
  /// was readable.
  struct broken {
    std::optional<correlation> corr;
    std::string reason;
  };
  using input = std::variant<request, broken>;

  /// Appends bytes received from the client.
  void feed(std::string_view bytes) { decoder_.feed(bytes); }
  /// Bytes of a frame begun but not complete yet.
  std::size_t buffered() const { return decoder_.buffered(); }

  /// The next request, the break, or nothing until more bytes arrive. After a break nothing
  /// more comes out: Annex J.2 has no resynchronisation marker.
  std::optional<input> next();

  /// The answer to the request with this correlation, framed; nothing when the XML does not
  /// fit into one frame.
  static std::optional<std::string> answer(correlation corr, std::string_view xml);
  /// A notification, framed with invoke id 9999.
  static std::optional<std::string> notification(std::string_view xml);

  /// The invoke id a correlation stands for (for the wire trace).
  static int invoke_id(correlation corr) { return static_cast<int>(corr.token); }

private:
  protocol::frame_decoder decoder_;
  bool broken_ = false;
};

}  // namespace cstad::transport
