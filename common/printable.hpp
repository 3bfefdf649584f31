#pragma once
// Text a client chose (user names, application ids) as it may appear in a log line or an
// operator's table: control characters shown as \xNN, so a line break cannot forge a log line
// or a table row, and cut to a length, so a 60 KB name cannot flood the log.

#include <cstdio>
#include <string>
#include <string_view>

namespace cstad {

inline std::string printable(std::string_view text, std::size_t max = 64) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= max) {
      out += "...(" + std::to_string(text.size()) + " bytes)";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace cstad
