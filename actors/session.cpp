// The session actor: the plumbing around service::session_core. It feeds the core what arrives
// (requests from its carrier, outcomes and events from the exchange, its wake-ups) and carries
// out the effects the core returns. Everything a session decides is in the core.

#include <chrono>
#include <unordered_map>
#include <variant>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/actor_clock_source.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"
#include "service/routeing.hpp"
#include "transport/caf_logger_off.hpp"
#include "transport/wire_trace.hpp"

namespace cstad {
namespace {

// How long a request may wait for the exchange before the client is told it failed.
constexpr auto exchange_timeout = std::chrono::seconds(10);
// How long a log-on may wait for the authenticator (which holds back answers to an address that
// keeps failing, up to service::authenticator::max_delay).
constexpr auto authentication_timeout = std::chrono::seconds(60);
// How long taking over another session may take: its LIMs move the monitors first, each
// within exchange_timeout.
constexpr auto handover_timeout = std::chrono::seconds(30);

struct session_state {
  static inline const char* name = "cstad.session";
  std::unique_ptr<service::session_core> core;
  carrier_actor carrier;
  session_environment env;
  std::vector<service::effect_type> effects;  // reused: the core's effects being carried out
  message_batch notifications;  // this turn's, for the carrier in one message
  sim::time_point created{};
  std::uint64_t taken = 0;  // requests taken from the carrier (reported to it now and then)
  bool carrier_gone = false;  // the connection is lost; the session lives on, detached
  bool retired = false;
};

using session_pointer = session_actor::stateful_pointer<session_state>;

void perform(session_pointer self);

const lim_actor* find_lim(session_pointer self, int id) {
  auto i = self->state.env.lims->find(id);
  return i == self->state.env.lims->end() ? nullptr : &i->second;
}

// How long to wait for a LIM. Another process's (through its link) gets exchange_timeout
// (caf-0.17.md: a request to a hung peer is never failed otherwise). This process's own LIM
// cannot hang apart from the process, and its end fails the request at once; with no timer,
// each request saves the clock thread a schedule and a cancel (a wake-up each, on the path of
// every operation).
caf::duration exchange_wait(session_pointer self, int lim) {
  if (lim == self->state.env.home_lim)
    return caf::duration{caf::infinite};
  return caf::duration{exchange_timeout};
}

void run_operation(session_pointer self, service::effect::run_operation& e) {
  auto lim = find_lim(self, e.lim);
  if (lim == nullptr) {
    self->state.core->on_failure(e.id, "no LIM " + std::to_string(e.lim));
    return;
  }
  auto k = e.op.kind;
  bool routeing = k == sim::operation_kind::route_register || k == sim::operation_kind::route_register_cancel ||
                  k == sim::operation_kind::route_select || k == sim::operation_kind::route_end;
  // Normal priority, deliberately: the LIM must serve operations in order with the signals of
  // other LIMs (an operation overtaking a signal it depends on acts on a stale call).
  auto handle = routeing ? self->request(*lim, exchange_wait(self, e.lim), atom::route_v,
                                         caf::actor_cast<session_actor>(self), std::move(e.op))
                         : self->request(*lim, exchange_wait(self, e.lim), std::move(e.op));
  std::move(handle).then(
          [self, id = e.id](const sim::outcome& out) {
            self->state.core->on_outcome(id, out);
            perform(self);
          },
          [self, id = e.id](const caf::error& err) {
            self->state.core->on_failure(id, self->system().render(err));
            perform(self);
          });
}

void start_monitor(session_pointer self, service::effect::start_monitor& e) {
  auto lim = find_lim(self, e.lim);
  if (lim == nullptr) {
    self->state.core->on_failure(e.id, "no LIM " + std::to_string(e.lim));
    return;
  }
  auto me = caf::actor_cast<session_actor>(self);
  auto failed = [self, id = e.id](const caf::error& err) {
    self->state.core->on_failure(id, self->system().render(err));
    perform(self);
  };
  if (e.target.is_call()) {
    self->request(*lim, exchange_wait(self, e.lim), atom::watch_v, me, e.target.call, e.cross_ref,
                  std::move(e.suppressed), e.slot)
        .then(
            [self, id = e.id](bool ok) {
              self->state.core->on_monitor_started(id, ok);
              perform(self);
            },
            failed);
    return;
  }
  self->request(*lim, exchange_wait(self, e.lim), atom::watch_v, me, e.target.device, e.cross_ref,
                std::move(e.suppressed), e.slot)
      .then(
          [self, id = e.id](bool ok) {
            self->state.core->on_monitor_started(id, ok);
            perform(self);
          },
          failed);
}

// Stop and filter changes go to the LIM that holds the monitor.
template <class... Ts>
void to_monitor_holder(session_pointer self, const std::string& cross_ref, int lim, const Ts&... xs) {
  if (auto l = find_lim(self, lim))
    self->send(*l, xs..., caf::actor_cast<session_actor>(self), cross_ref);
}

void authenticate(session_pointer self, service::effect::authenticate& e) {
  auto& st = self->state;
  if (!st.env.authenticator) {  // no accounts anywhere: the authenticator's answer, here
    service::authenticator none;
    st.core->on_authenticated(e.id, none.check(e.offered, st.env.clock->now()), st.env.clock->now());
    return;
  }
  self->request(st.env.authenticator, authentication_timeout, atom::verify_v, std::move(e.offered))
      .then(
          [self, id = e.id](const service::verdict& v) {
            self->state.core->on_authenticated(id, v, self->state.env.clock->now());
            perform(self);
          },
          [self, id = e.id](const caf::error& err) {
            service::verdict v;
            v.reason = "the authenticator did not answer: " + self->system().render(err);
            self->state.core->on_authenticated(id, v, self->state.env.clock->now());
            perform(self);
          });
}

// The session ends: its counters go to the node (once).
void retire(session_pointer self) {
  if (self->state.retired)
    return;
  self->state.retired = true;
  if (self->state.env.node)
    self->send(self->state.env.node, atom::retired_v, self->state.core->stats());
  self->quit();
}

// Takes another session over (session recovery): the node finds it and moves its monitors.
void adopt(session_pointer self, service::effect::adopt& e) {
  auto& st = self->state;
  auto gone = [self, id = e.id] {
    self->state.core->on_adopted(id, std::nullopt, self->state.env.clock->now());
    perform(self);
  };
  if (!st.env.node) {
    gone();
    return;
  }
  self->request(st.env.node, handover_timeout, atom::adopt_v, std::move(e.session_id), std::move(e.user),
                caf::actor_cast<session_actor>(self))
      .then(
          [self, id = e.id](service::session_handover& h) {
            self->state.core->on_adopted(id, std::move(h), self->state.env.clock->now());
            perform(self);
          },
          [gone](const caf::error&) { gone(); });
}

// Another session of the same user takes this one over: each LIM moves the monitors it holds
// for this session to the taker (their events go there from its answer on); then the monitors
// moved and the messages held go to the taker, the others are released, and this session ends.
caf::result<service::session_handover> hand_over(session_pointer self, const std::string& user,
                                                 const session_actor& taker) {
  auto& st = self->state;
  if (!taker)
    return caf::make_error(caf::sec::invalid_argument, "no session to hand over to");
  if (auto why = st.core->begin_hand_over(user))
    return caf::make_error(caf::sec::invalid_argument, *why);
  auto rp = self->make_response_promise<service::session_handover>();
  // Every LIM, not only those with its monitors: a LIM also moves the session's routeing
  // registrations.
  auto by_lim = st.core->monitors_by_lim();
  if (st.env.lims)
    for (auto& [lim, actor] : *st.env.lims)
      by_lim[lim];
  auto moved = std::make_shared<std::vector<std::string>>();
  auto pending = std::make_shared<std::size_t>(by_lim.size() + 1);
  auto step = [self, rp, moved, pending]() mutable {
    if (--*pending > 0)
      return;
    rp.deliver(self->state.core->hand_over(*moved));
    perform(self);
  };
  auto me = caf::actor_cast<session_actor>(self);
  for (auto& [lim, cross_refs] : by_lim) {
    auto l = find_lim(self, lim);
    if (l == nullptr) {
      step();
      continue;
    }
    self->request(*l, exchange_wait(self, lim), atom::rehome_v, me, taker, cross_refs)
        .then(
            [step, moved, refs = cross_refs](bool) mutable {
              moved->insert(moved->end(), refs.begin(), refs.end());
              step();
            },
            [self, step, lim = lim](const caf::error& e) mutable {
              // Those monitors stay this session's at that LIM, and are released with it.
              log::session().warn("{}: LIM {} did not move monitors to the new session: {}",
                                  self->state.core->peer(), lim, self->system().render(e));
              step();
            });
  }
  step();
  return rp;
}

struct effect_runner {
  session_pointer self;

