// The node's admin commands: CSTA servers initiated and ended (csta -i, csta -e), accounts
// (csta_authentication), and the configuration as a whole: restored from a backup
// (data_restore), read again on SIGHUP, adopted from another LIM of the system. Each change is
// kept in the data directory before it is put in force. Part of the node actor (node.cpp), on
// its state.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/node_state.hpp"
#include "admin/replication.hpp"
#include "common/log.hpp"

namespace cstad::node_impl {

// -- CSTA servers (csta -i, csta -e) ------------------------------------------------------

static admin_reply add(node_pointer self, admin::server_config c, std::optional<reply_promise>& pending) {
  auto& st = self->state;
  if (c.lim != st.settings.lim && !(st.layout && st.layout->find(c.lim)))
    return {"there is no LIM " + std::to_string(c.lim) + " in this system", {}};
  if (c.type != "xml" && c.type != "tr87")
    return {"unknown server type \"" + c.type + "\" (xml or tr87)", {}};
  if (c.tls) {
    std::string why;
    if (!tls_source_of(self, c, why))
      return {why, {}};
  }
  if (c.auth != "optional" && c.auth != "mandatory")
    return {"unknown authentication \"" + c.auth + "\" (optional or mandatory)", {}};
  if (c.max_sessions < 0)
    return {"the maximum number of sessions must not be negative", {}};
  if (c.status_on_connect && c.type != "xml")
    return {"a SystemStatus on connect is for CSTA XML servers (a TR/87 client opens with its INVITE)", {}};
  if (c.port == 0)
    return {"a CSTA server needs a port its clients can be told (1-65535)", {}};
  if (find_server(self, c.lim, c.port) != nullptr || st.settings.config.find_server(c.lim, c.port) != nullptr)
    return {"LIM " + std::to_string(c.lim) + " has a CSTA server on port " + std::to_string(c.port) + " already", {}};
  if (c.lim != st.settings.lim) {
    // Another LIM's server: kept in the configuration, which that LIM adopts and starts.
    auto changed = st.settings.config;
    changed.servers.push_back(c);
    if (auto error = keep(self, changed); !error.empty())
      return {error, {}};
    st.settings.config = std::move(changed);
    auto up = st.far_up[c.lim];
    return {{}, "CSTA server " + c.type + " initiated on LIM " + std::to_string(c.lim) + ", " + c.host + ":" +
                    std::to_string(c.port) + (up ? " (LIM " + std::to_string(c.lim) + " starts it now)"
                                                  : " (LIM " + std::to_string(c.lim) +
                                                        " is down: it starts it when it joins)")};
  }
  auto& e = add_server(self, c);
  if (e.state.rfind("failed", 0) == 0) {
    auto why = e.state.substr(8);
    auto id = e.id;
    auto& v = st.servers;
    v.erase(std::remove_if(v.begin(), v.end(), [id](const server_entry& x) { return x.id == id; }), v.end());
    return {why, {}};
  }
  e.added = *pending;
  pending.reset();
  return {};
}

reply_promise initiate_server(node_pointer self, admin::server_config c) {
  auto rp = self->make_response_promise<admin_reply>();
  std::optional<reply_promise> pending = rp;
  auto refused = add(self, std::move(c), pending);
  if (pending)  // refused before a listener was started
    rp.deliver(refused);
  return rp;
}

reply_promise end_server(node_pointer self, int lim, std::uint16_t port) {
  auto rp = self->make_response_promise<admin_reply>();
  auto& st = self->state;
  if (lim != st.settings.lim && st.layout && st.layout->find(lim)) {
    // Another LIM's server: it leaves the configuration, and that LIM stops it.
    auto c = st.settings.config;
    auto i = std::find_if(c.servers.begin(), c.servers.end(),
                          [&](const admin::server_config& x) { return x.lim == lim && x.port == port; });
    if (i == c.servers.end()) {
      rp.deliver(admin_reply{"there is no CSTA server on port " + std::to_string(port) + " of LIM " +
                                 std::to_string(lim), {}});
      return rp;
    }
    c.servers.erase(i);
    if (auto error = keep(self, c); !error.empty()) {
      rp.deliver(admin_reply{error, {}});
      return rp;
    }
    st.settings.config = std::move(c);
    rp.deliver(admin_reply{{}, "CSTA server on port " + std::to_string(port) + " of LIM " + std::to_string(lim) +
                                   " removed" + (st.far_up[lim] ? "" : " (LIM " + std::to_string(lim) +
                                                                           " is down: it stops it when it joins)")});
    return rp;
  }
  auto e = find_server(self, lim, port);
  if (e != nullptr && e->state.rfind("failed", 0) == 0) {
    // Nothing listens: it only leaves the configuration.
    auto c = self->state.settings.config;
    auto configured = e->config;
    c.servers.erase(std::remove(c.servers.begin(), c.servers.end(), configured), c.servers.end());
    if (auto error = keep(self, c); !error.empty()) {
      rp.deliver(admin_reply{error, {}});
      return rp;
    }
    self->state.settings.config = std::move(c);
    auto& v = self->state.servers;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const server_entry& x) { return &x == e; }), v.end());
    rp.deliver(admin_reply{{}, "CSTA server on port " + std::to_string(port) + " removed"});
    return rp;
  }
  if (e == nullptr || e->state == "removing") {
    rp.deliver(admin_reply{"there is no CSTA server on port " + std::to_string(port) + " of LIM " +
                               std::to_string(lim),
                           {}});
    return rp;
  }
  auto c = self->state.settings.config;
  auto& v = c.servers;
  auto configured = e->config;
  v.erase(std::remove(v.begin(), v.end(), configured), v.end());
  if (auto error = keep(self, c); !error.empty()) {
    rp.deliver(admin_reply{error, {}});
    return rp;
  }
  self->state.settings.config = std::move(c);
  log::node().info("CSTA server on port {} removed", e->bound_port);
  e->removed.push_back(rp);
  stop_server(self, *e, "CSTA server removed");
  return rp;
}

