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
      failed(c, now);
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
    v.devices = a->devices;
    by_address_.forgive(c.address);
    by_user_.forgive(c.user);
    return v;
  }
  failed(c, now);
  return v;
}

decision authenticator::decide(const credentials& c, sim::time_point now) {
  decision d;
  auto user_hold = c.offered ? by_user_.delay(c.user, now) : sim::duration::zero();
  d.hold = std::max(by_address_.delay(c.address, now), user_hold);
  if (d.hold == sim::duration::zero()) {
    d.v = check(c, now);
    return d;
  }
  if (now < by_address_.next_check(c.address)) {
    d.v.reason = "too many failed log-ons from " + c.address + ": not checked";
    failed(c, now);
    return d;
  }
  if (c.offered && now < by_user_.next_check(c.user)) {
    d.v.reason = "too many failed log-ons for user '" + printable(c.user) + "': not checked";
    failed(c, now);
    return d;
  }
  d.v = check(c, now);
  by_address_.hold_until(c.address, now + d.hold);
  if (c.offered)
    by_user_.hold_until(c.user, now + d.hold);
  return d;
}

void authenticator::failed(const credentials& c, sim::time_point now) {
  by_address_.failed(c.address, now);
  if (c.offered)
    by_user_.failed(c.user, now);
}

void authenticator::failure_table::failed(const std::string& key, sim::time_point now) {
  auto i = table_.find(key);
  if (i == table_.end()) {
    if (table_.size() >= max_tracked_addresses) {
      // Forget the key that failed longest ago: the table stays bounded.
      auto oldest = std::min_element(table_.begin(), table_.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      });
      table_.erase(oldest);
    }
    i = table_.emplace(key, failures{}).first;
  }
  if (now - i->second.last > window)
    i->second.count = 0;
  ++i->second.count;
  i->second.last = now;
}

sim::duration authenticator::failure_table::delay(const std::string& key, sim::time_point now) const {
  auto i = table_.find(key);
  if (i == table_.end() || now - i->second.last > window || i->second.count <= free_failures)
    return sim::duration::zero();
  auto doublings = std::min(i->second.count - free_failures - 1, 5);
  auto d = std::chrono::duration_cast<sim::duration>(first_delay) * (1 << doublings);
  return std::min<sim::duration>(d, max_delay);
}

void authenticator::failure_table::forgive(const std::string& key) {
  if (auto i = table_.find(key); i != table_.end() && i->second.count <= free_failures)
    table_.erase(i);
}

sim::time_point authenticator::failure_table::next_check(const std::string& key) const {
  auto i = table_.find(key);
  return i == table_.end() ? sim::time_point{} : i->second.next_check;
}

void authenticator::failure_table::hold_until(const std::string& key, sim::time_point t) {
  if (auto i = table_.find(key); i != table_.end())
    i->second.next_check = t;
}

}  // namespace cstad::service
