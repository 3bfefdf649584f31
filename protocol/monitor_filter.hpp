#pragma once
// The monitor filter (requestedMonitorFilter, actualMonitorFilter, requestedFilterList) as the
// set of event names it suppresses (ECMA polarity: true = do not report), with the groups the
// server models, and Avaya's private invertFilter that flips a requested filter.

#include <set>
#include <string>
#include <string_view>

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

struct xml_element;

/// The filter group an event name belongs to: "callcontrol", "callAssociated",
/// "physicalDeviceFeature", "logicalDeviceFeature" or "maintenance" (names of no modelled group
/// count as callcontrol).
std::string_view filter_group(std::string_view name);

/// The names set to true in a filter element (any group). inverted: the filter lists what to
/// report, so each group it carries suppresses every modelled name of the group it does not set.
std::set<std::string> read_monitor_filter(const xml_element* filter, bool inverted = false);

/// <element><callcontrol><name>true</name>…</callcontrol>…</element>, groups in schema order.
void write_monitor_filter(xml_writer& w, std::string_view element, const std::set<std::string>& suppressed);

/// Whether a request's extensions/privateData carries Avaya's <invertFilter>true</invertFilter>.
bool inverts_filter(const xml_element& request);

}  // namespace cstad::protocol
