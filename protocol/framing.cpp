#include "protocol/framing.hpp"

namespace cstad::protocol {

const char* to_string(frame_error e) {
  switch (e) {
    case frame_error::bad_version: return "frame header does not start with 00 00";
    case frame_error::bad_length: return "frame length is below the 8-byte header";
    case frame_error::bad_invoke_id: return "frame invoke id is not four ASCII digits";
    case frame_error::tls_handshake: return "a TLS handshake on a port without TLS";
  }
  return "unknown frame error";
}

std::optional<int> parse_invoke_id(std::string_view s) {
  if (s.size() != 4)
    return std::nullopt;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

void frame_decoder::feed(std::string_view bytes) {
  if (broken_)
    return;
  compact();
  buffer_.append(bytes.data(), bytes.size());
}

void frame_decoder::compact() {
  // Drop consumed bytes only once they dominate the buffer, so a burst of small frames is
  // not quadratic.
  if (read_pos_ > 0 && read_pos_ * 2 >= buffer_.size()) {
    buffer_.erase(0, read_pos_);
    read_pos_ = 0;
  }
}

frame_decoder::result frame_decoder::next() {
  result r;
  if (broken_) {
    r.state = status::error;
    r.error = broken_error_;
    return r;
  }
  std::string_view avail(buffer_.data() + read_pos_, buffer_.size() - read_pos_);
  if (avail.size() < frame_header_size)
    return r;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(avail[i]); };
  auto fail = [&](frame_error e) {
    broken_ = true;
    broken_error_ = e;
    r.state = status::error;
    r.error = e;
    r.invoke_id = parse_invoke_id(avail.substr(4, 4));
    return r;
  };
  if (byte(0) == 0x16 && byte(1) == 0x03)  // a TLS record of type handshake, version 3.x
    return fail(frame_error::tls_handshake);
  if (byte(0) != 0 || byte(1) != 0)
    return fail(frame_error::bad_version);
  std::size_t length = (std::size_t{byte(2)} << 8) | byte(3);
  if (length < frame_header_size)
    return fail(frame_error::bad_length);
  auto invoke = parse_invoke_id(avail.substr(4, 4));
  if (!invoke)
    return fail(frame_error::bad_invoke_id);
  if (avail.size() < length)
    return r;
  r.state = status::frame_ready;
  r.value.invoke_id = *invoke;
  r.value.body.assign(avail.data() + frame_header_size, length - frame_header_size);
  read_pos_ += length;
  if (read_pos_ == buffer_.size()) {
    buffer_.clear();
    read_pos_ = 0;
  }
  return r;
}

std::optional<std::string> encode_frame(int invoke_id, std::string_view body) {
  auto header = frame_header(invoke_id, body.size());
  if (!header)
    return std::nullopt;
  std::string out;
  out.reserve(frame_header_size + body.size());
  out.append(header->data(), header->size());
  out.append(body.data(), body.size());
  return out;
}

}  // namespace cstad::protocol
