#include "protocol/device_id.hpp"

namespace cstad::protocol {

std::string device_number(std::string_view id) {
  auto starts_with = [&](std::string_view prefix) {
    return id.size() >= prefix.size() && id.substr(0, prefix.size()) == prefix;
  };
  if (starts_with("N<")) {
    auto end = id.find('>');
    if (end != std::string_view::npos)
      return std::string{id.substr(2, end - 2)};
  }
  if (starts_with("tel:"))
    id.remove_prefix(4);
  else if (starts_with("sip:"))
    id.remove_prefix(4);
  else if (starts_with("sips:"))
    id.remove_prefix(5);
  auto cut = id.find_first_of(";@");
  if (cut != std::string_view::npos)
    id = id.substr(0, cut);
  return std::string{id};
}

}  // namespace cstad::protocol
