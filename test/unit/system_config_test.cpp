// The configuration as the data directory keeps it: JSON both ways, every problem named with
// its place, atomic writes, one server per directory, a secret only its owner can read.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "admin/data_directory.hpp"
#include "admin/system_config.hpp"
#include "service/password_hash.hpp"

using namespace cstad::admin;
namespace fs = std::filesystem;

namespace {

system_config sample() {
  auto c = system_config::fresh();
  c.servers.push_back({1, "xml", "0.0.0.0", 9000, false, "mandatory", 5, false, "", "", ""});
  c.servers.push_back({1, "xml", "0.0.0.0", 9001, true, "optional", 0, true, "/etc/a.crt", "/etc/a.key", "/etc/ca.crt"});
  c.durations = {120, 5, 600};
  static const auto hash = cstad::service::hash_password("pw", 1000);
  c.accounts.push_back({"desk", hash, 2, {"Dialer"}, 300, {"1010", "1050-1059"}});
  c.features.push_back({"2000", "forwardNoAns", "0701234567", 3});
  c.plan = R"({"ranges":[{"first":"2000","kind":"ip","last":"2009"}]})";  // as JSON writes it
  c.features.push_back({"2001", "doNotDisturb", "", 0});
  c.features.push_back({"2002", "forwardImmediate", "2003", 0});
  return c;
}

// A fresh, empty directory for one test, removed afterwards.
struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("cstad-test-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(std::rand()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string problem_in(const std::string& json) {
  std::string error;
  auto c = from_json(json, error);
  CHECK_FALSE(c);
  return error;
}

}  // namespace

TEST_CASE("a configuration survives its JSON form unchanged") {
  auto c = sample();
  std::string error;
  auto back = from_json(to_json(c), error);
  REQUIRE_MESSAGE(back, error);
  CHECK(*back == c);
  auto fresh = from_json(to_json(system_config::fresh()), error);
  REQUIRE(fresh);
  CHECK(fresh->servers == std::vector<server_config>{server_config{}});
  CHECK(fresh->plan.empty());  // the demo
}

TEST_CASE("every problem of a configuration is named with its place") {
  CHECK(problem_in("{not json") == "not valid JSON");
  CHECK(problem_in("[]") == "the configuration is not a JSON object");
  CHECK(problem_in(R"({"version":2})") == "version 2 is not one this cstad reads (1)");
  CHECK(problem_in(R"({"servers":[{"port":70000}]})") == "servers[0].port: 70000 is not a port");
  CHECK(problem_in(R"({"servers":[{"port":"x"}]})") == R"(servers[0].port: "x" is not a whole number in range)");
  CHECK(problem_in(R"({"servers":[{"port":8882.5}]})") == "servers[0].port: 8882.5 is not a whole number in range");
  CHECK(problem_in(R"({"servers":[{"max_sessions":1e20}]})") ==
        "servers[0].max_sessions: 1e+20 is not a whole number in range");
  CHECK(problem_in(R"({"servers":[{"max_sessions":4294967297}]})") ==
        "servers[0].max_sessions: 4294967297 is not a whole number in range");
  CHECK(problem_in(R"({"servers":[{"host":7}]})") == "servers[0].host: 7 has the wrong type");
  CHECK(problem_in(R"({"servers":[{"tls":true,"tls_certificate":"a.crt"}]})") ==
        "servers[0]: a TLS certificate file needs its key file, and a key file its certificate");
  CHECK(problem_in(R"({"servers":[{"tls_certificate":"a.crt","tls_key":"a.key"}]})") ==
        "servers[0]: TLS files are set on a server without TLS");
  CHECK(problem_in(R"({"servers":[{"type":"soap"}]})") == R"(servers[0].type: "soap" is not xml or tr87)");
  CHECK(problem_in(R"({"servers":[{"port":1},{"port":1}]})") == "servers[1]: LIM 1 has another server on port 1");
  CHECK(problem_in(R"({"authentication":{"accounts":[{"user":"a"}]}})") ==
        R"(authentication.accounts[0]: the account of "a" has no password hash of this cstad (csta_authentication -c sets a password))");
  CHECK(problem_in(R"({"authentication":{"accounts":[{"user":"a","password_hash":"plain"}]}})").find("no password hash") !=
        std::string::npos);
  auto account_with = [](const std::string& fields) {
    return R"({"authentication":{"accounts":[{"password_hash":")" + cstad::service::hash_password("pw", 1000) +
           "\"," + fields + "}]}}";
  };
  CHECK(problem_in(account_with(R"("user":"a\nforged log line")")) ==
        "authentication.accounts[0].user: a name must not hold control characters (line breaks, tabs)");
  CHECK(problem_in(account_with(R"("user":" a")")) ==
        "authentication.accounts[0].user: a name must not begin or end with a space");
  CHECK(problem_in(account_with(R"("user":")" + std::string(65, 'x') + "\"")) ==
        "authentication.accounts[0].user: a name must not be longer than 64 characters");
  CHECK(problem_in(account_with(R"("user":"a","level":-1)")) == "authentication.accounts[0].level: -1 is not a level (0-99)");
  CHECK(problem_in(account_with(R"("user":"a","applications":["ok",""])")) ==
        "authentication.accounts[0].applications: a name must not be empty");
  CHECK(problem_in(R"({"authentication":{"min_duration":100,"max_duration":50}})") ==
        "authentication: durations must satisfy 1 <= min <= default <= max");
  CHECK(problem_in(R"({"plan":{"ranges":[{"first":"9","last":"1"}]}})").rfind("plan: bad number range", 0) == 0);
  CHECK(problem_in(R"({"exchange":{"features":[{"device":"4242","feature":"doNotDisturb"}]}})") ==
        "exchange.features[0]: 4242 is not a number of the plan");
  CHECK(problem_in(R"({"exchange":{"features":[{"device":"1000","feature":"forwardSometimes"}]}})") ==
        R"(exchange.features[0].feature: "forwardSometimes" is neither doNotDisturb nor a forwarding type)");
  // What the exchange itself would refuse: forwarding to nowhere, a count of rings it cannot keep.
  CHECK(problem_in(R"({"exchange":{"features":[{"device":"1000","feature":"forwardImmediate"}]}})")
            .rfind("exchange.features[0]: the exchange refuses forwardImmediate of 1000 (", 0) == 0);
}

