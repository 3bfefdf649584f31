#include "protocol/xml_element.hpp"

namespace cstad::protocol {

const xml_element* xml_element::child(std::string_view local_name) const {
  for (auto& c : children)
    if (c.name == local_name)
      return &c;
  return nullptr;
}

const std::string* xml_element::child_text(std::string_view local_name) const {
  auto c = child(local_name);
  if (c == nullptr || c->text.empty())
    return nullptr;
  return &c->text;
}

}  // namespace cstad::protocol
