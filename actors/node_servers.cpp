// The node's CSTA servers: a listener each, made when the configuration asks for one, its
// port resolved (an operator's csta -i waits for it), its TLS certificate found, stopped and
// forgotten. Part of the node actor (node.cpp), on its state.

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/error_text.hpp"
#include "actors/node_state.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"

namespace cstad::node_impl {

// -- Servers --------------------------------------------------------------------------------

session_factory make_session_factory(node_pointer self, const server_entry& e) {
  auto& st = self->state;
  auto& d = st.settings.config.durations;
  // Field by field: a positional list went wrong once already, when fields came in between.
  service::session_policy p;
  p.required = e.config.auth == "mandatory";
  p.default_duration = d.default_duration;
  p.min_duration = d.min_duration;
  p.max_duration = d.max_duration;
  p.status_on_connect = e.config.status_on_connect;
  p.max_monitors = st.settings.max_monitors_per_session;
  p.max_outstanding = st.settings.max_outstanding;
  p.cleanup_delay = st.settings.session_cleanup_delay;
  auto policy = std::make_shared<const service::session_policy>(p);
  session_environment env{{st.dir, policy, st.ids, st.monitors, st.settings.login_timeout}, st.lims, st.clock, caf::actor_cast<node_actor>(self),
                          st.authenticator, e.id, st.settings.lim};
  auto* sys = &self->system();
  return [sys, env](const carrier_actor& carrier, const std::string& peer) -> session_inbox_actor {
    return spawn_session(*sys, carrier, peer, env);
  };
}


void server_resolved(node_pointer self, int id, std::optional<std::uint16_t> port, const std::string& why) {
  auto e = find_server(self, id);
  if (e == nullptr)
    return;
  if (e->state != "starting" && e->state != "removing")
    return;  // resolved already (its end came before the answer to the port request)
  if (e->state == "removing") {
    // Stopped (shutdown, restore, csta -e) while it was starting: the listener's end, not
    // this answer, takes it out of the list.
    if (e->added) {
      e->added->deliver(admin_reply{"the server is stopping", {}});
      e->added.reset();
    }
    return;
  }
  if (port) {
    e->bound_port = *port;
    e->state = "running";
  } else {
    e->state = "failed: " + why;
    log::node().error("CSTA server {} on {}:{}: {}", e->config.type, e->config.host, e->config.port, why);
  }
  if (e->added) {
    auto rp = *e->added;
    e->added.reset();
    if (!port) {
      rp.deliver(admin_reply{why, {}});
      auto& v = self->state.servers;
      v.erase(std::remove_if(v.begin(), v.end(), [id](const server_entry& x) { return x.id == id; }), v.end());
      answer_starting(self);
      continue_stopping(self);
      return;
    }
    auto c = self->state.settings.config;
    c.servers.push_back(e->config);
    if (auto error = keep(self, c); !error.empty()) {
      rp.deliver(admin_reply{error, {}});
      self->send_exit(e->listener, caf::exit_reason::user_shutdown);
      e->state = "removing";
      return;
    }
    self->state.settings.config = std::move(c);
    log::node().info("CSTA server {} initiated on {}:{}", e->config.type, e->config.host, *port);
    rp.deliver(admin_reply{{}, "CSTA server " + e->config.type + " initiated on LIM " +
                                   std::to_string(e->config.lim) + ", " + e->config.host + ":" +
                                   std::to_string(*port)});
  }
  answer_starting(self);
}

// Where a TLS server's certificate comes from: the files the command line gave, else what
// mxone_certificate installed. Nothing, and why, when there is no usable certificate.
std::shared_ptr<transport::tls_context_source> tls_source_of(node_pointer self, const admin::server_config& c,
                                                             std::string& why) {
  auto& store = self->state.settings.store;
  transport::tls_files files{c.tls_certificate, c.tls_key, c.tls_client_ca};
  if (files.certificate.empty()) {
    if (!store) {
      why = "no certificate is installed for TLS";
      return nullptr;
    }
    files = {store->tls_certificate_file(), store->tls_key_file(),
             c.tls_client_ca.empty() ? store->tls_client_ca_file() : c.tls_client_ca};
    if (::access(files.certificate.c_str(), F_OK) != 0) {
      why = "no certificate is installed for TLS (mxone_certificate --create-self-signed --cn=NAME makes one)";
      return nullptr;
    }
  }
  auto source = std::make_shared<transport::tls_context_source>(files);
  std::string error;
  if (!source->current(error)) {
    why = "the TLS certificate cannot be used: " + error;
    return nullptr;
  }
  return source;
}

std::string cannot_listen(node_pointer self, int id) {
  auto e = find_server(self, id);
  auto where = e ? e->config.host + ":" + std::to_string(e->config.port) : std::string{"its port"};
  return "cannot listen on " + where + " (in use, or not an address of this host)";
}

// Starts the listener of a server; server_resolved says how it went (the answer to its port,
// or its end, whichever comes first: a listener that cannot bind ends without answering).
void start_server(node_pointer self, server_entry& e) {
  auto& c = e.config;
  auto type = c.type == "tr87" ? transport::server_type::tr87 : transport::server_type::xml;
  transport::listener_settings ls{c.host, c.port, {type, c.tls}, self->state.settings.limits,
                                  static_cast<std::size_t>(c.max_sessions), self->state.settings.max_per_address,
                                  nullptr};
  if (c.tls) {
    std::string why;
    ls.tls = tls_source_of(self, c, why);
    if (!ls.tls) {
      // No listener: it would only refuse every client. Its starter sees the state.
      e.state = "failed: " + why;
      log::node().error("CSTA server {} on {}:{}: {}", c.type, c.host, c.port, why);
      return;
    }
  }
  e.listener = transport::spawn_listener(self->system(), ls, make_session_factory(self, e));
  self->monitor(e.listener);
  auto id = e.id;
  self->request(e.listener, std::chrono::seconds(10), atom::port_v)
      .then([self, id](std::uint16_t port) { server_resolved(self, id, port, {}); },
            [self, id](const caf::error&) { server_resolved(self, id, std::nullopt, cannot_listen(self, id)); });
}

server_entry& add_server(node_pointer self, const admin::server_config& c) {
  auto& st = self->state;
  st.servers.push_back(server_entry{st.next_server++, c, {}, 0, "starting", false, {}, {}});
  start_server(self, st.servers.back());
  return st.servers.back();
}

void start_servers(node_pointer self) {
  bool first = true;
  auto& essential = self->state.settings.essential_ports;
  for (auto& c : self->state.settings.config.servers)
    if (c.lim == self->state.settings.lim) {
      add_server(self, c).essential =
          first || std::find(essential.begin(), essential.end(), c.port) != essential.end();
      first = false;
    }
}

// The answer to atom::start (and to a restore), once no server is starting any more. Only
// the first server is essential (the one --host/--port choose, which a user of the first
// command waits for); another configured server that cannot listen is logged and shown as
// failed by csta -p, and stays configured for the next start.
void answer_starting(node_pointer self) {
  auto& st = self->state;
  if (std::any_of(st.servers.begin(), st.servers.end(), [](const server_entry& e) { return e.state == "starting"; }) ||
      st.cluster_state == "starting")
    return;
  std::string fatal;
  if (st.cluster_state.rfind("failed", 0) == 0)
    fatal = st.cluster_state.substr(8);
  std::string others;
  std::vector<transport::listener_status> out;
  for (auto& e : st.servers) {
    if (e.state.rfind("failed", 0) == 0)
      (e.essential ? fatal : others) += ((e.essential ? fatal : others).empty() ? "" : "; ") + e.state.substr(8);
    else
      out.push_back({{e.config.type == "tr87" ? transport::server_type::tr87 : transport::server_type::xml, e.config.tls},
                     e.config.host, e.bound_port, 0, {}});
  }
  for (auto& rp : st.starting) {
    if (fatal.empty())
      rp.deliver(out);
    else
      rp.deliver(caf::make_error(caf::sec::cannot_open_port, fatal));
  }
  st.starting.clear();
  if (st.restoring) {
    auto failures = fatal + (fatal.empty() || others.empty() ? "" : "; ") + others;
    st.restoring->deliver(failures.empty()
                              ? admin_reply{{}, "configuration restored"}
                              : admin_reply{{}, "configuration restored, but not every server listens: " + failures});
    st.restoring.reset();
  }
}

// Stops a server: no new connections, its clients' sessions ended (those with an application
// session are told why), the listener ends once they are gone (or after the grace time).
void stop_server(node_pointer self, server_entry& e, const std::string& reason) {
  e.state = "removing";
  self->send(e.listener, atom::drain_v, caf::timespan{removal_grace});
  for (auto& [session, server] : self->state.sessions)
    if (server == e.id)
      self->send(session, atom::end_v, reason);
}

// A server whose listener never started (or stopped by itself) has nothing left to stop: it is
// forgotten at once.
void forget_failed(node_pointer self) {
  auto& v = self->state.servers;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [](const server_entry& e) { return e.state.rfind("failed", 0) == 0; }),
          v.end());
}

}  // namespace cstad::node_impl
