#pragma once
// A number as text with a printf format, as the summary, the progress line and the CSV print
// their figures ("%.2f ms", "%.0f").

#include <cstdio>
#include <string>

namespace cstad::load {

inline std::string number_text(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace cstad::load
