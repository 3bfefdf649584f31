// Who may start an application session: accounts, passwords (salted slow hashes), allowed
// applications, mandatory servers without accounts, and failures that slow an address down.

#include <doctest/doctest.h>

#include "service/authenticator.hpp"
#include "service/password_hash.hpp"

using namespace cstad::service;
using namespace std::chrono_literals;

namespace {

const cstad::sim::time_point t0{};

// Few iterations: the tests check the logic, not the cost.
account make_account(const std::string& user, const std::string& password,
                     std::vector<std::string> applications = {}, int max_duration = 0) {
  return {user, hash_password(password, 1000), 1, std::move(applications), max_duration, {}};
}

credentials offer(std::optional<std::string> user, std::optional<std::string> password,
                  std::string application = "app", std::string address = "10.0.0.1", bool mandatory = false) {
  return {user.has_value() || password.has_value(), user.value_or(""), password.value_or(""),
          std::move(application), std::move(address), mandatory};
}

}  // namespace

TEST_CASE("password hashes: salted, verified in full, never the password") {
  auto a = hash_password("secret", 1000);
  auto b = hash_password("secret", 1000);
  CHECK(a != b);  // salted
  CHECK(a.find("secret") == std::string::npos);
  CHECK(a.rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(verify_password("secret", a));
  CHECK(verify_password("secret", b));
  CHECK_FALSE(verify_password("Secret", a));
  CHECK_FALSE(verify_password("", a));
  CHECK_FALSE(verify_password("secret", "plain:secret"));
  CHECK_FALSE(verify_password("secret", "pbkdf2-sha256$x$00$00"));
  CHECK_FALSE(verify_password("secret", a.substr(0, a.size() - 2)));
  CHECK(hash_password("x").rfind("pbkdf2-sha256$" + std::to_string(password_hash_iterations) + "$", 0) == 0);
}

TEST_CASE("without accounts: anyone on an optional server, nobody on a mandatory one") {
  authenticator auth;
  CHECK(auth.check(offer(std::nullopt, std::nullopt), t0).ok);
  CHECK(auth.check(offer("someone", "something"), t0).ok);
  auto v = auth.check(offer(std::nullopt, std::nullopt, "app", "10.0.0.1", true), t0);
  CHECK_FALSE(v.ok);
  CHECK(v.reason == "sessions are mandatory on this server and no account exists");
}

TEST_CASE("with accounts: the right user and password, for an application the account allows") {
  authenticator auth;
  auth.set_accounts({make_account("desk", "s3cret", {"Dialer", "Pop"}, 600), make_account("any", "pw")});
  auto ok = auth.check(offer("desk", "s3cret", "Dialer"), t0);
  CHECK(ok.ok);
  CHECK(ok.user == "desk");
  CHECK(ok.max_duration == 600);
  CHECK(auth.check(offer("any", "pw", ""), t0).ok);  // no list: any application, the empty one too
  CHECK(auth.check(offer("desk", "wrong", "Dialer"), t0).reason == "wrong password for user 'desk'");
  CHECK(auth.check(offer("nobody", "s3cret", "Dialer"), t0).reason == "no account for user 'nobody'");
  CHECK(auth.check(offer("desk", "s3cret", "Other"), t0).reason == "user 'desk' may not start application 'Other'");
  // Avaya DMCC clients send an empty applicationID: a list that does not name "" refuses it.
  CHECK(auth.check(offer("desk", "s3cret", ""), t0).reason == "user 'desk' may not start application ''");
  CHECK(auth.check(offer(std::nullopt, std::nullopt), t0).reason == "no user name and password");
}

TEST_CASE("failures slow an address down, doubling up to a cap, and time forgives") {
  authenticator auth;
  auth.set_accounts({make_account("desk", "s3cret")});
  auto fail = [&](const std::string& address, cstad::sim::time_point now) {
    CHECK_FALSE(auth.check(offer("desk", "guess", "app", address), now).ok);
  };
  for (int i = 0; i < authenticator::free_failures; ++i)
    fail("10.0.0.9", t0);
  CHECK(auth.delay("10.0.0.9", t0) == 0s);
  fail("10.0.0.9", t0);
  CHECK(auth.delay("10.0.0.9", t0) == 1s);
  fail("10.0.0.9", t0);
  CHECK(auth.delay("10.0.0.9", t0) == 2s);
  for (int i = 0; i < 10; ++i)
    fail("10.0.0.9", t0);
  CHECK(auth.delay("10.0.0.9", t0) == authenticator::max_delay);
  // Another address is not slowed down.
  CHECK(auth.delay("10.0.0.10", t0) == 0s);
  // After the window, the failures are forgotten.
  CHECK(auth.delay("10.0.0.9", t0 + authenticator::window + 1s) == 0s);
  // A success forgives while the answers are not slowed down yet, not afterwards: a guesser
  // with an account of their own cannot reset the count between guesses.
  for (int i = 0; i < authenticator::free_failures; ++i)
    fail("10.0.0.11", t0);
  CHECK(auth.check(offer("desk", "s3cret", "app", "10.0.0.11"), t0).ok);
  CHECK(auth.delay("10.0.0.11", t0) == 0s);
  for (int i = 0; i <= authenticator::free_failures; ++i)
    fail("10.0.0.11", t0);
  CHECK(auth.delay("10.0.0.11", t0) == 1s);
  CHECK(auth.check(offer("desk", "s3cret", "app", "10.0.0.11"), t0).ok);
  CHECK(auth.delay("10.0.0.11", t0) == 1s);
}

TEST_CASE("a slowed-down address: every answer waits, and attempts while it waits are not checked") {
  authenticator auth;
  auth.set_accounts({make_account("desk", "s3cret"), make_account("agent", "pw")});
  for (int i = 0; i < authenticator::free_failures; ++i) {
    auto d = auth.decide(offer("desk", "guess", "app", "10.0.0.9"), t0);
    CHECK_FALSE(d.v.ok);
    CHECK(d.hold == 0s);
  }
  auto wrong = auth.decide(offer("desk", "guess", "app", "10.0.0.9"), t0);
  CHECK(wrong.v.reason == "wrong password for user 'desk'");
  CHECK(wrong.hold == 0s);  // the fourth failure is the last answered at once
  // Now a right password waits as long as a wrong one would: the timing tells nothing.
  auto right = auth.decide(offer("desk", "s3cret", "app", "10.0.0.9"), t0);
  CHECK(right.v.ok);
  CHECK(right.hold == 1s);
  // Until that second has passed, attempts are refused unchecked (even with the password).
  auto early = auth.decide(offer("desk", "s3cret", "app", "10.0.0.9"), t0 + 500ms);
  CHECK_FALSE(early.v.ok);
  CHECK(early.v.reason == "too many failed log-ons from 10.0.0.9: not checked");
  CHECK(early.hold == 1s);  // and it counted as a failure: the next answer waits longer
  auto later = auth.decide(offer("desk", "s3cret", "app", "10.0.0.9"), t0 + 1s);
  CHECK(later.v.ok);
  CHECK(later.hold == 2s);
  // Another address, for another user, is not affected.
  auto other = auth.decide(offer("agent", "pw", "app", "10.0.0.10"), t0 + 1s);
  CHECK(other.v.ok);
  CHECK(other.hold == 0s);
}

TEST_CASE("guesses at one user from many addresses slow that user down, not the others") {
  authenticator auth;
  auth.set_accounts({make_account("desk", "s3cret"), make_account("agent", "pw")});
  // Each guess from an address of its own: no address is slowed down, the user is.
  for (int i = 0; i <= authenticator::free_failures; ++i) {
    auto d = auth.decide(offer("desk", "guess", "app", "10.1.0." + std::to_string(i)), t0);
    CHECK_FALSE(d.v.ok);
    CHECK(d.hold == 0s);
  }
  CHECK(auth.user_delay("desk", t0) == 1s);
  CHECK(auth.delay("10.1.0.0", t0) == 0s);
  auto next = auth.decide(offer("desk", "guess", "app", "10.1.0.50"), t0);
  CHECK_FALSE(next.v.ok);
  CHECK(next.hold == 1s);
  // While the user's answers wait, attempts at it are refused unchecked, from anywhere.
  auto early = auth.decide(offer("desk", "s3cret", "app", "10.1.0.51"), t0 + 500ms);
  CHECK_FALSE(early.v.ok);
  CHECK(early.v.reason == "too many failed log-ons for user 'desk': not checked");
  // Another user from the same addresses is answered at once.
  auto agent = auth.decide(offer("agent", "pw", "app", "10.1.0.52"), t0 + 500ms);
  CHECK(agent.v.ok);
  CHECK(agent.hold == 0s);
  // Time forgives.
  auto later = auth.decide(offer("desk", "s3cret", "app", "10.1.0.53"), t0 + authenticator::window + 1s);
  CHECK(later.v.ok);
  CHECK(later.hold == 0s);
}
