#include "transport/sip_stream.hpp"

#include <cctype>
#include <cstdlib>

namespace cstad::transport {
namespace {

// The Content-Length of a header block ("Content-Length:" or its compact form "l:"); nothing
// when there is none or it is not a number.
std::optional<std::size_t> content_length(std::string_view head) {
  std::size_t pos = 0;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos)
      end = head.size();
    auto line = head.substr(pos, end - pos);
    pos = end + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    auto name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
      name.remove_suffix(1);
    std::string lower;
    for (char c : name)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "content-length" && lower != "l")
      continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    std::size_t n = 0;
    std::size_t digits = 0;
    for (char c : value) {
      if (c < '0' || c > '9')
        break;
      if (n > sip_stream::max_body * 1000)  // far past any limit: stop before it overflows
        return std::nullopt;
      n = n * 10 + static_cast<std::size_t>(c - '0');
      ++digits;
    }
    if (digits == 0)
      return std::nullopt;
    return n;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> sip_stream::next() {
  if (!broken_.empty())
    return std::nullopt;
  // Keep-alives (RFC 5626 sends CRLFCRLF) and stray empty lines between messages.
  std::size_t skip = 0;
  while (skip < buffer_.size() && (buffer_[skip] == '\r' || buffer_[skip] == '\n'))
    ++skip;
  if (skip > 0)
    buffer_.erase(0, skip);
  auto end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() > max_headers)
      broken_ = "oversized";
    return std::nullopt;
  }
  if (end > max_headers) {
    broken_ = "oversized";
    return std::nullopt;
  }
  auto length = content_length(std::string_view{buffer_}.substr(0, end));
  if (!length) {
    // On a stream, a message without Content-Length cannot be delimited (RFC 3261 18.3).
    broken_ = "no Content-Length";
    return std::nullopt;
  }
  if (*length > max_body) {
    broken_ = "oversized";
    return std::nullopt;
  }
  auto total = end + 4 + *length;
  if (buffer_.size() < total)
    return std::nullopt;
  auto out = buffer_.substr(0, total);
  buffer_.erase(0, total);
  return out;
}

}  // namespace cstad::transport
