#pragma once
// CSTAErrorCode: a negative response with exactly one category child and its value, spelled as
// the schema spells them (systemResourceAvailibility included).

#include <string>
#include <string_view>

namespace cstad::protocol {

enum class error_category : unsigned char {
  operation,
  state_incompatibility,
  system_resource_availability,
  subscribed_resource_availability,
  performance_management,
  security,
  private_data,
  unspecified,
};

/// The element name of the category on the wire.
std::string_view to_string(error_category c);

struct csta_error {
  error_category category = error_category::unspecified;
  std::string value;  // e.g. "invalidDeviceID"; empty for unspecified

  friend bool operator==(const csta_error& a, const csta_error& b) {
    return a.category == b.category && a.value == b.value;
  }
};

template <class Inspector>
auto inspect(Inspector& f, csta_error& x) {
  return f(x.category, x.value);
}

/// Shorthands for the errors the server raises itself.
namespace errors {
csta_error operation(std::string_view value);
csta_error state(std::string_view value);
csta_error system_resource(std::string_view value);
csta_error subscribed_resource(std::string_view value);
csta_error security(std::string_view value);
}  // namespace errors

/// <CSTAErrorCode xmlns="ns"><category>value</category></CSTAErrorCode>
std::string encode_csta_error(const csta_error& e, std::string_view ns);

}  // namespace cstad::protocol
