#pragma once
// Who may start an application session. With no account configured, anyone may on a server
// where sessions are optional, and nobody on one where they are mandatory (no default password
// works). With accounts, the StartApplicationSession must carry the user name and password of
// one, for an application the account allows. Failed attempts from one address slow the answers
// to that address down, and failed attempts at one user name (from anywhere) slow the answers
// for that user down: a guesser spread over many addresses gains nothing. Pure logic on an injected time; the password check itself is slow by
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
  std::vector<std::string> devices;  // the account's devices (device_scope.hpp; empty: any)
};

template <class Inspector>
auto inspect(Inspector& f, verdict& x) {
  return f(x.ok, x.user, x.max_duration, x.reason, x.devices);
}

/// An answer to an attempt and how long it is held back.
struct decision {
  verdict v;
  sim::duration hold{};
};

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

  /// Checks the credentials and counts a failure for the address. A success forgives the
  /// address's failures only while its answers are not yet slowed down: otherwise a guesser
  /// who has one account of their own could log on with it between guesses at another's.
  verdict check(const credentials& c, sim::time_point now);

  /// What a log-on gets. Once an address's answers are slowed down, every answer to it waits
  /// (a success too, so the timing does not tell a right guess from a wrong one), and an
  /// attempt that comes while it must wait is refused without a password check: one address
  /// cannot keep the deliberately slow check busy for everyone.
  decision decide(const credentials& c, sim::time_point now);

  /// How long the answer to the address is held back now: zero until it has failed more than
  /// free_failures times within the window.
  sim::duration delay(const std::string& address, sim::time_point now) const { return by_address_.delay(address, now); }
  /// The same for attempts at a user name, whichever address they come from.
  sim::duration user_delay(const std::string& user, sim::time_point now) const { return by_user_.delay(user, now); }

private:
  // Failures counted by one key (an address, or a user name), bounded in size.
  class failure_table {
  public:
    void failed(const std::string& key, sim::time_point now);
    sim::duration delay(const std::string& key, sim::time_point now) const;
    /// Forgets the key's failures while they do not slow it down yet.
    void forgive(const std::string& key);
    /// Attempts before this time are refused unchecked.
    sim::time_point next_check(const std::string& key) const;
    void hold_until(const std::string& key, sim::time_point t);

  private:
    struct failures {
      int count = 0;
      sim::time_point last{};
      sim::time_point next_check{};
    };
    std::unordered_map<std::string, failures> table_;
  };
  void failed(const credentials& c, sim::time_point now);

  std::vector<account> accounts_;
  failure_table by_address_;
  failure_table by_user_;
};

}  // namespace cstad::service
