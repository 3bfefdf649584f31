#pragma once
// SIP over a byte stream (TCP, TLS): where one message ends (RFC 3261 18.3: the headers end at
// the first empty line, Content-Length says how long the body is). Empty lines between
// messages are keep-alives and skipped. A message over the limits cannot be taken: the stream
// is broken, and the carrier answers 413 and closes. No sockets.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cstad::transport {

class sip_stream {
public:
  static constexpr std::size_t max_headers = 16 * 1024;
  static constexpr std::size_t max_body = 64 * 1024;

  void feed(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }

  /// The next whole message, if one has arrived.
  std::optional<std::string> next();

  /// Why the stream cannot go on (empty while it can): "oversized" or "no Content-Length".
  const std::string& broken() const { return broken_; }

private:
  std::string buffer_;
  std::string broken_;
};

}  // namespace cstad::transport
