// The node actor: one per process. It runs the configuration: the LIM with its plan and the
// DND/forwarding clients set, the CSTA servers (a listener each), the accounts (through the
// authenticator). It makes the session of every new connection, keeps the registry of
// sessions, answers status and the admin commands (csta, csta_authentication, data_backup,
// data_restore; those that change the configuration are in node_admin.cpp), keeps every
// change in the data directory, and shuts down in order: listeners and their connections
// first, then the LIM.

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/error_text.hpp"
#include "actors/limit_rows.hpp"
#include "actors/node_state.hpp"
#include "actors/spawn.hpp"
#include "common/fan_out.hpp"
#include "common/log.hpp"
#include "admin/replication.hpp"
#include "admin/system_layout.hpp"

namespace cstad {
namespace node_impl {

server_entry* find_server(node_pointer self, int id) {
  auto& v = self->state.servers;
  auto i = std::find_if(v.begin(), v.end(), [id](const server_entry& e) { return e.id == id; });
  return i == v.end() ? nullptr : &*i;
}

server_entry* find_server(node_pointer self, int lim, std::uint16_t port) {
  auto& v = self->state.servers;
  auto i = std::find_if(v.begin(), v.end(), [&](const server_entry& e) {
    return e.config.lim == lim && port != 0 && (e.config.port == port || e.bound_port == port);
  });
  return i == v.end() ? nullptr : &*i;
}

void replicate(node_pointer self, const admin::system_config& c);

// Keeps a changed configuration in the data directory (when there is one) as its next
// revision, and hands it to the other LIMs of the system; the error when it cannot be kept.
std::string keep(node_pointer self, admin::system_config& c) {
  auto& store = self->state.settings.store;
  admin::count_changes(self->state.settings.config, c);
  std::string error;
  if (store && !store->save(c, error)) {
    log::node().error("{}", error);
    return "the configuration could not be kept: " + error;
  }
  replicate(self, c);
  return {};
}

void replicate(node_pointer self, const admin::system_config& c) {
  auto& st = self->state;
  if (st.links.empty())
    return;
  auto json = admin::to_json(c);
  for (auto& [lim, link] : st.links)
    if (st.far_up[lim])
      self->send(link, atom::config_v, st.settings.lim, json);
}

// -- The LIM --------------------------------------------------------------------------------

void start_lim(node_pointer self) {
  auto& st = self->state;
  auto& c = st.settings.config;
  lim_settings ls;
  ls.id = st.settings.lim;
  if (st.layout) {
    ls.plan = st.layout->plan_of(ls.id);
    st.dir = std::make_shared<const service::directory>(st.layout->directory());
    ls.system = st.dir;
  } else {
    ls.plan = c.plan.empty() ? sim::number_plan::demo() : sim::number_plan::from_json(c.plan);
    st.dir = std::make_shared<const service::directory>(service::directory::from_plan(ls.plan, ls.id));
  }
  ls.simulation = st.settings.simulation;
  ls.timing = st.settings.timing;
  // Each LIM sets what clients set on its own devices (the configuration holds the whole
  // system's).
  for (auto& f : c.features)
    if (auto r = st.dir->find(f.device); r != nullptr && r->lim == ls.id)
      ls.features.push_back(f);
  st.lim = spawn_lim(self->system(), std::move(ls), st.clock, caf::actor_cast<node_actor>(self));
  st.lim_alive = true;
  self->monitor(st.lim);
  lim_table table{{st.settings.lim, st.lim}};
  for (auto& [far, link] : st.links) {
    table.emplace(far, caf::actor_cast<lim_actor>(link));
    self->send(st.lim, atom::join_v, far, caf::actor_cast<signal_sink_actor>(link));
    self->send(link, atom::join_v, st.settings.lim, caf::actor_cast<signal_sink_actor>(st.lim));
    if (!st.far_up[far])
      self->send(st.lim, atom::lim_state_v, far, false);
  }
  st.lims = std::make_shared<const lim_table>(std::move(table));
}

// The other LIMs of the system: a link to each (it connects, and reconnects whenever the LIM
// comes back), and this LIM's peer gate on its cluster port for them.
void start_cluster(node_pointer self) {
  auto& st = self->state;
  if (!st.layout)
    return;
  auto me = caf::actor_cast<node_actor>(self);
  for (auto& l : st.layout->lims()) {
    if (l.id == st.settings.lim)
      continue;
    auto link = spawn_lim_link(self->system(), link_settings{st.settings.lim, l.id, l.host, l.cluster_port, me, {}});
    self->link_to(link);  // it ends with the node
    st.links.emplace_back(l.id, link);
    st.far_up[l.id] = false;
  }
  auto own = st.layout->find(st.settings.lim);
  auto gate = spawn_peer_gate(self->system(), me);
  st.cluster_state = "starting";
  auto mm = self->system().middleman().actor_handle();
  auto ptr = caf::actor_cast<caf::strong_actor_ptr>(gate);
  self->request(mm, std::chrono::seconds(10), caf::publish_atom_v, own->cluster_port, ptr,
                self->system().message_types(gate), own->host, true)
      .then(
          [self, gate, where = own->host + ":" + std::to_string(own->cluster_port)](std::uint16_t) {
            self->state.cluster_state = "running";
            log::node().info("LIM {} of a system of {}: the other LIMs reach it on {}", self->state.settings.lim,
                             self->state.layout->lims().size(), where);
            answer_starting(self);
          },
          [self, where = own->host + ":" + std::to_string(own->cluster_port)](const caf::error& err) {
            self->state.cluster_state = "failed: cannot listen on the cluster port " + where + " (" +
                                        render_reason(self->system(), err) + ")";
            answer_starting(self);
          });
}

// What clients set on other LIMs' devices stays as those LIMs said; this LIM's are as it
// says now.
std::vector<admin::feature_entry> merged_features(node_pointer self, std::vector<admin::feature_entry> own) {
  auto& st = self->state;
  for (auto& f : st.settings.config.features)
    if (auto r = st.dir->find(f.device); r != nullptr && r->lim != st.settings.lim)
      own.push_back(f);
  return own;
}

// Asks the LIM for DND and forwarding as clients left them, puts that into the configuration
// and keeps it; then runs next.
void collect_settings(node_pointer self, std::function<void()> next) {
  auto& st = self->state;
  if (!st.lim_alive) {
    next();
    return;
  }
  auto lim = st.lim;
  self->request(lim, status_timeout, atom::settings_v)
      .then(
          [self, lim, next](std::vector<admin::feature_entry>& features) {
            auto& st = self->state;
            if (st.lim == lim && !st.restoring) {
              auto merged = merged_features(self, std::move(features));
              if (merged != st.settings.config.features) {
                st.settings.config.features = std::move(merged);
                keep(self, st.settings.config);
              }
            }
            next();
          },
          [next](const caf::error&) { next(); });
}

// -- Stopping everything (shutdown, restore) ------------------------------------------------

void restart(node_pointer self);

// When the servers are gone, the LIM goes; when it is gone too, the node ends (shutdown) or
// starts again from the configuration (restore).
void continue_stopping(node_pointer self) {
  auto& st = self->state;
  if (!st.shutdown && !st.restoring)
    return;
  if (!st.servers.empty())
    return;
  if (st.lim_alive) {
    if (!st.restoring)
      collect_settings(self, [self] {
        self->send_exit(self->state.lim, caf::exit_reason::user_shutdown);
      });
    else
      self->send_exit(st.lim, caf::exit_reason::user_shutdown);
    return;
  }
  if (st.shutdown)
    self->quit(*st.shutdown);
  else
    restart(self);
}

void stop_everything(node_pointer self, const std::string& reason) {
  auto& st = self->state;
  forget_failed(self);
  for (auto& e : st.servers)
    if (e.state != "removing")
      stop_server(self, e, reason);
  // Sessions whose server is already gone (or never started) are ended too.
  for (auto& [session, server] : st.sessions)
    if (find_server(self, server) == nullptr)
      self->send(session, atom::end_v, reason);
  continue_stopping(self);
}

void restart(node_pointer self) {
  auto& st = self->state;
  log::node().info("starting again from the restored configuration");
  start_lim(self);
  std::vector<service::account> accounts = st.settings.config.accounts;
  self->send(st.authenticator, atom::accounts_v, std::move(accounts));
  start_servers(self);
  answer_starting(self);
}

node_actor::behavior_type node(node_pointer self, node_settings settings) {
  auto& st = self->state;
  st.settings = std::move(settings);
  st.clock = std::make_shared<actor_clock_source>(self->system().clock());
  st.ids = std::make_shared<service::id_source>(st.settings.lim);
  st.monitors = std::make_shared<service::monitor_budget>(st.settings.max_monitors);
  st.authenticator = spawn_authenticator(self->system(), st.settings.config.accounts, st.clock);
  self->link_to(st.authenticator);  // it ends with the node
  if (!st.settings.config.system.empty()) {
    std::string problem;
    st.layout = admin::system_layout::from_json(st.settings.config.system, problem);  // checked by main
  }
  start_cluster(self);
  start_lim(self);
  start_servers(self);
  self->delayed_send(self, limits_log_interval, atom::limits_v);
  for (auto& c : st.settings.config.servers)
    if (c.auth == "mandatory" && st.settings.config.accounts.empty())
      log::node().warn("the CSTA server on port {} requires application sessions, and no account "
                       "exists yet (csta_authentication -i)", c.port);
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    auto s = std::find_if(st.sessions.begin(), st.sessions.end(),
                          [&](const auto& x) { return x.first.address() == dm.source; });
    if (s != st.sessions.end()) {
      st.sessions.erase(s);
      for (auto i = st.session_ids.begin(); i != st.session_ids.end();)
        i = i->second.address() == dm.source ? st.session_ids.erase(i) : std::next(i);
      return;
    }
    if (st.lim_alive && st.lim.address() == dm.source) {
      st.lim_alive = false;
      if (!st.shutdown && !st.restoring)
        log::node().error("LIM {} ended: {}", st.settings.lim, self->system().render(dm.reason));
      continue_stopping(self);
      return;
    }
    auto e = std::find_if(st.servers.begin(), st.servers.end(),
                          [&](const server_entry& x) { return x.listener.address() == dm.source; });
    if (e == st.servers.end())
      return;
    if (e->state == "starting") {
      server_resolved(self, e->id, std::nullopt, cannot_listen(self, e->id));
      return;
    }
    if (e->state != "removing") {
      e->state = "failed: stopped";
      return;
    }
    auto removed = std::move(e->removed);
    auto port = e->bound_port;
    st.servers.erase(e);
    for (auto& rp : removed)
      rp.deliver(admin_reply{{}, "CSTA server on port " + std::to_string(port) + " removed"});
    continue_stopping(self);
  });
  self->set_exit_handler([self](const caf::exit_msg& msg) {
    auto& st = self->state;
    if (st.shutdown)
      return;
    log::node().info("shutting down: {} server(s), {} session(s)", st.servers.size(), st.sessions.size());
    st.shutdown = msg.reason;
    if (st.restoring) {
      st.restoring->deliver(admin_reply{"the server is shutting down", {}});
      st.restoring.reset();
    }
    // As csta -e does for one server: sessions that started an application session are told
    // (ApplicationSessionTerminated), connections close, listeners end after the grace time.
    stop_everything(self, "the CSTA server is shutting down");
  });
  return {
      [self](atom::start) -> caf::typed_response_promise<std::vector<transport::listener_status>> {
        auto rp = self->make_response_promise<std::vector<transport::listener_status>>();
        self->state.starting.push_back(rp);
        answer_starting(self);
        return rp;
      },
      [self](atom::status) -> caf::typed_response_promise<node_status> {
        auto rp = self->make_response_promise<node_status>();
        collect_status(self, [rp](node_status status) mutable { rp.deliver(std::move(status)); });
        return rp;
      },
      [self](atom::named, session_actor& session, std::string& id) {
        self->state.session_ids.insert_or_assign(std::move(id), std::move(session));
      },
      [self](atom::adopt, std::string& id, std::string& user,
             session_actor& taker) -> caf::result<service::session_handover> {
        return take_over(self, id, user, taker);
      },
      [self](atom::limits) {
        collect_status(self, [self](node_status status) { log_limits_hit(self, status); });
        self->delayed_send(self, limits_log_interval, atom::limits_v);
      },
      [self](atom::lim, int id) -> caf::result<lim_actor> {
        auto& st = self->state;
        if (id != st.settings.lim || !st.lim_alive)
          return caf::make_error(caf::sec::invalid_argument, "no LIM " + std::to_string(id));
        return st.lim;
      },
      [self](atom::join, session_actor session, int server) {
        self->monitor(session);
        // A session whose server is going away meanwhile is ended at once.
        auto e = find_server(self, server);
        if (e == nullptr || e->state == "removing")
          self->send(session, atom::end_v, std::string{"CSTA server removed"});
        tell_trace_selection(self, session);
        self->state.sessions.emplace_back(std::move(session), server);
      },
      [self](atom::retired, const service::session_stats& s) { self->state.retired += s; },
      [self](atom::trace, trace_selection& s) { return select_trace(self, std::move(s)); },
      [self](atom::changed, int) {
        auto& st = self->state;
        if (!st.settings.store || st.flush_due)
          return;
        st.flush_due = true;
        self->delayed_send(self, flush_delay, atom::flush_v);
      },
      [self](atom::flush) {
        self->state.flush_due = false;
        collect_settings(self, [] {});
      },
      [self](atom::srv_add, admin::server_config& c) { return initiate_server(self, std::move(c)); },
      [self](atom::srv_remove, int lim, std::uint16_t port) { return end_server(self, lim, port); },
      [self](atom::report, bool devices) -> caf::typed_response_promise<admin::system_report> {
        auto rp = self->make_response_promise<admin::system_report>();
        describe_lim(self, devices, [self, rp](admin::system_report r) mutable { add_other_lims(self, std::move(r), rp); });
        return rp;
      },
      [self](atom::describe, bool devices) -> caf::typed_response_promise<admin::system_report> {
        auto rp = self->make_response_promise<admin::system_report>();
        describe_lim(self, devices, [rp](admin::system_report r) mutable { rp.deliver(std::move(r)); });
        return rp;
      },
      [self](atom::lim_state, int lim, bool up) {
        auto& st = self->state;
        if (st.far_up[lim] == up)
          return;
        st.far_up[lim] = up;
        if (st.lim_alive)
          self->send(st.lim, atom::lim_state_v, lim, up);
        for (auto& [session, server] : st.sessions)
          self->send(session, atom::lim_state_v, lim, up);
        if (up)  // the LIM that joins gets this configuration; the later revision wins
          for (auto& [far, link] : st.links)
            if (far == lim)
              self->send(link, atom::config_v, st.settings.lim, admin::to_json(st.settings.config));
      },
      [self](atom::config, int from, const std::string& json) { adopt_configuration(self, from, json); },
      [self](atom::reload) { reload(self); },
      [self](atom::acct_set, service::account& a, bool create) { return set_account(self, std::move(a), create); },
      [self](atom::acct_rm, const std::string& user) { return remove_account(self, user); },
      [self](atom::accounts) { return auth_report_of(self->state.settings.config); },
      [self](atom::backup) -> reply_promise {
        auto rp = self->make_response_promise<admin_reply>();
        collect_settings(self, [self, rp]() mutable {
          rp.deliver(admin_reply{{}, admin::to_json(self->state.settings.config)});
        });
        return rp;
      },
      [self](atom::restore, const std::string& json) { return restore_configuration(self, json); },
  };
}

}  // namespace node_impl

node_actor spawn_node(caf::actor_system& sys, node_settings settings) {
  return sys.spawn(node_impl::node, std::move(settings));
}

void stop_node(caf::actor_system& sys, const node_actor& node, std::chrono::milliseconds patience) {
  caf::scoped_actor self{sys};
  self->monitor(node);
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {}, caf::after(patience) >> [] {});
}

}  // namespace cstad
