#pragma once
// Who may start an application session. With no account configured, anyone may on a server
// where sessions are optional, and nobody on one where they are mandatory (no default password
// works). With accounts, the StartApplicationSession must carry the user name and password of
// one, for an application the account allows. Failed attempts from one address slow the answers
// to that address down. Pure logic on an injected time; the password check itself is slow by
// design (password_hash.hpp), so the actor around this runs on a thread of its own.

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "service/account.hpp"
#include "sim/clock.hpp"

namespace cstad::service {

/// What a StartApplicationSession offers.
struct credentials {
  bool offered = false;     // a SessionLoginInfo came with the request
  std::string user;
  std::string password;
  std::string application;  // applicationID
  std::string address;      // the client's IP address (without port): failures are counted by it
  bool mandatory = false;   // the server requires an application session
};

template <class Inspector>
auto inspect(Inspector& f, credentials& x) {
  return f(x.offered, x.user, x.password, x.application, x.address, x.mandatory);
}

struct verdict {
  bool ok = false;
  std::string user;         // the account's, when one matched
  int max_duration = 0;     // the account's limit (seconds; 0: none)
  std::string reason;       // why not, for the log (never the password)
};

template <class Inspector>
auto inspect(Inspector& f, verdict& x) {
  return f(x.ok, x.user, x.max_duration, x.reason);
}

class authenticator {
public:
  /// Failures an address may have before its answers are delayed; the first delay, doubled
  /// with each further failure up to the cap; failures older than the window are forgotten.
  static constexpr int free_failures = 3;
  static constexpr std::chrono::seconds first_delay{1};
  static constexpr std::chrono::seconds max_delay{30};
  static constexpr std::chrono::minutes window{10};
  static constexpr std::size_t max_tracked_addresses = 10000;

  void set_accounts(std::vector<account> accounts) { accounts_ = std::move(accounts); }
  const std::vector<account>& accounts() const { return accounts_; }

  /// Checks the credentials and counts a failure (or clears them on success) for the address.
  verdict check(const credentials& c, sim::time_point now);

  /// How long the answer to the address is held back now: zero until it has failed more than
  /// free_failures times within the window.
  sim::duration delay(const std::string& address, sim::time_point now) const;

private:
  struct failures {
    int count = 0;
    sim::time_point last{};
  };
  void failed(const std::string& address, sim::time_point now);

  std::vector<account> accounts_;
  std::unordered_map<std::string, failures> failures_;
};

}  // namespace cstad::service
