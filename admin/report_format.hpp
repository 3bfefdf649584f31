#pragma once
// How csta -p and csta_authentication -p print what the server reports: readable tables by
// default, JSON for scripts.

#include <string>

#include "admin/reports.hpp"

namespace cstad::admin {

std::string as_table(const system_report& r, bool devices);
std::string as_json(const system_report& r, bool devices);

std::string as_table(const auth_report& r);
std::string as_json(const auth_report& r);

}  // namespace cstad::admin
