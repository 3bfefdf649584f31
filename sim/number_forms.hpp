#pragma once
// Which number of the plan a client's device identifier names. Clients write the same device in
// many forms ("1000", "tel:1000;phone-context=dialstring", "sip:1000@pbx;user=phone",
// "tel:+4687001000", "tel:+4687001000;ext=1000"); the exchange knows it as "1000". The syntax is
// the codec's (protocol/device_id.hpp); which global (E.164) number is which extension is the
// plan's, given as prefix rules.

#include <string>
#include <string_view>
#include <vector>

namespace cstad::sim {

/// A global number that starts with `prefix` ("+468700") is the plan number `replace` followed by
/// the rest of it: with replace "", "+4687001000" is extension "1000".
struct e164_rule {
  std::string prefix;
  std::string replace;

  friend bool operator==(const e164_rule& a, const e164_rule& b) {
    return a.prefix == b.prefix && a.replace == b.replace;
  }
};

/// The plan number of a global number by the rule with the longest matching prefix; the number
/// itself when no rule matches or nothing follows the prefix.
std::string from_e164(std::string_view number, const std::vector<e164_rule>& rules);

/// The plan number a device identifier names: its dialable number (protocol::device_number),
/// a global one mapped through the rules. Anything that names no number stays as it is (and is
/// then no device of the plan).
std::string plan_number(std::string_view device_id, const std::vector<e164_rule>& rules);

}  // namespace cstad::sim
