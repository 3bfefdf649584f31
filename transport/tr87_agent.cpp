// The agent of a TR/87 listener, on the scheduler: it parses what clients send, keeps their
// dialogs (tr87_registry, tr87_dialog) and gives each dialog a carrier actor and a session,
// as a TCP client has; only the carrier differs. Time comes from the steady clock here; the
// dialogs themselves are pure and tested on an injected one. The agent writes the wire trace
// of its dialogs, as a J.2 carrier does of its connection.

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
#include "common/client_peer.hpp"
#include "transport/sip_brokers.hpp"
#include "transport/tr87_registry.hpp"
#include "transport/trace_mask.hpp"
#include "transport/wire_trace.hpp"

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
          self->send(agent, atom::notify_v, id, batch.text(i));
      },
      [self, agent, id](atom::close, std::string& reason) {
        self->send(agent, atom::close_v, id, std::move(reason));
      },
      [](atom::consumed, std::uint64_t) {},  // SIP has its own flow control (one INFO at a time)
      // The agent writes the trace. The request that made the session choose this dialog is
      // among those the agent holds for it, as it came in SIP: the XML alone is not needed.
      [self, agent, id](atom::trace, std::uint64_t selection) { self->send(agent, atom::trace_v, id, selection); },
      [self, agent, id](atom::trace, std::uint64_t selection, correlation, const std::string&) {
        self->send(agent, atom::trace_v, id, selection);
      },
      [](atom::status) { return carrier_stats{}; },
  };
}

struct dialog_entry {
  carrier_actor carrier;
  session_inbox_actor session;
  sip_path path;
  // The wire trace selection (its number) under which the session said this dialog is
  // traced; 0: never.
  std::uint64_t traced = 0;
  // While a trace by sessionID or device is on and the session has not said this dialog is
  // chosen: the SIP requests handed to it and not yet answered, by correlation token. The
  // session may choose the dialog for one of them (its first INVITE, for the line traced; a
  // request naming the device), and it is written then. Empty while the trace is off.
  std::map<std::uint64_t, std::string> held;
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

// A sip_path's peer ("tcp:127.0.0.1:41234", "udp:…", "tls:…") as the wire trace names it: the
// client's address:port (what csta -t --client chooses, common/client_peer.hpp) and the carrier.
const char* carrier_name(std::string_view peer) {
  if (peer.rfind("udp:", 0) == 0)
    return "sip-udp";
  if (peer.rfind("tls:", 0) == 0)
    return "sip-tls";
  return "sip-tcp";
}

// Whole SIP messages, credentials and passwords masked, as the J.2 carrier has its frames: at
// debug level in the log, and in the wire trace file when its dialog (or its client) is traced;
// nothing is done when both are off. traced: as dialog_entry has it (0 outside a dialog).
void trace(std::string_view peer, std::uint64_t traced, const char* direction, const std::string& text) {
  auto& out = log::connection();
  if (out.should_log(spdlog::level::debug))
    out.debug("{} {} {}", peer, direction, mask_sip(text));
  if (wire_trace::active())
    wire_trace::write_sip(client_endpoint(peer), traced, direction, carrier_name(peer), text);
}

std::uint64_t traced_of(const tr87_agent_state& st, std::uint64_t id) {
  auto e = st.dialogs.find(id);
  return e == st.dialogs.end() ? 0 : e->second.traced;
}

// A request the session may yet choose its dialog for is kept until it is answered (see
// dialog_entry::held); only while a trace by sessionID or device is on.
void hold_if_undecided(tr87_agent_state& st, std::uint64_t id, const tr87_dialog::output& o,
                       const std::string& text) {
  if (o.to_session.empty() || !wire_trace::active())
    return;
  auto e = st.dialogs.find(id);
  if (e == st.dialogs.end())
    return;
  auto selection = wire_trace::current();
  if (!selection.decided_by_session() || e->second.traced == selection.generation)
    return;
  for (auto& [c, xml] : o.to_session)
    e->second.held.insert_or_assign(c.token, text);
}

// The session says its dialog is traced: from now on, and the requests it holds first.
void start_tracing(tr87_agent_state& st, std::uint64_t id, std::uint64_t selection) {
  auto e = st.dialogs.find(id);
  if (e == st.dialogs.end())
    return;
  auto& d = e->second;
  d.traced = selection;
  auto held = std::move(d.held);
  d.held.clear();
  if (!wire_trace::active())
    return;
  for (auto& [token, text] : held)  // in the order they came (tokens count up)
    wire_trace::write_sip(client_endpoint(d.path.peer), d.traced, "->", carrier_name(d.path.peer), text);
}

void send_to(agent_pointer self, const sip_path& path, std::uint64_t traced, const std::string& text) {
  trace(path.peer, traced, "<-", text);
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
// answered: the correlation token of the session's answer this output carries.
void apply(agent_pointer self, std::uint64_t id, tr87_dialog::output& o, const sip_path& source,
           std::optional<std::uint64_t> answered = std::nullopt) {
  auto& st = self->state;
  auto e = st.dialogs.find(id);
  bool known = e != st.dialogs.end();
  if (known && answered && !e->second.held.empty())
    e->second.held.erase(*answered);  // answered untraced: written later, it would come after its answer
  auto& path = known ? e->second.path : source;
  auto traced = known ? e->second.traced : 0;
  for (auto& text : o.send)
    send_to(self, path, traced, text);
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
        tr87_registry::output out;
        st.registry.on_message(text, from.datagram() ? st.datagram : st.stream, clock_type::now(), out);
        // Traced once its dialog is known (a new dialog's session has not chosen it yet); the
        // dialog is looked up only while the trace is on.
        auto traced = wire_trace::active() ? traced_of(st, out.routed_to) : 0;
        trace(from.peer, traced, "->", text);
        if (!out.refused.empty())
          log::connection().warn("{}: SIP refused: {}", from.peer, out.refused);
        for (auto& text_out : out.reply)
          send_to(self, from, traced, text_out);
        for (auto id : out.created) {
          auto carrier = caf::actor_cast<carrier_actor>(
              self->spawn(tr87_carrier, caf::actor_cast<tr87_agent_actor>(self), id));
          auto* d = st.registry.find(id);
          // The line is the client's text: printable, so it cannot forge log lines or csta -p rows.
          auto line = d && !d->line().empty() ? printable(d->line()) : std::string{"-"};
          auto peer = from.peer + " line " + line;
          auto session = st.make_session(carrier, peer);
          // Before its first request: the session is known by its dialog, chosen by its line.
          if (d)
            self->send(session, atom::dialog_v, d->local_tag(), d->line());
          st.dialogs.emplace(id, dialog_entry{carrier, session, from, 0, {}});
          log::connection().info("{}: TR/87 dialog {} for line {}", from.peer, id, line);
        }
        // A client may come back over another connection: its dialog answers there.
        if (auto e = st.dialogs.find(out.routed_to); e != st.dialogs.end())
          e->second.path = from;
        for (auto& [id, o] : out.dialogs) {
          if (id == out.routed_to)
            hold_if_undecided(st, id, o, text);
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
        apply(self, id, o, {}, c.token);
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
      [self](atom::trace, std::uint64_t id, std::uint64_t selection) {
        start_tracing(self->state, id, selection);
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
