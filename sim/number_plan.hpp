#pragma once
// Which numbers exist, what they are and which LIM hosts them.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/device_kind.hpp"
#include "sim/groups.hpp"
#include "sim/number_forms.hpp"

namespace cstad::sim {

struct device {
  std::string number;
  std::string name;
  device_kind kind = device_kind::ip_extension;
  int lim = 1;
};

/// An agent logged on when the exchange starts (demo and test plans).
struct agent_config {
  std::string id;
  std::string device;
  std::vector<std::string> groups;
  bool ready = true;
};

class number_plan {
public:
  /// Adds a device; false when the number is taken already.
  bool add(device d);
  const device* find(std::string_view number) const;
  /// Where the number's device is in devices(), for tables kept beside the plan; npos if none.
  std::size_t position(std::string_view number) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const std::vector<device>& devices() const { return devices_; }

  const std::vector<acd_group_config>& acd_groups() const { return acd_groups_; }
  const std::vector<hunt_group_config>& hunt_groups() const { return hunt_groups_; }
  const acd_group_config* acd_group(std::string_view number) const;
  const std::vector<agent_config>& agents() const { return agents_; }
  /// The password of an agent id, when the plan gives it one (log-on must then present it).
  const std::string* agent_password(const std::string& agent_id) const;
  const hunt_group_config* hunt_group(std::string_view number) const;
  /// Adds a group and its device (kind acd / hunt); false when the number is taken.
  bool add(acd_group_config g);
  bool add(hunt_group_config g);

  /// Dialling this prefix reaches an outside number through a trunk (MX-ONE's usual "0").
  const std::string& trunk_prefix() const { return trunk_prefix_; }
  void set_trunk_prefix(std::string prefix) { trunk_prefix_ = std::move(prefix); }
  /// True for a number that leaves the exchange: the trunk prefix and at least one more
  /// digit, or an international "+" number.
  bool is_outside_number(std::string_view number) const;

  /// How clients' global numbers map to the plan (number_forms.hpp); the longest prefix wins.
  const std::vector<e164_rule>& e164() const { return e164_; }

  /// Parses {"devices":[{"number":"1000","name":"…","kind":"ip","lim":1}, …],
  ///         "ranges":[{"first":"1000","last":"1099","kind":"ip","lim":1}],
  ///         "trunk_prefix":"0",
  ///         "e164":[{"prefix":"+468700","replace":""}]}.
  /// A hunt group may have members on other LIMs when it lists them in "remote_members" as
  /// well: {"number":"2100","members":["2005","3005"],"remote_members":["3005"]}.
  /// An ACD group that asks a registered application where its calls go:
  /// {"number":"6100","route_via_application":true,"route_timeout_s":10}.
  /// Throws std::runtime_error with a message that names the offending entry.
  static number_plan from_json(std::string_view text);

  /// The built-in demo exchange: one LIM, IP extensions 1000-1099; +468700NNNN is NNNN.
  static number_plan demo();

private:
  std::vector<device> devices_;
  std::vector<acd_group_config> acd_groups_;
  std::vector<hunt_group_config> hunt_groups_;
  std::vector<agent_config> agents_;
  std::unordered_map<std::string, std::string> agent_passwords_;  // agent id -> password
  std::string trunk_prefix_ = "0";
  std::vector<e164_rule> e164_;
  // Positions in devices_. Numbers of digits only (all that a plan file can hold) are keyed by
  // value and length, so that a lookup on the exchange's hot path builds, hashes and compares
  // no string; any other number by its text.
  std::unordered_map<std::uint64_t, std::size_t> by_digits_;
  std::unordered_map<std::string, std::size_t> by_text_;
  // By position in devices_: the group's place in acd_groups_ or hunt_groups_ (by its kind),
  // -1 for a device that is no configured group.
  std::vector<int> group_of_;
};

}  // namespace cstad::sim
