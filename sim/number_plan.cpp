#include "sim/number_plan.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cstad::sim {

namespace {

// Value and length of a number of up to 17 digits ("0100" and "100" differ), none otherwise.
std::optional<std::uint64_t> digits_key(std::string_view number) {
  if (number.empty() || number.size() > 17)
    return std::nullopt;
  std::uint64_t value = 0;
  for (char c : number) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value * 32 + number.size();
}

}  // namespace

bool number_plan::add(device d) {
  if (d.number.empty() || position(d.number) != npos)
    return false;
  if (auto key = digits_key(d.number))
    by_digits_.emplace(*key, devices_.size());
  else
    by_text_.emplace(d.number, devices_.size());
  devices_.push_back(std::move(d));
  group_of_.push_back(-1);
  return true;
}

std::size_t number_plan::position(std::string_view number) const {
  if (auto key = digits_key(number)) {
    auto i = by_digits_.find(*key);
    return i == by_digits_.end() ? npos : i->second;
  }
  auto i = by_text_.find(std::string{number});
  return i == by_text_.end() ? npos : i->second;
}

const device* number_plan::find(std::string_view number) const {
  auto i = position(number);
  return i == npos ? nullptr : &devices_[i];
}

std::vector<std::string> hunt_group_config::members() const {
  std::vector<std::string> out;
  for (auto& set : sets)
    out.insert(out.end(), set.begin(), set.end());
  return out;
}

const acd_group_config* number_plan::acd_group(std::string_view number) const {
  auto i = position(number);
  if (i == npos || devices_[i].kind != device_kind::acd_group || group_of_[i] < 0)
    return nullptr;
  return &acd_groups_[static_cast<std::size_t>(group_of_[i])];
}

const hunt_group_config* number_plan::hunt_group(std::string_view number) const {
  auto i = position(number);
  if (i == npos || devices_[i].kind != device_kind::hunt_group || group_of_[i] < 0)
    return nullptr;
  return &hunt_groups_[static_cast<std::size_t>(group_of_[i])];
}

bool number_plan::add(acd_group_config g) {
  if (!add(device{g.number, g.name, device_kind::acd_group, 1}))
    return false;
  group_of_.back() = static_cast<int>(acd_groups_.size());
  acd_groups_.push_back(std::move(g));
  return true;
}

bool number_plan::add(hunt_group_config g) {
  if (!add(device{g.number, g.name, device_kind::hunt_group, 1}))
    return false;
  group_of_.back() = static_cast<int>(hunt_groups_.size());
  hunt_groups_.push_back(std::move(g));
  return true;
}

const std::string* number_plan::agent_password(const std::string& agent_id) const {
  auto i = agent_passwords_.find(agent_id);
  return i == agent_passwords_.end() ? nullptr : &i->second;
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

duration seconds_of(const nlohmann::json& entry, const char* key, duration fallback) {
  if (!entry.contains(key))
    return fallback;
  auto s = entry.at(key).get<double>();
  if (s < 0 || s > 86400)
    throw std::runtime_error(std::string{key} + " out of range in " + entry.dump());
  return duration{static_cast<long long>(s * 1000)};
}

hunt_distribution distribution_of(const nlohmann::json& entry) {
  auto text = entry.value("distribution", std::string{"circular"});
  if (text == "linear")
    return hunt_distribution::linear;
  if (text == "circular")
    return hunt_distribution::circular;
  if (text == "ring_all")
    return hunt_distribution::ring_all;
  if (text == "cascade")
    return hunt_distribution::cascade;
  throw std::runtime_error("unknown hunt distribution '" + text + "' in " + entry.dump());
}

// An "e164" entry: a global prefix ('+' and digits) and the digits that take its place.
e164_rule e164_rule_of(const nlohmann::json& entry) {
  if (!entry.is_object() || !entry.contains("prefix") || !entry.at("prefix").is_string() ||
      (entry.contains("replace") && !entry.at("replace").is_string()))
    throw std::runtime_error("an e164 rule needs a \"prefix\" (and may have a \"replace\") in " +
                             entry.dump());
  e164_rule r{entry.at("prefix").get<std::string>(), entry.value("replace", std::string{})};
  if (r.prefix.size() < 2 || r.prefix[0] != '+' || !all_digits(r.prefix.substr(1)))
    throw std::runtime_error("an e164 prefix is '+' and digits in " + entry.dump());
  if (!r.replace.empty() && !all_digits(r.replace))
    throw std::runtime_error("an e164 replace is digits (or empty) in " + entry.dump());
  return r;
}

void check_member(const number_plan& plan, const std::string& member, const nlohmann::json& entry) {
  auto d = plan.find(member);
  if (d == nullptr || d->kind == device_kind::acd_group || d->kind == device_kind::hunt_group)
    throw std::runtime_error("group member " + member + " is not an extension in " + entry.dump());
}

}  // namespace