// -- The configuration as a whole -----------------------------------------------------------

// What a new configuration changes for this LIM, put in force: the accounts, and this LIM's
// servers (those no longer configured stop, new ones start).
static void put_in_force(node_pointer self, const admin::system_config& old) {
  auto& st = self->state;
  auto& now = st.settings.config;
  if (!(old.accounts == now.accounts)) {
    std::vector<service::account> accounts = now.accounts;
    self->send(st.authenticator, atom::accounts_v, std::move(accounts));
  }
  for (auto& e : st.servers)
    if (e.state != "removing" && std::find(now.servers.begin(), now.servers.end(), e.config) == now.servers.end())
      stop_server(self, e, "CSTA server removed");
  forget_failed(self);
  for (auto& x : now.servers)
    if (x.lim == st.settings.lim &&
        std::none_of(st.servers.begin(), st.servers.end(),
                     [&](const server_entry& e) { return e.config == x && e.state != "removing"; }))
      add_server(self, x);
}

// The configuration as another LIM of the system has it: each part is kept from whichever
// side changed it later (admin/replication.hpp); what that changes for this LIM is put in
// force: the accounts, and this LIM's servers.
void adopt_configuration(node_pointer self, int from, const std::string& json) {
  auto& st = self->state;
  std::string problem;
  auto theirs = admin::from_json(json, problem);
  if (!theirs || !(problem = admin::check(*theirs)).empty()) {
    log::node().error("LIM {} sent a configuration that cannot be used: {}", from, problem);
    return;
  }
  if (st.restoring || st.shutdown)
    return;
  auto& mine = st.settings.config;
  auto dir = st.dir;
  auto merged = admin::merge(mine, st.settings.lim, *theirs, from, [dir](const std::string& number) {
    auto r = dir->find(number);
    return r == nullptr ? 0 : r->lim;
  });
  if (merged == mine && merged.revision == mine.revision && merged.server_revisions == mine.server_revisions)
    return;
  if (merged.system != mine.system)
    log::node().warn("LIM {} has another system layout; it is kept, and this LIM uses it from its next start", from);
  auto& store = st.settings.store;
  if (store && !store->save(merged, problem)) {
    log::node().error("the configuration of LIM {} could not be kept: {}", from, problem);
    return;
  }
  auto old = std::move(mine);
  mine = std::move(merged);
  log::node().info("configuration from LIM {} adopted (revision {})", from, mine.revision);
  put_in_force(self, old);
}

