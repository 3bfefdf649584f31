// The system file of several LIMs, and how the LIMs keep one configuration (replication).

#include <doctest/doctest.h>

#include "admin/replication.hpp"
#include "admin/system_layout.hpp"
#include "service/password_hash.hpp"

using namespace cstad;
using namespace cstad::admin;

namespace {

const char* three_lims = R"({"lims": [
  {"id": 1, "host": "127.0.0.1", "cluster_port": 4101, "port": 8882,
   "ranges": [{"first": "1000", "last": "1099", "kind": "ip"}],
   "acd_groups": [{"number": "6000", "name": "Service"}]},
  {"id": 2, "host": "127.0.0.1", "cluster_port": 4102,
   "ranges": [{"first": "2000", "last": "2049", "kind": "ip"}, {"first": "2050", "last": "2059", "kind": "analog"}]},
  {"id": 3, "cluster_port": 4103, "ranges": [{"first": "3000", "last": "3009", "kind": "ip", "lim": 7}]}],
  "e164": [{"prefix": "+468700", "replace": ""}]})";

std::string layout_error(const std::string& text) {
  std::string error;
  auto l = system_layout::from_json(text, error);
  CHECK_FALSE(l);
  return error;
}

}  // namespace

TEST_CASE("a system file: each LIM with its address and its part of the plan, one directory of all") {
  std::string error;
  auto l = system_layout::from_json(three_lims, error);
  REQUIRE_MESSAGE(l, error);
  REQUIRE(l->lims().size() == 3);
  CHECK(l->find(1)->port == 8882);
  CHECK(l->find(2)->port == 0);
  CHECK(l->find(3)->host == "127.0.0.1");  // the default
  CHECK(l->find(3)->cluster_port == 4103);
  CHECK(l->find(4) == nullptr);
  auto plan2 = l->plan_of(2);
  CHECK(plan2.devices().size() == 60);
  CHECK(plan2.find("2055")->kind == sim::device_kind::analog_extension);
  CHECK(plan2.find("1000") == nullptr);
  auto dir = l->directory();
  CHECK(dir.find("1000")->lim == 1);
  CHECK(dir.find("6000")->lim == 1);
  CHECK(dir.find("2059")->lim == 2);
  CHECK(dir.find("3009")->lim == 3);  // an entry's "lim" cannot move a number to another LIM
  CHECK(dir.find("4000") == nullptr);
  // The system's E.164 rule is every LIM's.
  CHECK(dir.number_of("tel:+4687002001") == "2001");
  CHECK(l->plan_of(3).e164().size() == 1);
}

TEST_CASE("a system file that cannot be used says where") {
  CHECK(layout_error("[]") == "the system file is not a JSON object");
  CHECK(layout_error(R"({"lims": []})") == "the system file needs \"lims\": a list of at least one LIM");
  CHECK(layout_error(R"({"lims": [{"cluster_port": 1}]})") == "lims[0] has no id");
  CHECK(layout_error(R"({"lims": [{"id": 0, "cluster_port": 1}]})") == "lims[0].id: 0 is not a LIM id (1-999)");
  CHECK(layout_error(R"({"lims": [{"id": 1000, "cluster_port": 1}]})") == "lims[0].id: 1000 is not a LIM id (1-999)");
  CHECK(layout_error(R"({"lims": [{"id": 1}]})") == "lims[0] has no cluster_port (where the other LIMs reach it)");
  CHECK(layout_error(R"({"lims": [{"id": 1, "cluster_port": 70000}]})") ==
        "lims[0].cluster_port: 70000 is not a port (1-65535)");
  CHECK(layout_error(R"({"lims": [{"id": 1, "cluster_port": 1}, {"id": 1, "cluster_port": 2}]})") ==
        "lims[1]: LIM 1 is listed twice");
  CHECK(layout_error(R"({"lims": [{"id": 1, "cluster_port": 1}, {"id": 2, "cluster_port": 1}]})") ==
        "lims[1]: 127.0.0.1:1 is the cluster address of another LIM");
  CHECK(layout_error(R"({"lims": [{"id": 1, "cluster_port": 1, "ranges": [{"first": "1000", "last": "1009"}]},
                                  {"id": 2, "cluster_port": 2, "ranges": [{"first": "1005", "last": "1005"}]}]})") ==
        "lims[1]: 1005 belongs to LIM 1 already");
  CHECK(layout_error(R"({"lims": [{"id": 1, "cluster_port": 1, "ranges": [{"first": "x", "last": "1"}]}]})")
            .rfind("lims[0]: bad number range", 0) == 0);
}