TEST_CASE("the data directory: saved atomically, loaded back, a broken file named and left alone") {
  temp_dir t;
  data_directory dir{(t.path / "state" / "cstad").string()};
  std::string error;
  REQUIRE(dir.create(error));
  CHECK((fs::status(dir.path()).permissions() & fs::perms::all) == fs::perms::owner_all);
  system_config loaded;
  CHECK(dir.load(loaded, error) == data_directory::load_result::missing);
  REQUIRE(dir.save(sample(), error));
  CHECK((fs::status(dir.config_file()).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  REQUIRE(dir.load(loaded, error) == data_directory::load_result::loaded);
  CHECK(loaded == sample());
  // No temporary file is left behind.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir.path()))
    files += e.path().filename().string().find(".tmp.") == std::string::npos ? 1 : 100;
  CHECK(files == 1);
  // Broken: named, and untouched.
  std::ofstream(dir.config_file()) << R"({"servers":[{"port":70000}]})";
  auto before = slurp(dir.config_file());
  CHECK(dir.load(loaded, error) == data_directory::load_result::broken);
  CHECK(error == dir.config_file() + ": servers[0].port: 70000 is not a port");
  CHECK(slurp(dir.config_file()) == before);
}

TEST_CASE("the admin secret is random, kept and readable only by its owner, and one server runs per directory") {
  temp_dir t;
  data_directory dir{t.path.string()};
  std::string error;
  CHECK_FALSE(dir.admin_secret(false, error));
  auto secret = dir.admin_secret(true, error);
  REQUIRE(secret);
  CHECK(secret->size() == 64);
  CHECK(dir.admin_secret(false, error) == secret);
  CHECK((fs::status(dir.file("admin.secret")).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  data_directory other{t.path.string()};
  CHECK(*other.admin_secret(true, error) == *secret);  // not made again
  REQUIRE(dir.lock(error));
  data_directory second{t.path.string()};
  CHECK_FALSE(second.lock(error));
  CHECK(error.find("another cstad runs on the data directory") == 0);
  CHECK(dir.admin_socket() == t.path.string() + "/admin.sock");
  fs::permissions(t.path, fs::perms::owner_all);
  CHECK(dir.exposure().empty());
  fs::permissions(t.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  CHECK(dir.exposure() == t.path.string() + " has mode 750");
  // A secret that exists but cannot be read is never replaced.
  fs::permissions(dir.file("admin.secret"), fs::perms::none);
  if (::geteuid() != 0) {  // root reads it regardless
    std::string why;
    CHECK_FALSE(other.admin_secret(true, why));
    CHECK(why.find("cannot read " + dir.file("admin.secret")) == 0);
  }
}

TEST_CASE("where the data directory is: the option, then the environment, then the home") {
  CHECK(data_directory::resolve("/x/y") == "/x/y");
  ::setenv("CSTAD_DATA_DIR", "/from/env", 1);
  CHECK(data_directory::resolve("") == "/from/env");
  ::unsetenv("CSTAD_DATA_DIR");
  ::setenv("XDG_STATE_HOME", "/state", 1);
  CHECK(data_directory::resolve("") == "/state/cstad");
  ::unsetenv("XDG_STATE_HOME");
  auto home = std::getenv("HOME");
  if (home != nullptr)
    CHECK(data_directory::resolve("") == std::string{home} + "/.local/state/cstad");
}
