#include "protocol/system_status_filter.hpp"

#include <algorithm>

#include "protocol/xml_element.hpp"

namespace cstad::protocol {

const std::vector<std::string_view>& system_status_values() {
  // The status filter's order (ECMA-269 SystemStatus; messagesLost spelled as the value is).
  static const std::vector<std::string_view> values = {
      "initializing", "enabled", "normal", "messagesLost", "disabled", "partiallyDisabled",
      "overloadImminent", "overloadReached", "overloadRelieved"};
  return values;
}

bool is_system_status(std::string_view value) {
  auto& all = system_status_values();
  return std::find(all.begin(), all.end(), value) != all.end();
}

std::optional<std::set<std::string>> read_status_filter(const xml_element& filter) {
  std::set<std::string> out;
  for (auto& item : filter.children) {
    if (!is_system_status(item.name) || (item.text != "true" && item.text != "false"))
      return std::nullopt;
    if (item.text == "true")
      out.insert(item.name);
  }
  return out;
}

void write_status_filter(xml_writer& w, std::string_view element, const std::set<std::string>& suppressed) {
  w.open(element);
  for (auto value : system_status_values())
    if (suppressed.count(std::string{value}) != 0)
      w.leaf(value, "true");
  w.close(element);
}

}  // namespace cstad::protocol
