// The agent of a TR/87 listener, on the scheduler: it parses what clients send, keeps their
// dialogs (tr87_registry, tr87_dialog) and gives each dialog a carrier actor and a session,
// as a TCP client has; only the carrier differs. Time comes from the steady clock here; the
// dialogs themselves are pure and tested on an injected one.

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "common/log.hpp"
#include "common/printable.hpp"
#include "transport/sip_brokers.hpp"
#include "transport/tr87_registry.hpp"
#include "transport/trace_mask.hpp"

namespace cstad::transport {
namespace {

using clock_type = std::chrono::steady_clock;

// The carrier of one dialog, as its session sees it: it hands everything to the agent.
struct tr87_carrier_state {
  static inline const char* name = "cstad.tr87-carrier";
};

carrier_actor::behavior_type tr87_carrier(carrier_actor::stateful_pointer<tr87_carrier_state> self,
                                          tr87_agent_actor agent, std::uint64_t id) {
  return {
      [self, agent, id](atom::reply, correlation c, std::string& xml) {
        self->send(agent, atom::reply_v, id, c, std::move(xml));
      },
      [self, agent, id](atom::notify, const message_batch& batch) {
        for (std::size_t i = 0; i < batch.size(); ++i)  // each its own INFO
          self->send(agent, atom::notify_v, id, std::string{batch[i]});
      },
      [self, agent, id](atom::close, std::string& reason) {
        self->send(agent, atom::close_v, id, std::move(reason));
      },
      [](atom::consumed, std::uint64_t) {},  // SIP has its own flow control (one INFO at a time)
      // SIP messages are traced at debug level in the log, not in the wire trace file.
      [](atom::trace, std::uint64_t) {},
      [](atom::trace, std::uint64_t, correlation, const std::string&) {},
      [](atom::status) { return carrier_stats{}; },
  };
}

struct dialog_entry {
  carrier_actor carrier;
  session_inbox_actor session;
  sip_path path;
};

struct tr87_agent_state {
  static inline const char* name = "cstad.tr87-agent";
  tr87_registry registry;
  tr87_settings stream, datagram;  // for dialogs over TCP and over UDP
  session_factory make_session;
  std::map<std::uint64_t, dialog_entry> dialogs;
  std::optional<clock_type::time_point> wake_at;
};

using agent_pointer = tr87_agent_actor::stateful_pointer<tr87_agent_state>;

// The wire trace (debug level), as the J.2 carrier has it: whole SIP messages, passwords masked.
void trace(const std::string& peer, const char* direction, const std::string& text) {
  auto& out = log::connection();
  if (out.should_log(spdlog::level::debug))
    out.debug("{} {} {}", peer, direction, mask_passwords(text));
}

void send_to(agent_pointer self, const sip_path& path, const std::string& text) {
  trace(path.peer, "<-", text);
  if (path.datagram())
    self->send(caf::actor_cast<caf::typed_actor<caf::reacts_to<atom::sip_out, std::int64_t, std::string>>>(path.via),
               atom::sip_out_v, path.endpoint, text);
  else
    self->send(caf::actor_cast<caf::typed_actor<caf::reacts_to<atom::sip_out, std::string>>>(path.via),
               atom::sip_out_v, text);
}

// The wake-up is kept at or before every dialog's next wake: a dialog that was just touched
// can only move it earlier (a later one is found by the scan at the wake-up), so an event
// costs one dialog's look, not a scan of them all.
void schedule_at(agent_pointer self, std::optional<clock_type::time_point> next) {
  auto& st = self->state;
  if (!next || (st.wake_at && *st.wake_at <= *next))
    return;
  st.wake_at = next;
  auto delay = std::max(clock_type::duration::zero(), *next - clock_type::now());
  self->delayed_send(self, delay, atom::sip_wake_v);
}

void schedule(agent_pointer self, std::uint64_t id) {
  if (auto* d = self->state.registry.find(id))
    schedule_at(self, d->next_wake());
}

// Carries out what a dialog decided: SIP to its client, CSTA to its session, its end.
void apply(agent_pointer self, std::uint64_t id, tr87_dialog::output& o, const sip_path& source) {
  auto& st = self->state;
  auto e = st.dialogs.find(id);
  auto& path = e != st.dialogs.end() ? e->second.path : source;
  for (auto& text : o.send)
    send_to(self, path, text);
  if (e == st.dialogs.end())
    return;
  for (auto& [c, xml] : o.to_session)
    self->send(e->second.session, atom::request_v, c, std::move(xml));
  if (!o.ended.empty()) {
    log::connection().info("{}: TR/87 dialog {} ended: {}", e->second.path.peer, id, o.ended);
    self->send_exit(e->second.carrier, caf::exit_reason::user_shutdown);  // its session ends with it
    st.dialogs.erase(e);
    st.registry.erase(id);
  }
}

tr87_agent_actor::behavior_type tr87_agent(agent_pointer self, std::string host, std::uint16_t port, bool tls,
                                           session_factory make_session) {
  auto& st = self->state;
  if (tls)
    st.stream.transport = "TLS";
  st.stream.host = st.datagram.host = host;
  st.stream.port = st.datagram.port = port;
  st.datagram.transport = "UDP";
  st.datagram.reliable = false;
  st.make_session = std::move(make_session);
  return {
      [self](atom::sip_in, const sip_path& from, const std::string& text) {
        auto& st = self->state;
        trace(from.peer, "->", text);
        tr87_registry::output out;
        st.registry.on_message(text, from.datagram() ? st.datagram : st.stream, clock_type::now(), out);
        if (!out.refused.empty())
          log::connection().warn("{}: SIP refused: {}", from.peer, out.refused);
        for (auto& text_out : out.reply)
          send_to(self, from, text_out);
        for (auto id : out.created) {
          auto carrier = caf::actor_cast<carrier_actor>(
              self->spawn(tr87_carrier, caf::actor_cast<tr87_agent_actor>(self), id));
          auto* d = st.registry.find(id);
          // The line is the client's text: printable, so it cannot forge log lines or csta -p rows.
          auto line = d && !d->line().empty() ? printable(d->line()) : std::string{"-"};
          auto peer = from.peer + " line " + line;
          auto session = st.make_session(carrier, peer);
          st.dialogs.emplace(id, dialog_entry{carrier, session, from});
          log::connection().info("{}: TR/87 dialog {} for line {}", from.peer, id, line);
        }
        // A client may come back over another connection: its dialog answers there.
        if (auto e = st.dialogs.find(out.routed_to); e != st.dialogs.end())
          e->second.path = from;
        for (auto& [id, o] : out.dialogs) {
          apply(self, id, o, from);
          schedule(self, id);
        }
      },
      [self](atom::sip_gone, const caf::actor& via) {
        auto& st = self->state;
        std::vector<std::uint64_t> gone;
        for (auto& [id, e] : st.dialogs)
          if (e.path.via == via && !e.path.datagram())
            gone.push_back(id);
        for (auto id : gone) {
          tr87_dialog::output o;
          o.ended = "the client's connection closed";
          apply(self, id, o, {});
        }
      },
      [self](atom::reply, std::uint64_t id, correlation c, const std::string& xml) {
        auto* d = self->state.registry.find(id);
        if (d == nullptr)
          return;
        tr87_dialog::output o;
        d->on_reply(c, xml, clock_type::now(), o);
        apply(self, id, o, {});
        schedule(self, id);
      },
      [self](atom::notify, std::uint64_t id, const std::string& xml) {
        auto* d = self->state.registry.find(id);
        if (d == nullptr)
          return;
        tr87_dialog::output o;
        d->on_notify(xml, clock_type::now(), o);
        apply(self, id, o, {});
        schedule(self, id);
      },
      [self](atom::close, std::uint64_t id, const std::string& reason) {
        auto* d = self->state.registry.find(id);
        if (d == nullptr)
          return;
        tr87_dialog::output o;
        d->on_close(reason, clock_type::now(), o);
        apply(self, id, o, {});
      },
      [self](atom::sip_wake) {
        auto& st = self->state;
        st.wake_at.reset();
        auto now = clock_type::now();
        std::vector<std::uint64_t> due;
        std::optional<clock_type::time_point> next;
        for (auto& [id, e] : st.dialogs)
          if (auto* d = st.registry.find(id))
            if (auto w = d->next_wake()) {
              if (*w <= now)
                due.push_back(id);
              else if (!next || *w < *next)
                next = w;
            }
        for (auto id : due) {
          tr87_dialog::output o;
          st.registry.find(id)->on_wake(now, o);
          apply(self, id, o, {});
          if (auto* d = st.registry.find(id))
            if (auto w = d->next_wake(); w && (!next || *w < *next))
              next = w;
        }
        schedule_at(self, next);
      },
      [self](atom::drain) -> caf::typed_response_promise<bool> {
        auto rp = self->make_response_promise<bool>();
        auto& st = self->state;
        if (!st.dialogs.empty())
          log::connection().info("TR/87: ending {} dialog(s) with BYE", st.dialogs.size());
        std::vector<std::uint64_t> all;
        for (auto& [id, e] : st.dialogs)
          all.push_back(id);
        for (auto id : all) {
          tr87_dialog::output o;
          st.registry.find(id)->on_close("the CSTA server is stopping", clock_type::now(), o);
          apply(self, id, o, {});
        }
        rp.deliver(true);  // before the quit: its answer must still go out
        self->quit();
        return rp;
      },
  };
}

}  // namespace

tr87_agent_actor spawn_tr87_agent(caf::actor_system& sys, const std::string& host, std::uint16_t port, bool tls,
                                  session_factory make_session) {
  return sys.spawn(tr87_agent, host, port, tls, std::move(make_session));
}

}  // namespace cstad::transport
