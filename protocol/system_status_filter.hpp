#pragma once
// ECMA-269 SystemStatus values, and the status filter that names some of them (ChangeSystemStatusFilter's
// requestedStatusFilter, its response's actualStatusFilter): the set of values set to true, which
// in ECMA polarity are the ones the client does not want to receive, as in a monitor filter.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

struct xml_element;

/// The SystemStatus values, in the order of the schema's status filter.
const std::vector<std::string_view>& system_status_values();
bool is_system_status(std::string_view value);

/// The values set to true in a status filter element; nothing when it names something that is
/// no SystemStatus value (or a value that is neither true nor false).
std::optional<std::set<std::string>> read_status_filter(const xml_element& filter);

/// <element><value>true</value>…</element>, every value of the set in schema order ("true" for
/// each, the others left out).
void write_status_filter(xml_writer& w, std::string_view element, const std::set<std::string>& suppressed);

}  // namespace cstad::protocol