  // Detached (its connection lost), the core holds what it would send; nothing goes out.
  void operator()(service::effect::reply& e) const {
    if (!self->state.carrier_gone)
      self->send<caf::message_priority::high>(self->state.carrier, atom::reply_v, e.to, std::move(e.xml));
  }
  void operator()(service::effect::notify& e) const {
    auto& out = self->state.notifications;
    if (self->state.carrier_gone)
      return;
    if (out.empty())
      out = std::move(e.messages);
    else
      out.append(std::move(e.messages));
  }
  void operator()(service::effect::close& e) const {
    if (self->state.carrier_gone)
      retire(self);  // nothing left to close: the detached session ends
    else
      self->send(self->state.carrier, atom::close_v, std::move(e.reason));
  }
  void operator()(service::effect::adopt& e) const { adopt(self, e); }
  void operator()(service::effect::announce& e) const {
    if (self->state.env.node)
      self->send(self->state.env.node, atom::named_v, caf::actor_cast<session_actor>(self), std::move(e.session_id));
  }
  void operator()(service::effect::trace& e) const {
    if (self->state.carrier_gone)
      return;
    // At the replies' priority: the answer to the request that started the trace must find
    // the carrier tracing already.
    constexpr auto urgent = caf::message_priority::high;
    if (e.request)
      self->send<urgent>(self->state.carrier, atom::trace_v, e.selection, *e.request, std::move(e.xml));
    else
      self->send<urgent>(self->state.carrier, atom::trace_v, e.selection);
  }
  void operator()(service::effect::run_operation& e) const { run_operation(self, e); }
  void operator()(service::effect::start_monitor& e) const { start_monitor(self, e); }
  void operator()(service::effect::stop_monitor& e) const {
    to_monitor_holder(self, e.cross_ref, e.lim, atom::unwatch_v);
  }
  void operator()(service::effect::change_filter& e) const {
    if (auto l = find_lim(self, e.lim))
      self->send(*l, atom::filter_v, caf::actor_cast<session_actor>(self), e.cross_ref, std::move(e.suppressed));
  }
  void operator()(service::effect::wake& e) const {
    self->delayed_send(self, until(*self->state.env.clock, e.at), atom::wake_v);
  }
  void operator()(service::effect::authenticate& e) const { authenticate(self, e); }
};

// The notifications gathered so far go to the carrier, before whatever the session sends next.
void send_notifications(session_pointer self) {
  auto& st = self->state;
  if (st.notifications.empty())
    return;
  self->send(st.carrier, atom::notify_v, std::move(st.notifications));
  st.notifications.clear();
}

// Carries out what the core asked for, until it asks nothing more (running an effect can make
// the core produce more, e.g. a failure answered at once). The notifications of one turn (a
// batch of events, say) go to the carrier as one message; any other effect sends those gathered
// before it first, so the client sees everything in the core's order.
void perform(session_pointer self) {
  transport::caf_logger_off_on_this_thread();
  auto& effects = self->state.effects;
  for (self->state.core->take_effects(effects); !effects.empty(); self->state.core->take_effects(effects))
    for (auto& e : effects) {
      if (!std::holds_alternative<service::effect::notify>(e))
        send_notifications(self);
      std::visit(effect_runner{self}, e);
    }
  send_notifications(self);
}

session_actor::behavior_type session(session_pointer self, carrier_actor carrier, std::string peer,
                                     session_environment env) {
  auto& st = self->state;
  st.core = std::make_unique<service::session_core>(env.context, std::move(peer));
  st.carrier = std::move(carrier);
  st.env = std::move(env);
  st.created = st.env.clock->now();
  self->monitor(st.carrier);
  // A trace selection in force now is known from the first request on (the node tells the
  // session too, when it joins, in case a new one came meanwhile).
  if (transport::wire_trace::active())
    st.core->on_trace_selection(transport::wire_trace::current());
  if (st.env.node)
    self->send(st.env.node, atom::join_v, caf::actor_cast<session_actor>(self), st.env.server);
  st.core->on_connected(st.env.clock->now());
  perform(self);
  // The connection is gone: the session lives on detached if its client may come back for it;
  // otherwise every monitor is released, and it reports and ends.
  self->set_down_handler([self](const caf::down_msg&) {
    auto& st = self->state;
    if (st.carrier_gone)
      return;
    st.carrier_gone = true;
    bool lives_on = st.core->on_carrier_gone(st.env.clock->now());
    perform(self);
    if (!lives_on)
      retire(self);
  });
  auto now = [self] { return self->state.env.clock->now(); };
  return {
      [self, now](atom::request, transport::correlation corr, const std::string& xml) {
        self->state.core->on_request(corr, xml, now());
        perform(self);
        // The carrier stops reading while too many requests wait here (backpressure).
        if (++self->state.taken % transport::session_ack_interval == 0)
          self->send(self->state.carrier, atom::consumed_v, self->state.taken);
      },
      [self](atom::dialog, std::string& id, const std::string& line) {
        self->state.core->on_dialog(std::move(id), line);
        perform(self);
      },
      [self](atom::overload, bool behind) {
        self->state.core->on_overload(behind);
        perform(self);
      },
      [self](atom::broken, transport::correlation corr, const std::string& reason) {
        self->state.core->on_broken(corr, reason);
        perform(self);
      },
      [self](atom::broken, const std::string& reason) {
        self->state.core->on_broken(std::nullopt, reason);
        perform(self);
      },
      [self](service::event_batch& batch) {
        self->state.core->on_events(std::move(batch));
        perform(self);
      },
      [self, now](atom::wake) {
        self->state.core->on_wake(now());
        perform(self);
      },
      [self](atom::status) { return self->state.core->stats(); },
      [self](atom::describe) {
        auto& st = self->state;
        auto age = std::chrono::duration_cast<std::chrono::seconds>(st.env.clock->now() - st.created);
        return admin::session_report{0, st.core->peer(), st.core->application(), st.core->user(),
                                     static_cast<std::int64_t>(age.count()), st.core->stats().monitors,
                                     st.core->stats().events, st.core->session_id()};
      },
      [self](atom::trace, const trace_selection& s) {
        self->state.core->on_trace_selection(s);
        perform(self);
        return self->state.core->traced();
      },
      [self](atom::end, const std::string& reason) {
        self->state.core->on_server_removed(reason);
        perform(self);
      },
      [self](atom::lim_state, int lim, bool up) {
        self->state.core->on_lim_state(lim, up);
        perform(self);
      },
      [self](const sim::route_message& m) {
        service::deliver_route_message(*self->state.core, m);
        perform(self);
      },
      [self](atom::adopt, const std::string& user,
             const caf::strong_actor_ptr& taker) -> caf::result<service::session_handover> {
        return hand_over(self, user, caf::actor_cast<session_actor>(taker));
      },
  };
}

}  // namespace

session_actor spawn_session(caf::actor_system& sys, carrier_actor carrier, std::string peer,
                            session_environment env) {
  return sys.spawn(session, std::move(carrier), std::move(peer), std::move(env));
}

}  // namespace cstad
