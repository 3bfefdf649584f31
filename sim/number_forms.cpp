#include "sim/number_forms.hpp"

#include "protocol/device_id.hpp"

namespace cstad::sim {

std::string from_e164(std::string_view number, const std::vector<e164_rule>& rules) {
  const e164_rule* best = nullptr;
  for (auto& r : rules)
    if (number.size() > r.prefix.size() && number.substr(0, r.prefix.size()) == r.prefix &&
        (best == nullptr || r.prefix.size() > best->prefix.size()))
      best = &r;
  if (best == nullptr)
    return std::string{number};
  return best->replace + std::string{number.substr(best->prefix.size())};
}

std::string plan_number(std::string_view device_id, const std::vector<e164_rule>& rules) {
  auto number = protocol::device_number(device_id);
  if (!number.empty() && number.front() == '+')
    return from_e164(number, rules);
  return number;
}

}  // namespace cstad::sim