// SIGHUP: config.json as it is now (edited by hand, or restored by a copy) is the
// configuration; what changed is put in force and, in a system, handed to the other LIMs.
void reload(node_pointer self) {
  auto& st = self->state;
  if (!st.settings.store || st.restoring || st.shutdown)
    return;
  admin::system_config c;
  std::string problem;
  switch (st.settings.store->load(c, problem)) {
    case admin::data_directory::load_result::loaded: break;
    case admin::data_directory::load_result::missing:
      log::node().warn("SIGHUP: no config.json in {}; nothing changed", st.settings.store->path());
      return;
    case admin::data_directory::load_result::broken:
      log::node().error("SIGHUP: config.json cannot be used, nothing changed: {}", problem);
      return;
  }
  if (auto error = admin::check(c); !error.empty()) {
    log::node().error("SIGHUP: config.json cannot be used, nothing changed: {}", error);
    return;
  }
  if (c.system != st.settings.config.system || c.plan != st.settings.config.plan)
    log::node().warn("SIGHUP: the number plan or the system layout changed; they are used from the next start");
  c.revision = st.settings.config.revision;
  c.server_revisions = st.settings.config.server_revisions;
  if (auto error = keep(self, c); !error.empty())
    return;
  auto old = std::move(st.settings.config);
  st.settings.config = std::move(c);
  log::node().info("SIGHUP: configuration read again (TLS certificates are read anew by each new connection)");
  put_in_force(self, old);
}

reply_promise restore_configuration(node_pointer self, const std::string& json) {
  auto rp = self->make_response_promise<admin_reply>();
  auto& st = self->state;
  if (st.restoring || st.shutdown) {
    rp.deliver(admin_reply{"the server is busy stopping or restoring", {}});
    return rp;
  }
  std::string problem;
  auto c = admin::from_json(json, problem);
  if (!c) {
    rp.deliver(admin_reply{"the backup cannot be restored: " + problem, {}});
    return rp;
  }
  if (auto error = keep(self, *c); !error.empty()) {
    rp.deliver(admin_reply{error, {}});
    return rp;
  }
  log::node().info("restoring a configuration: ending every session, restarting the LIM and the servers");
  st.settings.config = std::move(*c);
  st.restoring = rp;
  stop_everything(self, "configuration restored");
  return rp;
}

// -- Accounts (csta_authentication) ---------------------------------------------------------

admin::auth_report auth_report_of(const admin::system_config& c) {
  admin::auth_report r{c.durations, c.servers, {}};
  for (auto& a : c.accounts)
    r.accounts.push_back({a.user, a.level, a.applications, a.max_duration, a.devices});
  return r;
}

// Applies a changed list of accounts: kept first, then in force.
static admin_reply change_accounts(node_pointer self, std::vector<service::account> accounts, std::string message) {
  auto c = self->state.settings.config;
  c.accounts = std::move(accounts);
  if (auto error = admin::check(c); !error.empty())
    return {error, {}};
  if (auto error = keep(self, c); !error.empty())
    return {error, {}};
  self->state.settings.config = std::move(c);
  std::vector<service::account> copy = self->state.settings.config.accounts;
  self->send(self->state.authenticator, atom::accounts_v, std::move(copy));
  log::node().info("{}", message);
  return {{}, message};
}

admin_reply set_account(node_pointer self, service::account a, bool create) {
  auto accounts = self->state.settings.config.accounts;
  auto i = std::find_if(accounts.begin(), accounts.end(),
                        [&](const service::account& x) { return x.user == a.user; });
  if (create && i != accounts.end())
    return {"an account for \"" + a.user + "\" exists already (csta_authentication -c changes it)", {}};
  if (!create && i == accounts.end())
    return {"there is no account for \"" + a.user + "\"", {}};
  if (a.password_hash.empty()) {
    if (create)
      return {"a new account needs a password", {}};
    a.password_hash = i->password_hash;  // -c without a new password keeps it
  }
  auto user = a.user;
  if (i == accounts.end())
    accounts.push_back(std::move(a));
  else
    *i = std::move(a);
  return change_accounts(self, std::move(accounts),
                         std::string{create ? "account added: " : "account changed: "} + user);
}

admin_reply remove_account(node_pointer self, const std::string& user) {
  auto accounts = self->state.settings.config.accounts;
  auto i = std::find_if(accounts.begin(), accounts.end(),
                        [&](const service::account& x) { return x.user == user; });
  if (i == accounts.end())
    return {"there is no account for \"" + user + "\"", {}};
  accounts.erase(i);
  return change_accounts(self, std::move(accounts), "account removed: " + user);
}

}  // namespace cstad::node_impl