number_plan number_plan::from_json(std::string_view text) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("number plan is not a JSON object");
  number_plan plan;
  plan.trunk_prefix_ = doc.value("trunk_prefix", std::string{"0"});
  if (doc.contains("e164") && !doc.at("e164").is_array())
    throw std::runtime_error("e164 is a list of rules, not " + doc.at("e164").dump());
  for (auto& entry : doc.value("e164", nlohmann::json::array())) {
    auto rule = e164_rule_of(entry);
    for (auto& known : plan.e164_)
      if (known.prefix == rule.prefix)
        throw std::runtime_error("duplicate e164 prefix " + rule.prefix);
    plan.e164_.push_back(std::move(rule));
  }
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
  for (auto& entry : doc.value("acd_groups", nlohmann::json::array())) {
    acd_group_config g;
    g.number = entry.value("number", std::string{});
    g.name = entry.value("name", "ACD group " + g.number);
    g.queue_limit = entry.value("queue_limit", 20);
    g.overflow = entry.value("overflow", std::string{});
    g.after_call_work = seconds_of(entry, "after_call_work_s", g.after_call_work);
    g.ready_after_work = entry.value("ready_after_work", true);
    g.no_answer = seconds_of(entry, "no_answer_s", g.no_answer);
    g.route_via_application = entry.value("route_via_application", false);
    g.route_timeout = seconds_of(entry, "route_timeout_s", g.route_timeout);
    if (!all_digits(g.number) || g.queue_limit < 0)
      throw std::runtime_error("bad ACD group in " + entry.dump());
    if (!plan.add(g))
      throw std::runtime_error("duplicate device number " + g.number);
  }
  for (auto& entry : doc.value("hunt_groups", nlohmann::json::array())) {
    hunt_group_config g;
    g.number = entry.value("number", std::string{});
    g.name = entry.value("name", "Hunt group " + g.number);
    g.distribution = distribution_of(entry);
    if (entry.contains("sets"))
      g.sets = entry.at("sets").get<std::vector<std::vector<std::string>>>();
    else
      g.sets = {entry.value("members", std::vector<std::string>{})};
    g.no_answer = seconds_of(entry, "no_answer_s", g.no_answer);
    g.cascade_step = seconds_of(entry, "step_s", g.cascade_step);
    if (!all_digits(g.number) || g.members().empty())
      throw std::runtime_error("bad hunt group in " + entry.dump());
    // Members on other LIMs are listed in "remote_members" too: this plan has only its own
    // LIM's devices, and a typo must not pass as another LIM's number.
    auto remote = entry.value("remote_members", std::vector<std::string>{});
    for (auto& m : g.members())
      if (std::find(remote.begin(), remote.end(), m) == remote.end())
        check_member(plan, m, entry);
      else if (!all_digits(m) || plan.find(m) != nullptr)
        throw std::runtime_error("remote member " + m + " is not another LIM's number in " +
                                 entry.dump());
    if (!plan.add(g))
      throw std::runtime_error("duplicate device number " + g.number);
  }
  for (auto& entry : doc.value("agents", nlohmann::json::array())) {
    agent_config a;
    a.id = entry.value("id", std::string{});
    a.device = entry.value("device", std::string{});
    a.groups = entry.value("groups", std::vector<std::string>{});
    a.ready = entry.value("ready", true);
    check_member(plan, a.device, entry);
    for (auto& g : a.groups)
      if (plan.acd_group(g) == nullptr)
        throw std::runtime_error("agent group " + g + " is not an ACD group in " + entry.dump());
    if (a.id.empty() || a.groups.empty())
      throw std::runtime_error("bad agent in " + entry.dump());
    plan.agents_.push_back(std::move(a));
  }
  for (auto& entry : doc.value("agent_accounts", nlohmann::json::array())) {
    auto id = entry.value("id", std::string{});
    if (id.empty() || !entry.contains("password"))
      throw std::runtime_error("agent account needs an id and a password in " + entry.dump());
    plan.agent_passwords_[id] = entry.at("password").get<std::string>();
  }
  return plan;
}

number_plan number_plan::demo() {
  // One LIM: IP extensions 1000-1099; a small call centre: ACD group 6000 with agents logged on
  // (and ready) at 1010-1019, ACD group 6100 whose calls an application routes (RouteRegister;
  // without one, or when it does not answer in 10 s, agents 1018 and 1019 take them from its
  // queue), circular hunt group 7000 over 1020-1024, cascade group 7100.
  // Clients that speak global numbers (Lync's tel:+4687001000) reach them as +468700NNNN.
  std::string agents;
  for (int n = 1010; n <= 1019; ++n)
    agents += std::string{agents.empty() ? "" : ","} + R"({"id":")" + std::to_string(n + 3000) +
              R"(","device":")" + std::to_string(n) + (n >= 1018 ? R"(","groups":["6000","6100"]})" : R"(","groups":["6000"]})");
  return from_json(R"({"ranges":[{"first":"1000","last":"1099","kind":"ip","lim":1}],
    "e164":[{"prefix":"+468700","replace":""}],
    "acd_groups":[{"number":"6000","name":"Customer service","queue_limit":30,
                   "after_call_work_s":5,"no_answer_s":15},
                  {"number":"6100","name":"Sales","queue_limit":30,"after_call_work_s":5,"no_answer_s":15,
                   "route_via_application":true,"route_timeout_s":10}],
    "hunt_groups":[{"number":"7000","name":"Support","distribution":"circular",
                    "members":["1020","1021","1022","1023","1024"],"no_answer_s":15},
                   {"number":"7100","name":"Reception","distribution":"cascade",
                    "sets":[["1030","1031"],["1032","1033"],["1034"]],"step_s":10}],
    "agents":[)" + agents + "]}");
}

}  // namespace cstad::sim
