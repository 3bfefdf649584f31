#pragma once
// The layout of a system of several LIMs: which LIMs there are, where each is reached by the
// others (its cluster address) and which part of the number plan each owns. It is what
// `cstad --system=FILE` reads, e.g.
//
//   {"lims": [{"id": 1, "host": "127.0.0.1", "cluster_port": 4101, "port": 8882,
//              "ranges": [{"first": "1000", "last": "1099", "kind": "ip"}],
//              "acd_groups": [...], "hunt_groups": [...], "agents": [...]},
//             {"id": 2, ...}],
//    "trunk_prefix": "0", "e164": [...]}
//
// A LIM's entry holds the number plan entries of --plan (sim::number_plan::from_json) for its
// own devices; the keys outside "lims" (trunk prefix, E.164 rules) are the whole system's and
// go into every LIM's plan. Plain data, no CAF, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/directory.hpp"
#include "sim/number_plan.hpp"

namespace cstad::admin {

struct lim_layout {
  int id = 1;
  std::string host = "127.0.0.1";  // where the other LIMs reach this one (and it listens)
  std::uint16_t cluster_port = 0;
  std::uint16_t port = 0;          // its first CSTA XML server; 0: none named here
  std::string plan;                // its number plan (JSON for sim::number_plan::from_json)
};

class system_layout {
public:
  /// Reads and checks a layout: ids 1-999 and unique, a cluster address each, plans that
  /// parse, no number owned by two LIMs. Nothing, and why, when it cannot be used.
  static std::optional<system_layout> from_json(std::string_view text, std::string& error);

  const std::vector<lim_layout>& lims() const { return lims_; }
  const lim_layout* find(int id) const;
  /// The JSON it was read from, normalised (what the data directory keeps).
  const std::string& text() const { return text_; }

  /// The plan of one LIM (which must exist).
  sim::number_plan plan_of(int id) const;
  /// Every number of the system with its LIM: what sessions route by.
  service::directory directory() const;

private:
  std::vector<lim_layout> lims_;
  std::string text_;
};

/// The largest LIM id: ids name blocks of call ids (sim/system_ids.hpp), and the wire's call
/// ids must stay short decimal numbers.
inline constexpr int max_lim_id = 999;

}  // namespace cstad::admin
