#pragma once
// CSTAErrorCode: a negative response with exactly one category child and its value, spelled as
// the schema spells them (systemResourceAvailibility included).

#include <string>
#include <optional>
#include <string_view>
#include <vector>

namespace cstad::protocol {

enum class error_category : unsigned char {
  operation,
  state_incompatibility,
  system_resource_availability,
  subscribed_resource_availability,
  performance_management,
  security,
  private_data,
  private_error_code,  // free text
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

/// Every value the schema defines for a category (empty for the free-text and empty ones).
const std::vector<std::string_view>& error_values(error_category c);
/// True when the value is one the schema defines for its category (any non-empty text for
/// privateErrorCode; none for unspecified).
bool is_known(const csta_error& e);
std::optional<error_category> parse_error_category(std::string_view element_name);

struct xml_element;
/// A CSTAErrorCode document's error: exactly one category child with a known value.
std::optional<csta_error> decode_csta_error(const xml_element& root);
/// The same for an element of that type inside another message (RouteEnd's errorValue).
std::optional<csta_error> read_error_value(const xml_element& e);

class xml_writer;
/// The category child of such an element (the caller opens and closes the element itself).
void write_error_value(xml_writer& w, const csta_error& e);

}  // namespace cstad::protocol
