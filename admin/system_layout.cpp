#include "admin/system_layout.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

namespace cstad::admin {

using nlohmann::json;

namespace {

// Keys of a LIM's entry that describe the LIM itself; everything else is its plan.
bool is_lim_key(const std::string& key) {
  return key == "id" || key == "host" || key == "cluster_port" || key == "port";
}

int read_int(const json& entry, const char* key, const std::string& where) {
  auto& v = entry.at(key);
  if (!v.is_number_integer())
    throw std::runtime_error(where + "." + key + ": " + v.dump() + " is not a whole number");
  auto n = v.get<long long>();
  if (n < -1'000'000 || n > 1'000'000)
    throw std::runtime_error(where + "." + key + ": " + v.dump() + " is out of range");
  return static_cast<int>(n);
}

std::uint16_t read_port(const json& entry, const char* key, const std::string& where) {
  auto n = read_int(entry, key, where);
  if (n < 1 || n > 65535)
    throw std::runtime_error(where + "." + key + ": " + std::to_string(n) + " is not a port (1-65535)");
  return static_cast<std::uint16_t>(n);
}

}  // namespace

std::optional<system_layout> system_layout::from_json(std::string_view text, std::string& error) {
  try {
    auto doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      throw std::runtime_error("the system file is not a JSON object");
    if (!doc.contains("lims") || !doc.at("lims").is_array() || doc.at("lims").empty())
      throw std::runtime_error("the system file needs \"lims\": a list of at least one LIM");
    system_layout out;
    // The system's own plan keys (trunk prefix, E.164 rules) go into every LIM's plan.
    json shared = json::object();
    for (auto& [key, value] : doc.items())
      if (key != "lims")
        shared[key] = value;
    std::set<int> ids;
    std::set<std::pair<std::string, std::uint16_t>> addresses;
    std::unordered_map<std::string, int> owner;  // number -> LIM, to find a number owned twice
    for (std::size_t i = 0; i < doc.at("lims").size(); ++i) {
      auto& entry = doc.at("lims").at(i);
      auto where = "lims[" + std::to_string(i) + "]";
      if (!entry.is_object())
        throw std::runtime_error(where + " is not an object");
      lim_layout lim;
      if (!entry.contains("id"))
        throw std::runtime_error(where + " has no id");
      lim.id = read_int(entry, "id", where);
      if (lim.id < 1 || lim.id > max_lim_id)
        throw std::runtime_error(where + ".id: " + std::to_string(lim.id) + " is not a LIM id (1-" +
                                 std::to_string(max_lim_id) + ")");
      if (!ids.insert(lim.id).second)
        throw std::runtime_error(where + ": LIM " + std::to_string(lim.id) + " is listed twice");
      if (entry.contains("host")) {
        if (!entry.at("host").is_string() || entry.at("host").get<std::string>().empty())
          throw std::runtime_error(where + ".host is not an address");
        lim.host = entry.at("host").get<std::string>();
      }
      if (!entry.contains("cluster_port"))
        throw std::runtime_error(where + " has no cluster_port (where the other LIMs reach it)");
      lim.cluster_port = read_port(entry, "cluster_port", where);
      if (!addresses.insert({lim.host, lim.cluster_port}).second)
        throw std::runtime_error(where + ": " + lim.host + ":" + std::to_string(lim.cluster_port) +
                                 " is the cluster address of another LIM");
      if (entry.contains("port"))
        lim.port = read_port(entry, "port", where);
      json plan = shared;
      for (auto& [key, value] : entry.items())
        if (!is_lim_key(key))
          plan[key] = value;
      // Every range and device of this entry is this LIM's, whatever it says.
      for (auto list : {"ranges", "devices"})
        if (plan.contains(list) && plan.at(list).is_array())
          for (auto& r : plan.at(list))
            if (r.is_object())
              r["lim"] = lim.id;
      lim.plan = plan.dump();
      sim::number_plan parsed;
      try {
        parsed = sim::number_plan::from_json(lim.plan);
      } catch (const std::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
      }
      for (auto& d : parsed.devices())
        if (auto [it, fresh] = owner.emplace(d.number, lim.id); !fresh)
          throw std::runtime_error(where + ": " + d.number + " belongs to LIM " + std::to_string(it->second) +
                                   " already");
      out.lims_.push_back(std::move(lim));
    }
    out.text_ = doc.dump();
    return out;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

const lim_layout* system_layout::find(int id) const {
  auto i = std::find_if(lims_.begin(), lims_.end(), [id](const lim_layout& l) { return l.id == id; });
  return i == lims_.end() ? nullptr : &*i;
}

sim::number_plan system_layout::plan_of(int id) const { return sim::number_plan::from_json(find(id)->plan); }

service::directory system_layout::directory() const {
  std::vector<service::number_range> ranges;
  std::vector<sim::e164_rule> e164;
  for (auto& lim : lims_) {
    auto plan = plan_of(lim.id);
    auto part = service::directory::from_plan(plan, lim.id);
    ranges.insert(ranges.end(), part.ranges().begin(), part.ranges().end());
    e164 = part.e164();  // the system's: the same in every LIM's plan
  }
  return service::directory{std::move(ranges), std::move(e164)};
}

}  // namespace cstad::admin
