// What the node is doing, as status, csta -p, the limits' log lines and session takeovers
// see it: gathered from its sessions, listeners, LIM and the other LIMs.

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/limit_rows.hpp"
#include "actors/node_state.hpp"
#include "common/fan_out.hpp"
#include "common/log.hpp"

namespace cstad::node_impl {

// What the node's parts have done: its sessions (open and ended), listeners and LIM.
void collect_status(node_pointer self, std::function<void(node_status)> done) {
  auto& st = self->state;
  auto out = std::make_shared<node_status>();
  out->sessions = st.retired;
  out->sessions_open = st.sessions.size();
  std::vector<listener_actor> listeners;
  for (auto& e : st.servers)
    listeners.push_back(e.listener);  // none for a TLS server without a usable certificate
  std::vector<lim_actor> lims;
  if (st.lim_alive)
    lims.push_back(st.lim);
  std::vector<session_actor> sessions;
  for (auto& s : st.sessions)
    sessions.push_back(s.first);
  // Sessions, then listeners, then LIMs; each step adds its part.
  fan_out<service::session_stats>(
      self, sessions, status_timeout,
      [self, done, out, listeners, lims](std::vector<service::session_stats> open) mutable {
        for (auto& s : open)
          out->sessions += s;
        fan_out<transport::listener_status>(
            self, listeners, status_timeout,
            [self, done, out, lims](std::vector<transport::listener_status> ls) mutable {
              out->listeners = std::move(ls);
              fan_out<lim_status>(
                  self, lims, status_timeout,
                  [done, out](std::vector<lim_status> ss) mutable {
                    out->lims = std::move(ss);
                    done(std::move(*out));
                  },
                  atom::status_v);
            },
            atom::status_v);
      },
      atom::status_v);
}

// Session recovery: the session with this id, if it belongs to the user, hands its monitors to
// the taker (it has its LIMs move them first) and ends; the answer goes straight to the taker.
caf::result<service::session_handover> take_over(node_pointer self, const std::string& id, std::string& user,
                                                 const session_actor& taker) {
  auto& st = self->state;
  auto i = st.session_ids.find(id);
  if (i == st.session_ids.end() || i->second == taker)
    return caf::make_error(caf::sec::invalid_argument, "no session to take over");
  return self->delegate(i->second, atom::adopt_v, std::move(user), caf::actor_cast<caf::strong_actor_ptr>(taker));
}

// Once per interval: the limits hit since the last time, one line each.
void log_limits_hit(node_pointer self, const node_status& status) {
  auto& st = self->state;
  auto rows = limit_rows(st.settings, status);
  for (auto& r : limits_hit_since(st.limits_logged, rows))
    log::node().warn("limit hit {} time(s) in the last {} s: {} ({})", r.hits,
                     std::chrono::duration_cast<std::chrono::seconds>(limits_log_interval).count(), r.name,
                     r.setting);
  st.limits_logged = std::move(rows);
}

admin::system_report report_base(node_pointer self) {
  admin::system_report r;
  r.lim = self->state.settings.lim;
  for (auto& e : self->state.servers)
    r.servers.push_back({e.config, e.state, e.bound_port, 0});
  return r;
}

// This LIM's part of csta -p: its servers, sessions and (when asked) monitored devices.
void describe_lim(node_pointer self, bool devices, std::function<void(admin::system_report)> done) {
  auto& st = self->state;
  auto out = std::make_shared<admin::system_report>(report_base(self));
  std::vector<listener_actor> listeners;
  for (auto& e : st.servers)
    listeners.push_back(e.listener);  // none for a TLS server without a usable certificate
  std::vector<session_actor> sessions;
  std::vector<std::uint16_t> ports;
  for (auto& [session, server] : st.sessions) {
    sessions.push_back(session);
    auto e = find_server(self, server);
    ports.push_back(e ? e->bound_port : 0);
  }
  auto lim = st.lim;
  bool lim_alive = st.lim_alive;
  auto finish = [self, out, done]() mutable {
    collect_status(self, [self, out, done](node_status status) mutable {
      out->limits = limit_rows(self->state.settings, status);
      done(std::move(*out));
    });
  };
  fan_out_indexed<transport::listener_status>(
      self, listeners, status_timeout,
      [=](std::vector<std::optional<transport::listener_status>> ls) mutable {
        for (std::size_t i = 0; i < ls.size() && i < out->servers.size(); ++i)
          if (ls[i])
            out->servers[i].connections = ls[i]->open;
        fan_out_indexed<admin::session_report>(
            self, sessions, status_timeout,
            [=](std::vector<std::optional<admin::session_report>> rs) mutable {
              for (std::size_t i = 0; i < rs.size(); ++i)
                if (rs[i]) {
                  rs[i]->server_port = ports[i];
                  out->sessions.push_back(std::move(*rs[i]));
                }
              if (!devices || !lim_alive) {
                finish();
                return;
              }
              self->request(lim, status_timeout, atom::devices_v)
                  .then(
                      [=](std::vector<admin::device_report>& ds) mutable {
                        out->devices = std::move(ds);
                        finish();
                      },
                      [=](const caf::error&) mutable { finish(); });
            },
            atom::describe_v);
      },
      atom::status_v);
}

// The other LIMs of the system, each as it describes itself (or down), after this LIM's part.
void add_other_lims(node_pointer self, admin::system_report r, caf::typed_response_promise<admin::system_report> rp) {
  auto& st = self->state;
  std::vector<lim_link_actor> up;
  std::vector<int> up_ids;
  for (auto& [lim, link] : st.links) {
    auto l = st.layout->find(lim);
    admin::lim_report o{lim, l->host + ":" + std::to_string(l->cluster_port), st.far_up[lim] ? "up" : "down", {}, {}};
    r.others.push_back(std::move(o));
    if (st.far_up[lim]) {
      up.push_back(link);
      up_ids.push_back(lim);
    }
  }
  auto out = std::make_shared<admin::system_report>(std::move(r));
  fan_out_indexed<admin::system_report>(
      self, up, status_timeout,
      [out, up_ids, rp](std::vector<std::optional<admin::system_report>> parts) mutable {
        for (std::size_t i = 0; i < parts.size(); ++i)
          for (auto& o : out->others)
            if (o.lim == up_ids[i]) {
              if (parts[i]) {
                o.servers = std::move(parts[i]->servers);
                o.sessions = std::move(parts[i]->sessions);
              } else {
                o.state = "not answering";
              }
            }
        rp.deliver(std::move(*out));
      },
      atom::report_v, false);
}

}  // namespace cstad::node_impl
