#pragma once
// What a client asked of the SystemStatus messages the server sends it on its own (as it
// connects, when a LIM goes down and comes back): its registrations (SystemRegister) and the
// values it does not want to receive (ChangeSystemStatusFilter, "true" = leave out, as in a
// monitor filter). One per session: the session sends SystemStatus whether the client
// registered or not, so the filter is the session's.

#include <set>
#include <string>
#include <string_view>

namespace cstad::service {

class system_status_subscription {
public:
  /// A registration of the client (the sysStatRegisterID its SystemRegister was given).
  void add_registration(std::string id) { registrations_.insert(std::move(id)); }
  bool has_registration(const std::string& id) const { return registrations_.count(id) != 0; }

  /// The values to leave out from now on.
  void set_filter(std::set<std::string> suppressed) { filter_ = std::move(suppressed); }
  const std::set<std::string>& filter() const { return filter_; }

  /// Whether a SystemStatus with this value goes out.
  bool wants(std::string_view status) const { return filter_.count(std::string{status}) == 0; }

private:
  std::set<std::string> registrations_;
  std::set<std::string> filter_;
};

}  // namespace cstad::service
