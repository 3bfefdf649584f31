#include "service/device_scope.hpp"

#include <algorithm>

namespace cstad::service {
namespace {

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A range's two ends, when the entry is one.
std::optional<std::pair<std::string_view, std::string_view>> range_of(std::string_view entry) {
  auto dash = entry.find('-');
  if (dash == std::string_view::npos)
    return std::nullopt;
  return std::pair{entry.substr(0, dash), entry.substr(dash + 1)};
}

}  // namespace

std::optional<std::string> device_scope::problem(std::string_view entry) {
  if (auto r = range_of(entry)) {
    auto [first, last] = *r;
    if (!digits(first) || !digits(last))
      return "a range is two numbers of digits, like 1010-1019";
    if (first.size() != last.size())
      return "the two ends of a range have as many digits";
    if (first > last)
      return "a range starts with its lower end";
    return std::nullopt;
  }
  if (entry.empty())
    return "an empty device number";
  if (!std::all_of(entry.begin(), entry.end(), [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; }))
    return "a device number is digits (and * or #)";
  return std::nullopt;
}

bool device_scope::allows(std::string_view number) const {
  if (entries_.empty())
    return true;
  for (auto& e : entries_) {
    if (problem(e))
      continue;
    if (auto r = range_of(e)) {
      // Digits of one length compare as their numbers do.
      if (number.size() == r->first.size() && digits(number) && number >= r->first && number <= r->second)
        return true;
    } else if (number == e) {
      return true;
    }
  }
  return false;
}

}  // namespace cstad::service
