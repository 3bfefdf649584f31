#pragma once
// Hardened XML parsing (Xerces-C++ SAX2): no DOCTYPE, no external entities, no schema loading,
// bounded depth and size. One reusable parser per thread.

#include <string>
#include <string_view>
#include <variant>

#include "protocol/xml_element.hpp"

namespace cstad::protocol {

inline constexpr int max_xml_depth = 32;
inline constexpr std::size_t max_xml_size = 65527;  // what one Annex J.2 frame can carry

struct xml_parse_error {
  std::string reason;
};

using xml_parse_result = std::variant<xml_element, xml_parse_error>;

/// Parses one document. Never throws.
xml_parse_result parse_xml(std::string_view document);

}  // namespace cstad::protocol
