#include "tools/cstaload/xml_peek.hpp"

namespace cstad::load {

namespace {

bool name_end(char c) { return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// The name of the tag that starts at xml[open] ('<'), without its prefix.
std::string_view local_name_at(std::string_view xml, std::size_t open) {
  std::size_t start = open + 1, end = start;
  while (end < xml.size() && !name_end(xml[end]))
    ++end;
  auto name = xml.substr(start, end - start);
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace

std::string_view root_local_name(std::string_view xml) {
  for (auto open = xml.find('<'); open != std::string_view::npos; open = xml.find('<', open + 1)) {
    if (open + 1 >= xml.size())
      return {};
    char next = xml[open + 1];
    if (next == '?' || next == '!')  // the declaration, processing instructions, comments
      continue;
    return local_name_at(xml, open);
  }
  return {};
}

std::optional<std::string_view> first_element_text(std::string_view xml, std::string_view name) {
  for (auto pos = xml.find(name); pos != std::string_view::npos; pos = xml.find(name, pos + 1)) {
    // The name must be a whole tag name: "<callID>" or "<x:callID>", not "</callID>" nor
    // "<initiatedCallID>".
    auto close = pos + name.size();
    if (pos == 0 || close >= xml.size() || xml[close] != '>')
      continue;
    auto open = xml.rfind('<', pos);
    if (open == std::string_view::npos || xml[open + 1] == '/' || local_name_at(xml, open) != name)
      continue;
    auto text_end = xml.find('<', close + 1);
    if (text_end == std::string_view::npos)
      return std::nullopt;
    auto text = xml.substr(close + 1, text_end - close - 1);
    if (xml.compare(text_end, 2, "</") != 0)
      return std::nullopt;  // markup inside: not a simple text element
    return text;
  }
  return std::nullopt;
}

}  // namespace cstad::load
