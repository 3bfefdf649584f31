#pragma once
// What the node's HTTP side shows (http_gate.hpp): the metrics in Prometheus' text format and
// the status page's data as JSON, both from one snapshot of the node. Plain data in, text out.

#include <string>
#include <vector>

#include "actors/status.hpp"
#include "admin/reports.hpp"

namespace cstad {

/// One look at the node: its counters, what csta -p shows (with monitored devices), and its
/// LIM's ACD groups.
struct observed {
  node_status status;
  admin::system_report report;
  std::vector<admin::group_report> groups;
};

/// The Prometheus text exposition format (version 0.0.4): HELP and TYPE for each family,
/// counters ending in _total, label values escaped.
std::string prometheus_text(const observed& o);

/// The status page's data (actors/status_page.html reads it).
std::string status_json(const observed& o);

}  // namespace cstad
