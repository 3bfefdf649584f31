#pragma once
// ECMA-323 Annex J.2 framing ("TCP without SOAP"):
//   00 00 | uint16 big-endian total length incl. this 8-byte header | 4 ASCII digits invoke id | XML
// The decoder is incremental: feed it whatever the socket delivered, then pull whole frames.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cstad::protocol {

inline constexpr std::size_t frame_header_size = 8;
inline constexpr std::size_t max_frame_size = 65535;
inline constexpr int event_invoke_id = 9999;  // every unsolicited event carries it

struct frame {
  int invoke_id = 0;
  std::string body;
};

enum class frame_error {
  bad_version,     // bytes 0-1 are not 00 00: the stream cannot be trusted any more
  bad_length,      // the length field is below the header size
  bad_invoke_id,   // bytes 4-7 are not four ASCII digits
  tls_handshake,   // 16 03: a TLS client on a port without TLS (a bad_version, named for the log)
};

const char* to_string(frame_error e);

class frame_decoder {
public:
  enum class status { frame_ready, need_more, error };

  struct result {
    status state = status::need_more;
    frame value;                      // valid when state == frame_ready
    frame_error error{};              // valid when state == error
    std::optional<int> invoke_id;     // readable invoke id of a broken frame, if any
  };

  /// Appends bytes received from the peer.
  void feed(std::string_view bytes);

  /// Takes the next whole frame out of the buffer. After an error the decoder stays broken:
  /// framing has no resynchronisation marker, so the connection has to be closed.
  result next();

  std::size_t buffered() const { return buffer_.size() - read_pos_; }

private:
  void compact();

  std::string buffer_;
  std::size_t read_pos_ = 0;
  bool broken_ = false;
  frame_error broken_error_{};
};

/// The header of a frame carrying a body of body_size bytes, written to out
/// (frame_header_size bytes); false, and nothing written, when it does not fit into one frame
/// (or the invoke id is not four digits). For writing header and body where they go, without a
/// frame string in between. Inline and in place: it is on the path of every frame sent (for
/// events, invoke id 9999, the compiler folds the digits), and returning the header in an
/// optional cost a store-forwarding stall per event.
inline bool put_frame_header(char* out, int invoke_id, std::size_t body_size) {
  std::size_t length = body_size + frame_header_size;
  if (length > max_frame_size || invoke_id < 0 || invoke_id > 9999)
    return false;
  out[0] = 0;
  out[1] = 0;
  out[2] = static_cast<char>((length >> 8) & 0xff);
  out[3] = static_cast<char>(length & 0xff);
  for (int i = 7, v = invoke_id; i >= 4; --i, v /= 10)
    out[i] = static_cast<char>('0' + v % 10);
  return true;
}
/// The same header as an array; nothing when it does not fit.
inline std::optional<std::array<char, frame_header_size>> frame_header(int invoke_id, std::size_t body_size) {
  std::array<char, frame_header_size> h{};
  if (!put_frame_header(h.data(), invoke_id, body_size))
    return std::nullopt;
  return h;
}

/// Builds a complete frame. Returns nothing if body does not fit into one frame.
std::optional<std::string> encode_frame(int invoke_id, std::string_view body);

/// Reads the four invoke-id digits at p, or nothing when they are not digits.
std::optional<int> parse_invoke_id(std::string_view four_chars);

}  // namespace cstad::protocol
