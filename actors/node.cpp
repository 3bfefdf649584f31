// The node actor: one per process. It starts the LIM and the listeners, makes the session of
// every new connection (the listeners' session factory), keeps the registry of sessions,
// answers status with the counters of all of them, and shuts everything down in order:
// listeners and their connections first, then the LIM.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/spawn.hpp"
#include "common/fan_out.hpp"
#include "common/log.hpp"

namespace cstad {
namespace {

// How long a status request waits for each part of the node.
constexpr auto status_timeout = std::chrono::milliseconds(2000);

struct listener_entry {
  transport::listener_settings settings;
  listener_actor handle;
};

struct node_state {
  static inline const char* name = "cstad.node";
  std::shared_ptr<const sim::clock> clock;
  std::shared_ptr<const lim_table> lims;
  std::vector<listener_entry> listeners;
  std::vector<session_actor> sessions;  // open now
  service::session_stats retired;       // what ended sessions did
  std::optional<caf::error> stopping;   // the exit reason, once shutdown began
  bool lims_stopped = false;
  std::size_t lims_alive = 0;
};

using node_pointer = node_actor::stateful_pointer<node_state>;

bool remove(std::vector<session_actor>& v, const caf::actor_addr& who) {
  auto i = std::find_if(v.begin(), v.end(), [&](const session_actor& s) { return s.address() == who; });
  if (i == v.end())
    return false;
  v.erase(i);
  return true;
}

// Shutdown, second step: when every listener (with its connections) is gone, end the LIMs;
// when they are gone too, the node ends.
void continue_shutdown(node_pointer self) {
  auto& st = self->state;
  if (!st.stopping || !st.listeners.empty())
    return;
  if (!st.lims_stopped) {
    st.lims_stopped = true;
    for (auto& [id, lim] : *st.lims)
      self->send_exit(lim, *st.stopping);
  }
  if (st.lims_alive == 0)
    self->quit(*st.stopping);
}

session_factory make_session_factory(node_pointer self, service::session_context context) {
  session_environment env{std::move(context), self->state.lims, self->state.clock,
                          caf::actor_cast<node_actor>(self)};
  auto* sys = &self->system();
  return [sys, env](const carrier_actor& carrier, const std::string& peer) -> session_inbox_actor {
    return spawn_session(*sys, carrier, peer, env);
  };
}

node_actor::behavior_type node(node_pointer self, node_settings settings) {
  auto& st = self->state;
  st.clock = std::make_shared<actor_clock_source>(self->system().clock());
  auto lim_id = settings.lim.id;
  auto dir = std::make_shared<const service::directory>(
      service::directory::from_plan(settings.lim.plan, lim_id));
  auto lim = spawn_lim(self->system(), std::move(settings.lim), st.clock);
  self->monitor(lim);
  st.lims = std::make_shared<const lim_table>(lim_table{{lim_id, lim}});
  st.lims_alive = st.lims->size();
  service::session_context context{dir, std::make_shared<const service::session_policy>(settings.sessions),
                                   std::make_shared<service::id_source>(lim_id)};
  auto factory = make_session_factory(self, std::move(context));
  for (auto& l : settings.listeners) {
    auto handle = transport::spawn_listener(self->system(), l, factory);
    self->monitor(handle);
    st.listeners.push_back({l, handle});
  }
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    if (remove(st.sessions, dm.source))
      return;
    auto& l = st.listeners;
    l.erase(std::remove_if(l.begin(), l.end(),
                           [&](const listener_entry& e) { return e.handle.address() == dm.source; }),
            l.end());
    for (auto& [id, lim] : *st.lims)
      if (lim.address() == dm.source) {
        --st.lims_alive;
        if (!st.stopping)
          log::node().error("LIM {} ended: {}", id, self->system().render(dm.reason));
      }
    continue_shutdown(self);
  });
  self->set_exit_handler([self](const caf::exit_msg& msg) {
    auto& st = self->state;
    if (st.stopping)
      return;
    log::node().info("shutting down: {} listener(s), {} session(s)", st.listeners.size(),
                     st.sessions.size());
    st.stopping = msg.reason;
    for (auto& l : st.listeners)
      self->send_exit(l.handle, msg.reason);
    continue_shutdown(self);
  });
  return {
      [self](atom::start) -> caf::typed_response_promise<std::vector<transport::listener_status>> {
        auto rp = self->make_response_promise<std::vector<transport::listener_status>>();
        auto& st = self->state;
        auto answers = std::make_shared<std::vector<transport::listener_status>>(st.listeners.size());
        auto waiting = std::make_shared<std::size_t>(st.listeners.size());
        if (*waiting == 0)
          rp.deliver(*answers);
        for (std::size_t i = 0; i < st.listeners.size(); ++i) {
          auto& l = st.listeners[i];
          (*answers)[i] = {l.settings.role, l.settings.host, 0, 0, {}};
          self->request(l.handle, std::chrono::seconds(10), atom::port_v)
              .then(
                  [rp, answers, waiting, i](std::uint16_t port) mutable {
                    (*answers)[i].port = port;
                    if (--*waiting == 0)
                      rp.deliver(*answers);
                  },
                  [rp, answers, i](caf::error&) mutable {
                    auto& a = (*answers)[i];
                    rp.deliver(caf::make_error(caf::sec::cannot_open_port,
                                               "cannot listen on " + a.host));
                  });
        }
        return rp;
      },
      [self](atom::status) -> caf::typed_response_promise<node_status> {
        auto rp = self->make_response_promise<node_status>();
        auto& st = self->state;
        auto out = std::make_shared<node_status>();
        out->sessions = st.retired;
        out->sessions_open = st.sessions.size();
        std::vector<listener_actor> listeners;
        for (auto& l : st.listeners)
          listeners.push_back(l.handle);
        std::vector<lim_actor> lims;
        for (auto& [id, lim] : *st.lims)
          lims.push_back(lim);
        // Sessions, then listeners, then LIMs; each step adds its part.
        auto sessions = st.sessions;
        fan_out<service::session_stats>(
            self, sessions, status_timeout,
            [self, rp, out, listeners, lims](std::vector<service::session_stats> open) mutable {
              for (auto& s : open)
                out->sessions += s;
              fan_out<transport::listener_status>(
                  self, listeners, status_timeout,
                  [self, rp, out, lims](std::vector<transport::listener_status> ls) mutable {
                    out->listeners = std::move(ls);
                    fan_out<lim_status>(
                        self, lims, status_timeout,
                        [rp, out](std::vector<lim_status> ss) mutable {
                          out->lims = std::move(ss);
                          rp.deliver(*out);
                        },
                        atom::status_v);
                  },
                  atom::status_v);
            },
            atom::status_v);
        return rp;
      },
      [self](atom::lim, int id) -> caf::result<lim_actor> {
        auto i = self->state.lims->find(id);
        if (i == self->state.lims->end())
          return caf::make_error(caf::sec::invalid_argument, "no LIM " + std::to_string(id));
        return i->second;
      },
      [self](atom::join, session_actor session) {
        self->monitor(session);
        self->state.sessions.push_back(std::move(session));
      },
      [self](atom::retired, const service::session_stats& s) { self->state.retired += s; },
  };
}

}  // namespace

node_actor spawn_node(caf::actor_system& sys, node_settings settings) {
  return sys.spawn(node, std::move(settings));
}

void stop_node(caf::actor_system& sys, const node_actor& node, std::chrono::milliseconds patience) {
  caf::scoped_actor self{sys};
  self->monitor(node);
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {}, caf::after(patience) >> [] {});
}

}  // namespace cstad
