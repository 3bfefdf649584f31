#include "sim/number_plan.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cstad::sim {

bool number_plan::add(device d) {
  if (d.number.empty() || index_.count(d.number) != 0)
    return false;
  index_.emplace(d.number, devices_.size());
  devices_.push_back(std::move(d));
  return true;
}

const device* number_plan::find(std::string_view number) const {
  auto i = index_.find(std::string{number});
  return i == index_.end() ? nullptr : &devices_[i->second];
}

bool number_plan::is_outside_number(std::string_view number) const {
  if (number.size() > 1 && number[0] == '+')
    return number.find_first_not_of("0123456789", 1) == std::string_view::npos;
  if (trunk_prefix_.empty() || number.size() <= trunk_prefix_.size() ||
      number.substr(0, trunk_prefix_.size()) != trunk_prefix_)
    return false;
  return number.find_first_not_of("0123456789") == std::string_view::npos;
}

namespace {

device_kind kind_of(const nlohmann::json& entry) {
  auto text = entry.value("kind", std::string{"ip"});
  auto kind = parse_device_kind(text);
  if (!kind)
    throw std::runtime_error("unknown device kind '" + text + "' in " + entry.dump());
  return *kind;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

number_plan number_plan::from_json(std::string_view text) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("number plan is not a JSON object");
  number_plan plan;
  plan.trunk_prefix_ = doc.value("trunk_prefix", std::string{"0"});
  for (auto& entry : doc.value("devices", nlohmann::json::array())) {
    device d{entry.value("number", std::string{}), entry.value("name", std::string{}),
             kind_of(entry), entry.value("lim", 1)};
    if (!all_digits(d.number))
      throw std::runtime_error("device number must be digits in " + entry.dump());
    if (!plan.add(d))
      throw std::runtime_error("duplicate device number " + d.number);
  }
  for (auto& range : doc.value("ranges", nlohmann::json::array())) {
    auto first = range.value("first", std::string{});
    auto last = range.value("last", std::string{});
    if (!all_digits(first) || !all_digits(last) || first.size() != last.size() || first > last)
      throw std::runtime_error("bad number range in " + range.dump());
    auto kind = kind_of(range);
    int lim = range.value("lim", 1);
    for (auto n = std::stoull(first), end = std::stoull(last); n <= end; ++n) {
      auto number = std::to_string(n);
      number.insert(0, first.size() - number.size(), '0');
      if (!plan.add(device{number, "Extension " + number, kind, lim}))
        throw std::runtime_error("duplicate device number " + number);
    }
  }
  return plan;
}

number_plan number_plan::demo() {
  return from_json(R"({"ranges":[{"first":"1000","last":"1099","kind":"ip","lim":1}]})");
}

}  // namespace cstad::sim
