#include "service/authenticator.hpp"

#include <algorithm>

#include "service/password_hash.hpp"
#include "common/printable.hpp"

namespace cstad::service {
namespace {

// Checked in place of a missing account's hash, so an unknown user costs as much time as a
// wrong password and the answer's timing tells nothing about which user names exist.
const std::string& decoy_hash() {
  static const std::string hash = hash_password("decoy");
  return hash;
}

}  // namespace

verdict authenticator::check(const credentials& c, sim::time_point now) {
  verdict v;
  if (accounts_.empty()) {
    if (c.mandatory) {
      v.reason = "sessions are mandatory on this server and no account exists";
      failed(c.address, now);
      return v;
    }
    v.ok = true;  // no authentication configured
    return v;
  }
  auto a = c.offered ? std::find_if(accounts_.begin(), accounts_.end(),
                                    [&](const account& x) { return x.user == c.user; })
                     : accounts_.end();
  bool password_ok = verify_password(c.password, a != accounts_.end() ? a->password_hash : decoy_hash());
  if (!c.offered)
    v.reason = "no user name and password";
  else if (a == accounts_.end())
    v.reason = "no account for user '" + printable(c.user) + "'";
  else if (!password_ok)
    v.reason = "wrong password for user '" + printable(c.user) + "'";
  else if (!a->applications.empty() &&
           std::find(a->applications.begin(), a->applications.end(), c.application) == a->applications.end())
    v.reason = "user '" + printable(c.user) + "' may not start application '" + printable(c.application) + "'";
  else {
    v.ok = true;
    v.user = a->user;
    v.max_duration = a->max_duration;
    if (auto i = failures_.find(c.address); i != failures_.end() && i->second.count <= free_failures)
      failures_.erase(i);
    return v;
  }
  failed(c.address, now);
  return v;
}

decision authenticator::decide(const credentials& c, sim::time_point now) {
  decision d;
  d.hold = delay(c.address, now);
  if (d.hold == sim::duration::zero()) {
    d.v = check(c, now);
    return d;
  }
  auto& f = failures_[c.address];
  if (now < f.next_check) {
    d.v.reason = "too many failed log-ons from " + c.address + ": not checked";
    failed(c.address, now);
    return d;
  }
  d.v = check(c, now);
  if (auto i = failures_.find(c.address); i != failures_.end())
    i->second.next_check = now + d.hold;
  return d;
}

void authenticator::failed(const std::string& address, sim::time_point now) {
  auto i = failures_.find(address);
  if (i == failures_.end()) {
    if (failures_.size() >= max_tracked_addresses) {
      // Forget the address that failed longest ago: the table stays bounded.
      auto oldest = std::min_element(failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      });
      failures_.erase(oldest);
    }
    i = failures_.emplace(address, failures{}).first;
  }
  if (now - i->second.last > window)
    i->second.count = 0;
  ++i->second.count;
  i->second.last = now;
}

sim::duration authenticator::delay(const std::string& address, sim::time_point now) const {
  auto i = failures_.find(address);
  if (i == failures_.end() || now - i->second.last > window || i->second.count <= free_failures)
    return sim::duration::zero();
  auto doublings = std::min(i->second.count - free_failures - 1, 5);
  auto d = std::chrono::duration_cast<sim::duration>(first_delay) * (1 << doublings);
  return std::min<sim::duration>(d, max_delay);
}

}  // namespace cstad::service
