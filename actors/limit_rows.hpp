#pragma once
// The limits of a node as csta -p shows them and the log reports them: each setting, and how
// often it was hit (from the counters of the node's status). Plain data in, plain data out.

#include <vector>

#include "actors/status.hpp"
#include "admin/reports.hpp"

namespace cstad {

struct node_settings;

/// One row per limit, in a fixed order.
std::vector<admin::limit_report> limit_rows(const node_settings& settings, const node_status& status);

/// The rows whose hits grew since `before` (same order), with the growth as hits: what the log
/// reports once per interval.
std::vector<admin::limit_report> limits_hit_since(const std::vector<admin::limit_report>& before,
                                                  const std::vector<admin::limit_report>& now);

}  // namespace cstad
