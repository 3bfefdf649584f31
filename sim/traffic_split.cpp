#include "sim/traffic_split.hpp"

namespace cstad::sim {

std::vector<traffic_config> split_traffic(std::string_view targets, double calls_per_hour,
                                          std::uint64_t seed) {
  std::vector<std::string> names;
  for (std::size_t from = 0;;) {
    auto comma = targets.find(',', from);
    names.emplace_back(targets.substr(from, comma == std::string_view::npos ? comma : comma - from));
    if (comma == std::string_view::npos)
      break;
    from = comma + 1;
  }
  std::vector<traffic_config> streams;
  for (std::size_t i = 0; i < names.size(); ++i) {
    traffic_config t;
    t.target = names[i];
    t.calls_per_hour = calls_per_hour / static_cast<double>(names.size());
    t.seed = seed + i;
    streams.push_back(std::move(t));
  }
  return streams;
}

}  // namespace cstad::sim
