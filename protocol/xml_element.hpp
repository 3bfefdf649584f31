#pragma once
// A small, owning element tree that the SAX2 parser fills. Requests are a few hundred bytes,
// so a tree makes tolerant decoding simple (children in any order, lookup by local name)
// without Xerces DOM's cost and document pool.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cstad::protocol {

struct xml_element {
  std::string name;        // local name, prefix stripped
  std::string ns;          // namespace URI ("" when none)
  std::string text;        // character data directly inside, whitespace-trimmed
  std::vector<std::pair<std::string, std::string>> attributes;  // local name -> value
  std::vector<xml_element> children;

  /// First child with this local name, or nullptr.
  const xml_element* child(std::string_view local_name) const;

  /// Text of the first child with this local name; nullptr when there is no such child or it
  /// is empty (empty optional elements are treated as absent, as real clients send them).
  const std::string* child_text(std::string_view local_name) const;
};

}  // namespace cstad::protocol
