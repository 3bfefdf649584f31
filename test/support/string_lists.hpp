#pragma once
// Failed doctest checks on lists of lines (events, effects, wire messages) show the lines, one
// per row, instead of "{?}".

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (auto& l : v)
      out += "\n  " + l;
    return (out + "\n}").c_str();
  }
};
}  // namespace doctest
