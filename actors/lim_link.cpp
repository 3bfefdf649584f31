// The link to another LIM of the system. Sessions and this process's LIM talk to it as to a LIM
// (lim_actor): while the far LIM is up it hands everything on to that LIM's actor (requests by
// delegation, so the answer goes straight back); while it is down, requests fail at once and
// call setups are answered as failed, so no caller waits on a LIM that is not there.
//
// It finds the far LIM through CAF's middleman: an asynchronous connect to its cluster port
// (never the blocking remote_actor, which hangs on a peer that accepts and never answers), then
// a hello to the published peer actor, which names the LIM and hands over its LIM actor. It
// monitors the peer; CAF's heartbeat and connection timeout (set in config.cpp) turn a dead or
// hung LIM into a down message, after which it tries again, every second at most, for as long
// as it lives: a LIM that starts late or comes back joins without anyone restarting.

#include <algorithm>
#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/error_text.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"

namespace cstad {
namespace {

// How long one connection attempt (TCP, BASP handshake, hello) may take.
constexpr auto attempt_timeout = std::chrono::milliseconds(1500);
// Attempts start quickly (a LIM restarting is back within a second) and slow down to this.
constexpr auto first_retry = std::chrono::milliseconds(100);
constexpr auto max_retry = std::chrono::milliseconds(1000);

struct link_state {
  static inline const char* name = "cstad.lim_link";
  link_settings cfg;
  peer_actor peer;  // the far LIM's peer actor and LIM actor while it is up
  lim_actor far;
  bool up = false;
  bool ever_up = false;
  std::chrono::milliseconds retry = first_retry;
};

using link_pointer = lim_link_actor::stateful_pointer<link_state>;

caf::error far_lim_down(link_pointer self) {
  return caf::make_error(caf::sec::request_receiver_down,
                         "LIM " + std::to_string(self->state.cfg.far_lim) + " is not reachable");
}

void try_later(link_pointer self) {
  auto& st = self->state;
  self->delayed_send(self, st.retry, atom::connect_v);
  st.retry = std::min(st.retry * 2, max_retry);
}

void joined(link_pointer self, peer_actor peer, lim_actor far) {
  auto& st = self->state;
  st.peer = std::move(peer);
  st.far = std::move(far);
  st.up = true;
  st.retry = first_retry;
  self->monitor(st.peer);
  self->monitor(st.far);  // a restore on the far LIM replaces its LIM actor, not its process
  log::node().info("LIM {} {} at {}:{}", st.cfg.far_lim, st.ever_up ? "is back" : "joined", st.cfg.host,
                   st.cfg.cluster_port);
  st.ever_up = true;
  self->send(st.cfg.node, atom::lim_state_v, st.cfg.far_lim, true);
}

void connect(link_pointer self) {
  auto& st = self->state;
  if (st.up)
    return;
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, attempt_timeout, caf::connect_atom_v, st.cfg.host, st.cfg.cluster_port)
      .then(
          [self](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>& ifs) {
            auto& st = self->state;
            if (!ptr || !self->system().assignable<peer_actor>(ifs)) {
              log::node().warn("{}:{} is not a LIM of this system (another program, or another cstad "
                               "version); trying again",
                               st.cfg.host, st.cfg.cluster_port);
              try_later(self);
              return;
            }
            auto peer = caf::actor_cast<peer_actor>(std::move(ptr));
            self->request(peer, attempt_timeout, atom::hello_v, st.cfg.own_lim, st.cfg.far_lim)
                .then(
                    [self, peer](lim_actor far) {
                      if (!far) {
                        try_later(self);
                        return;
                      }
                      joined(self, peer, std::move(far));
                    },
                    [self](const caf::error& err) {
                      auto& st = self->state;
                      log::node().error("{}:{} did not hand over LIM {}: {} (check the system file)",
                                        st.cfg.host, st.cfg.cluster_port, st.cfg.far_lim,
                                        render_reason(self->system(), err));
                      try_later(self);
                    });
          },
          [self](const caf::error& err) {
            log::node().debug("LIM {} not reachable yet: {}", self->state.cfg.far_lim,
                              render_reason(self->system(), err));
            try_later(self);
          });
}

// Signalling the far LIM cannot take while it is down: a call being set up there fails (the
// caller hears it at once); everything else concerns calls the LIM clears itself when told
// the far LIM is gone.
void bounce(link_pointer self, const std::vector<sim::inter_lim_signal>& signals) {
  std::vector<sim::inter_lim_signal> answers;
  for (auto& s : signals)
    if (s.what == sim::inter_lim_signal::kind::setup) {
      sim::inter_lim_signal failed;
      failed.what = sim::inter_lim_signal::kind::failed;
      failed.call = s.call;
      failed.from = s.to;
      failed.to = s.from;
      failed.cause = protocol::event_cause::networkOutOfOrder;
      answers.push_back(std::move(failed));
    }
  if (!answers.empty())
    self->send(self->state.cfg.lim, std::move(answers));
}

lim_link_actor::behavior_type lim_link(link_pointer self, link_settings cfg) {
  self->state.cfg = std::move(cfg);
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    if (!st.up || (dm.source != st.peer.address() && dm.source != st.far.address()))
      return;
    if (dm.reason == caf::exit_reason::user_shutdown)
      log::node().warn("LIM {} stopped", st.cfg.far_lim);
    else
      log::node().error("LIM {} is down: {}", st.cfg.far_lim, render_reason(self->system(), dm.reason));
    st.up = false;
    st.peer = nullptr;
    st.far = nullptr;
    self->send(st.cfg.node, atom::lim_state_v, st.cfg.far_lim, false);
    try_later(self);
  });
  connect(self);
  return {
      [self](atom::connect) { connect(self); },
      [self](sim::operation& op) -> caf::result<sim::outcome> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, std::move(op));
      },
      [self](atom::groups) -> caf::result<std::vector<admin::group_report>> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::groups_v);
      },
      [self](atom::rehome, session_actor& from, session_actor& to,
             std::vector<std::string>& cross_refs) -> caf::result<bool> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::rehome_v, std::move(from), std::move(to), std::move(cross_refs));
      },
      [self](atom::route, session_actor& session, sim::operation& op) -> caf::result<sim::outcome> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::route_v, std::move(session), std::move(op));
      },
      [self](atom::watch, session_actor& session, std::string& number, std::string& cross_ref,
             std::set<std::string>& suppressed, std::uint32_t slot) -> caf::result<bool> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::watch_v, std::move(session), std::move(number),
                              std::move(cross_ref), std::move(suppressed), slot);
      },
      [self](atom::watch, session_actor& session, sim::call_id call, std::string& cross_ref,
             std::set<std::string>& suppressed, std::uint32_t slot) -> caf::result<bool> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::watch_v, std::move(session), call, std::move(cross_ref),
                              std::move(suppressed), slot);
      },
      [self](atom::unwatch, session_actor& session, std::string& cross_ref) {
        if (self->state.up)
          self->send(self->state.far, atom::unwatch_v, std::move(session), std::move(cross_ref));
      },
      [self](atom::filter, session_actor& session, std::string& cross_ref, std::set<std::string>& suppressed) {
        if (self->state.up)
          self->send(self->state.far, atom::filter_v, std::move(session), std::move(cross_ref),
                     std::move(suppressed));
      },
      [](atom::tick, std::uint64_t) {},  // the far LIM keeps its own time
      [](atom::flush) {},                // and sends its own events
      [self](atom::stats) -> caf::result<sim::traffic_counters> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::stats_v);
      },
      [self](atom::status) -> caf::result<lim_status> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::status_v);
      },
      [self](atom::devices) -> caf::result<std::vector<admin::device_report>> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::devices_v);
      },
      [self](atom::settings) -> caf::result<std::vector<admin::feature_entry>> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.far, atom::settings_v);
      },
      [self](std::vector<sim::inter_lim_signal>& signals) {
        if (self->state.up)
          self->send(self->state.far, std::move(signals));
        else
          bounce(self, signals);
      },
      [self](atom::join, int lim, signal_sink_actor& sink) {
        if (lim == self->state.cfg.own_lim)
          self->state.cfg.lim = std::move(sink);  // this process's LIM was restarted
      },
      [](atom::lim_state, int, bool) {},
      [self](atom::report, bool devices) -> caf::result<admin::system_report> {
        if (!self->state.up)
          return far_lim_down(self);
        return self->delegate(self->state.peer, atom::report_v, devices);
      },
      [self](atom::config, int from, std::string& json) {
        if (self->state.up)
          self->send(self->state.peer, atom::config_v, from, std::move(json));
      },
  };
}

// The peer gate: what the LIM publishes for the others. Everything goes to the node, which
// knows the current LIM actor (a restore replaces it).
peer_actor::behavior_type peer_gate(peer_actor::pointer self, node_actor node) {
  self->link_to(node);  // ends with the node
  return {
      [self, node](atom::hello, int from, int wanted) {
        log::node().debug("LIM {} connects", from);
        return self->delegate(node, atom::lim_v, wanted);
      },
      [self, node](atom::report, bool devices) { return self->delegate(node, atom::describe_v, devices); },
      [self, node](atom::config, int from, std::string& json) {
        self->send(node, atom::config_v, from, std::move(json));
      },
  };
}

}  // namespace

lim_link_actor spawn_lim_link(caf::actor_system& sys, link_settings settings) {
  return sys.spawn(lim_link, std::move(settings));
}

peer_actor spawn_peer_gate(caf::actor_system& sys, node_actor node) {
  return sys.spawn(peer_gate, std::move(node));
}

}  // namespace cstad
