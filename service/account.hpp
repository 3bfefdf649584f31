#pragma once
// An account for ECMA-354 application session authentication, as csta_authentication keeps it.

#include <string>
#include <vector>

namespace cstad::service {

struct account {
  std::string user;
  std::string password_hash;  // password_hash.hpp's encoding; never the password
  int level = 1;              // authority level, informational
  std::vector<std::string> applications;  // applicationIDs it may start; empty: any
  int max_duration = 0;       // seconds a session may last at most; 0: the server's maximum
  // Devices its sessions may monitor and control (device_scope.hpp: numbers, ranges like
  // 1010-1019); empty: any.
  std::vector<std::string> devices;

  friend bool operator==(const account& a, const account& b) {
    return a.user == b.user && a.password_hash == b.password_hash && a.level == b.level &&
           a.applications == b.applications && a.max_duration == b.max_duration && a.devices == b.devices;
  }
};

template <class Inspector>
auto inspect(Inspector& f, account& x) {
  return f(x.user, x.password_hash, x.level, x.applications, x.max_duration, x.devices);
}

}  // namespace cstad::service
