#pragma once
// The devices an account may monitor and control, like the security database of commercial CTI
// servers: a desktop for agent 1010 is given "1010" and cannot clear the calls of 1011. Entries
// are numbers ("1010") or ranges of numbers of one length ("1010-1019"); no entry: any device.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cstad::service {

class device_scope {
public:
  device_scope() = default;
  /// Entries as checked by problem(); a malformed one allows nothing.
  explicit device_scope(std::vector<std::string> entries) : entries_(std::move(entries)) {}

  /// Why an entry is not a number or a range of numbers (for the admin tools); nothing when it
  /// is one.
  static std::optional<std::string> problem(std::string_view entry);

  /// False when every device is allowed.
  bool restricted() const { return !entries_.empty(); }
  bool allows(std::string_view number) const;
  const std::vector<std::string>& entries() const { return entries_; }

private:
  std::vector<std::string> entries_;
};

}  // namespace cstad::service
