#pragma once
// Enumerations spelled as on the wire: a table of names in enumerator order, looked up both ways.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace cstad::protocol {

/// The enumerator whose name is text, or nothing.
template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text)
      return static_cast<Enum>(i);
  return std::nullopt;
}

/// The name of an enumerator.
template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) {
  return names[static_cast<std::size_t>(value)];
}

}  // namespace cstad::protocol