TEST_CASE("a configuration with a system: servers on its LIMs, settings checked by the owning LIM") {
  std::string error;
  auto layout = system_layout::from_json(three_lims, error);
  REQUIRE(layout);
  auto c = system_config::fresh();
  c.plan.clear();
  c.system = layout->text();
  CHECK(check(c).empty());
  c.servers.push_back({});
  c.servers.back().lim = 2;
  CHECK(check(c).empty());
  c.servers.back().lim = 4;
  CHECK(check(c) == "servers[1].lim: the system has no LIM 4");
  c.servers.pop_back();
  // A forwarding from LIM 2 to a device of LIM 3 is fine: the exchange knows the system.
  c.features.push_back({"2001", "forwardImmediate", "3005", 0});
  CHECK(check(c).empty());
  c.features.push_back({"4001", "doNotDisturb", {}, 0});
  CHECK(check(c) == "exchange.features[1]: 4001 is not a number of the system");
  // The JSON form keeps the system and the revisions.
  c.features.pop_back();
  c.revision = 4;
  c.server_revisions = {{1, 2}, {3, 7}};
  auto back = from_json(to_json(c), error);
  REQUIRE_MESSAGE(back, error);
  CHECK(back->system == c.system);
  CHECK(back->revision == 4);
  CHECK(back->server_revisions == c.server_revisions);
}

namespace {

server_config server(int lim, std::uint16_t port) {
  server_config s;
  s.lim = lim;
  s.port = port;
  return s;
}

int owner(const std::string& number) { return number.empty() ? 0 : number[0] - '0'; }

account user(const std::string& name) {
  account a;
  a.user = name;
  a.password_hash = service::hash_password("secret");
  return a;
}

}  // namespace

TEST_CASE("changes are counted per part: the system-wide part, and each LIM's servers") {
  auto before = system_config::fresh();
  auto after = before;
  count_changes(before, after);
  CHECK(after.revision == 0);
  CHECK(after.server_revisions.empty());
  after.servers.push_back(server(2, 9000));
  count_changes(before, after);
  CHECK(after.revision == 0);
  CHECK(after.server_revisions == std::map<int, std::uint64_t>{{2, 1}});
  auto later = after;
  later.accounts.push_back(user("desk"));
  later.features.push_back({"1001", "doNotDisturb", {}, 0});  // DND is the device's LIM's, not counted
  count_changes(after, later);
  CHECK(later.revision == 1);
  CHECK(later.server_revisions == std::map<int, std::uint64_t>{{2, 1}});
}

TEST_CASE("replication: each part from the side that changed it later, DND from the device's own LIM") {
  // LIM 1 added an account; LIM 2 started with a server of its own; neither knew the other.
  auto base = system_config::fresh();  // LIM 1's server on 8882
  auto lim1 = base;
  lim1.accounts.push_back(user("desk"));
  lim1.features.push_back({"1001", "doNotDisturb", {}, 0});
  count_changes(base, lim1);
  auto lim2 = base;
  lim2.servers.push_back(server(2, 8892));
  lim2.features.push_back({"2001", "doNotDisturb", {}, 0});
  lim2.features.push_back({"1001", "forwardImmediate", "1002", 0});  // stale news of LIM 1's device
  count_changes(base, lim2);

  auto at1 = merge(lim1, 1, lim2, 2, owner);
  auto at2 = merge(lim2, 2, lim1, 1, owner);
  // Both have the account and LIM 2's server; each LIM's DND is its own word.
  for (auto* c : {&at1, &at2}) {
    CHECK(c->accounts.size() == 1);
    CHECK(c->servers.size() == 2);
    CHECK(c->revision == 1);
    CHECK(c->server_revisions.at(2) == 1);
  }
  CHECK(at1.features == std::vector<feature_entry>{{"1001", "doNotDisturb", {}, 0}, {"2001", "doNotDisturb", {}, 0}});
  CHECK(at2.features == std::vector<feature_entry>{{"2001", "doNotDisturb", {}, 0}, {"1001", "doNotDisturb", {}, 0}});
  // Once settled, nothing more moves.
  CHECK(merge(at1, 1, at2, 2, owner).servers == at1.servers);
  CHECK(merge(at1, 1, at2, 2, owner).accounts == at1.accounts);

  // csta -e on LIM 3 removes LIM 2's server: a later revision of LIM 2's servers, which wins.
  auto at3 = at1;
  at3.servers.erase(at3.servers.begin() + 1);
  count_changes(at1, at3);
  CHECK(merge(at2, 2, at3, 3, owner).servers == std::vector<server_config>{server_config{}});
  // An older configuration changes nothing.
  CHECK(merge(at3, 3, at2, 2, owner).servers == at3.servers);
}

TEST_CASE("replication: two different changes of the same revision settle on one on every LIM") {
  auto base = system_config::fresh();
  auto a = base;
  a.accounts.push_back(user("alice"));
  count_changes(base, a);
  auto b = base;
  b.accounts.push_back(user("bob"));
  count_changes(base, b);
  REQUIRE(a.revision == b.revision);
  auto at_a = merge(a, 1, b, 3, owner);
  auto at_b = merge(b, 3, a, 1, owner);
  CHECK(at_a.accounts == at_b.accounts);
  CHECK(at_a.accounts.size() == 1);
}
