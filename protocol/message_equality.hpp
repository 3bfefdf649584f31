#pragma once
// Field-wise equality for message structs (C++17 has no defaulted operator==): one line per
// struct names its fields, e.g.
//   CSTAD_EQUALITY(make_call_request, v.calling, v.called, v.prompt)

#include <tuple>

#define CSTAD_EQUALITY(type, ...)                                              \
  inline bool operator==(const type& a, const type& b) {                       \
    auto fields = [](const type& v) { return std::tie(__VA_ARGS__); };         \
    return fields(a) == fields(b);                                             \
  }                                                                            \
  inline bool operator!=(const type& a, const type& b) { return !(a == b); }

#define CSTAD_NO_FIELDS(type)                                                  \
  inline bool operator==(const type&, const type&) { return true; }           \
  inline bool operator!=(const type&, const type&) { return false; }
