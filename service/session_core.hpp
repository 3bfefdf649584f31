#pragma once
// One client session, without any I/O: requests come in as XML with an opaque correlation,
// exchange outcomes and events come in from the LIMs, and what has to happen goes out as
// effects (answers, notifications, operations to run, monitors to start or stop, a wake-up).
// The session actor feeds it and carries out its effects; tests drive it directly.
//
// It holds what a session is: the ECMA-354 session, the namespace the client speaks, the forms
// it names devices in, its monitors and its outstanding requests. It answers every request
// exactly once.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/csta_error.hpp"
#include "protocol/csta_event.hpp"
#include "protocol/decode_request.hpp"
#include "service/application_session.hpp"
#include "common/log_limiter.hpp"
#include "service/device_forms.hpp"
#include "service/device_scope.hpp"
#include "service/directory.hpp"
#include "service/effects.hpp"
#include "service/event_batch.hpp"
#include "service/id_source.hpp"
#include "service/monitor_slots.hpp"
#include "service/session_handover.hpp"
#include "service/session_stats.hpp"
#include "service/system_status_subscription.hpp"
#include "sim/operation.hpp"
#include "common/trace_selection.hpp"

namespace cstad::service {

/// The monitors of every session of the process together, and how many there may be
/// (overallMonitorLimitExceeded past it). Sessions count in it from their own threads.
struct monitor_budget {
  explicit monitor_budget(std::size_t limit) : limit(limit) {}
  const std::size_t limit;
  std::atomic<std::size_t> open{0};

  /// Counts one more monitor; false (and nothing counted) when the limit is reached.
  bool take();
  void give_back(std::size_t n = 1);
};

/// What every session of a server shares, read-only (the id source and the monitor budget
/// are thread-safe).
struct session_context {
  std::shared_ptr<const directory> dir;
  std::shared_ptr<const session_policy> policy;
  std::shared_ptr<id_source> ids;
  std::shared_ptr<monitor_budget> monitors;  // null: no limit for the process
  // Where an application session is required: how long a connection may go without starting
  // one before it is closed (0: as long as it likes).
  std::chrono::seconds login_timeout{0};
};

/// One request as the services see it.
struct incoming {
  transport::correlation corr;
  std::string_view name;  // root element, e.g. "MakeCall": the service table's own text
  sim::time_point now{};
};

/// Renders the positive response to an operation's outcome, in namespace ns.
using renderer = std::function<std::string(const sim::outcome&, std::string_view ns)>;
/// Takes an operation's positive outcome (plan numbers, as the exchange gives it) and carries
/// the request on: runs its next operation or answers it.
using continuation = std::function<void(const sim::outcome&)>;

class session_core {
public:
  session_core(session_context context, std::string peer);
  /// Gives the monitors it still holds (or was starting) back to the process's budget.
  ~session_core();
  session_core(const session_core&) = delete;
  session_core& operator=(const session_core&) = delete;

  // -- Inputs ---------------------------------------------------------------------------------

  /// The client has connected: a server that announces itself sends SystemStatus normal now
  /// (OpenScape-style clients wait for it, and answer with SystemStatusResponse); where an
  /// application session is required, the login deadline starts.
  void on_connected(sim::time_point now);

  /// The carrier is a TR/87 dialog with this id (before any request): the session is known by
  /// it (csta -p, csta -t --session) while it has no ECMA-354 session, and acts for the line
  /// (the client's device id, as it wrote it) the dialog names.
  void on_dialog(std::string id, std::string_view line);

  /// A request from the client.
  void on_request(transport::correlation corr, std::string_view xml, sim::time_point now);
  /// The carrier could not read a request; with a correlation, that request is answered first.
  /// The connection is closed either way: the carrier has lost its framing.
  /// A request that cannot be read: answered, and the connection closes once the requests
  /// before it are answered too (answers before closes).
  void on_broken(std::optional<transport::correlation> corr, std::string_view reason);
  /// The client reads too slowly (true: past the high-water mark of its output) or has caught
  /// up (false): SystemStatus overloadImminent, then overloadRelieved.
  void on_overload(bool behind);
  /// The outcome of a run_operation.
  void on_outcome(ticket id, const sim::outcome& out);
  /// A run_operation or start_monitor that got no answer from the exchange.
  void on_failure(ticket id, std::string_view reason);
  /// Whether a start_monitor succeeded (false: the call does not exist).
  void on_monitor_started(ticket id, bool ok);
  /// An event for the monitors named by cross_refs (those still open get it). The event is
  /// taken by reference and changed (its cross-reference), to spare a copy per event.
  void on_event(protocol::csta_event& e, const std::vector<std::string>& cross_refs);
  /// An event for the one monitor its cross-reference names.
  void on_event(const protocol::csta_event& e);
  /// What one step of a LIM's exchange produced for this session's monitors, in order. Its
  /// payloads are taken into the session's notifications, not copied.
  void on_events(event_batch&& batch);
  /// A wake effect came due (the ECMA-354 session may have expired).
  void on_wake(sim::time_point now);
  /// The authenticator's verdict on an authenticate effect.
  void on_authenticated(ticket id, const verdict& v, sim::time_point now);
  /// The session's CSTA server is removed: an application session is told so
  /// (ApplicationSessionTerminated with the reason), monitors are released, the connection closes.
  void on_server_removed(const std::string& reason);
  /// The connection is gone. An application session with a clean-up delay (the client's
  /// sessionCleanupDelay, or the server's default) lives on detached: its monitors stay and
  /// what it would send is held (bounded) until a new connection takes it over
  /// (session_recovery.cpp) or the delay passes. True when it lives on; false when its
  /// monitors were released and it ends.
  bool on_carrier_gone(sim::time_point now);
  /// Whether `user` may take this session over: nothing when it may, else why not. Once it
  /// says yes, the session refuses every other taker.
  std::optional<std::string> begin_hand_over(const std::string& user);
  /// The cross-references of this session's monitors, by the LIM holding them (each is told
  /// to send their events to the new session before hand_over()).
  std::map<int, std::vector<std::string>> monitors_by_lim() const;
  /// Hands over the monitors the LIMs moved (`moved`) and the held messages; monitors not
  /// moved (their LIM did not answer, or they started meanwhile) are released. This session
  /// then ends (its connection, if still open, is closed).
  session_handover hand_over(const std::vector<std::string>& moved);
  /// The answer to an adopt effect: the old session's monitors and held messages, or nothing
  /// when it could not be taken over.
  void on_adopted(ticket id, std::optional<session_handover> handover, sim::time_point now);
  /// TransferMonitorObjects of this session's client.
  void transfer_monitors(const incoming& in, const protocol::transfer_monitor_objects_request& r);
  /// LIM lim of the system went down (up false) or came back. Down: each device monitor on
  /// it gets OutOfServiceEvent and stays open, each call monitor of its calls is stopped by the
  /// switch (MonitorStop), and the client gets SystemStatus partiallyDisabled. Back: the device
  /// monitors are started again with their cross-references, each gets BackInServiceEvent, and
  /// SystemStatus normal follows once no LIM is down.
  void on_lim_state(int lim, bool up);
  /// The wire trace's selection changed (or this session is new to it). A selection by
  /// sessionID or by device is this session's to decide: a trace effect when it is chosen.
  /// From then on it also follows this session's own changes: its application session
  /// starting, and its first request naming the device (that request is written too).
  void on_trace_selection(const trace_selection& s);
  /// Whether the wire trace follows this session under the selection it knows.
  bool traced() const;

  /// Moves the effects produced since the last call, in order, into out (whose old content is
  /// dropped); the two buffers trade places, so neither is allocated again.
  void take_effects(std::vector<effect_type>& out);
  /// The same, returned (tests).
  std::vector<effect_type> take_effects();

  const session_stats& stats() const { return stats_; }
  const std::string& peer() const { return peer_; }
  /// The client's IP address (the peer without its port).
  std::string address() const;
  /// The applicationID and user of its application session (empty without one).
  const std::string& application() const { return application_; }
  const std::string& user() const { return user_; }
  /// Its ECMA-354 sessionID; without an application session, its TR/87 dialog's id (or empty).
  std::string session_id() const { return app_.active() ? app_.id() : dialog_id_; }

  // -- For the services (the handlers of service_table.hpp) ------------------------------------

  const directory& dir() const { return *context_.dir; }
  const session_policy& policy() const { return *context_.policy; }
  application_session& app() { return app_; }
  /// A new system-wide id (monitor cross-reference, registration, service cross-reference).
  std::string next_id() { return context_.ids->next(); }
  /// The CSTA namespace answers and events go out in.
  const std::string& ns() const { return ns_; }
  void set_ns(std::string ns) { ns_ = std::move(ns); }
  /// The device id the client knows number by: the form it named it in last, or the number.
  /// (Responses rendered from outcomes and events get their forms without asking.)
  const std::string& client_form(const std::string& number) const { return forms_.form_of(number); }

  void reply(const incoming& in, std::string xml);
  void refuse(const incoming& in, const protocol::csta_error& e);
  /// An ECMA-354 answer; a negative one counts as a refusal.
  void reply_session(const incoming& in, std::string xml, bool ok);
  /// Asks the authenticator about a StartApplicationSession; once it agrees, the session starts
  /// (application_session::start) and the client gets the Pos response, else the Neg one.
  void authenticate(const incoming& in, protocol::start_application_session_request r);
  void notify(std::string xml);
  /// A message that write(std::string&) appends to the outgoing buffer itself (an event spliced
  /// from its shared payload costs no string of its own).
  template <class Write>
  void notify_with(Write&& write) {
    if (detached_) {
      std::string xml;
      write(xml);
      hold(std::move(xml));
      return;
    }
    notifications()->add_with(write);
  }
  /// A notification of shared text around text of its own (message_batch::add_around: the
  /// shared text is not copied); a detached session holds it whole, as notify_with does.
  void notify_around(std::shared_ptr<const void> keep, std::string_view before, std::string_view own,
                     std::string_view after) {
    if (detached_) {
      std::string xml;
      xml.append(before).append(own).append(after);
      hold(std::move(xml));
      return;
    }
    notifications()->add_around(std::move(keep), before, own, after);
  }
  /// The notify effect at the end of the effects, made when there is none.
  message_batch* notifications();
  void close(std::string reason);
  void wake_at(sim::time_point at);

  /// Runs op on the LIM; the client gets render's document or the exchange's refusal.
  void run(const incoming& in, int lim, sim::operation op, renderer render);
  /// Runs op on the LIM as a first step of the request: a refusal answers the client, a success
  /// goes to then (which must answer, or run the next step).
  void run_then(const incoming& in, int lim, sim::operation op, continuation then);
  /// The same, and a refusal goes to refused instead of the client (a step that may fail,
  /// e.g. asking one LIM after another).
  void run_either(const incoming& in, int lim, sim::operation op, continuation then, continuation refused);
  /// Starts a monitor on target (on its LIM); the client gets MonitorStartResponse, with the
  /// filter in force as actualMonitorFilter when report_filter (the client sent a filter).
  void start_monitor(const incoming& in, int lim, monitor_target target, event_filter suppressed,
                     bool report_filter = false);
  /// The monitor with this cross-reference, if this session has it open.
  struct monitor {
    monitor_target target;
    int lim = 0;
    // A device monitor started with a form of its own ("tel:+4687001000"): its events name
    // the device so, whatever the session's latest form of it. Empty: the plain number.
    std::string form;
    event_filter suppressed;      // what it does not report (to start it again the same)
    // The CSTA namespace of its MonitorStart: its events stay in it, whatever edition later
    // requests of the session use.
    std::string ns;
    bool out_of_service = false;  // its LIM is down
    // ns as protocol::well_known_namespace gives it (empty when it is none): the LIM's shared
    // payload recognises it by its address.
    std::string_view known_ns;
    // Its number among this session's monitors, given to its LIM (monitor_slots.hpp); none
    // for a monitor taken over from another session.
    std::uint32_t slot = no_monitor_slot;
  };
  const monitor* find_monitor(const std::string& cross_ref) const;
  void stop_monitor(const std::string& cross_ref);
  void change_filter(const std::string& cross_ref, event_filter suppressed);
  /// Releases every monitor (StopApplicationSession, expiry, the connection's end).
  void release_monitors();
  /// The client's SystemStatus registrations and filter: SystemStatus values it filters out
  /// are not sent.
  system_status_subscription& status_subscription() { return status_subscription_; }

private:
  struct pending_operation {
    transport::correlation corr;
    std::string ns;
    std::string_view service;  // the request's (incoming::name), for its errors' counts
    renderer render;
    continuation then;  // set instead of render for a first step (run_then)
    continuation refused;  // run_either: where a refusal goes
  };
  struct pending_start {
    transport::correlation corr;
    protocol::start_application_session_request request;
  };
  struct pending_monitor {
    transport::correlation corr;
    std::string ns;
    std::string cross_ref;
    monitor m;
    std::optional<event_filter> actual;  // reported in the response
  };

  void send_reply(transport::correlation corr, std::string xml);
  void refuse_in(transport::correlation corr, const protocol::csta_error& e, std::string_view ns,
                 std::string_view name);

  session_context context_;
  protocol::device_resolver resolve_;  // device ids -> plan numbers, by the directory
  std::string peer_;
  application_session app_;
  std::string ns_;
  device_forms forms_;
  std::unordered_map<std::string, monitor> monitors_;  // by monitorCrossRefID
  std::unordered_map<ticket, pending_operation> operations_;
  std::unordered_map<ticket, pending_monitor> monitor_starts_;
  std::unordered_map<ticket, pending_start> session_starts_;
  // Monitors started again (their LIM came back): cross-reference and LIM.
  std::unordered_map<ticket, std::pair<std::string, int>> restarts_;
  std::set<int> down_lims_;
  bool told_partial_ = false;  // the client has SystemStatus partiallyDisabled
  system_status_subscription status_subscription_;

  bool limit_logged_ = false;  // a limit of this session was hit and logged already
  // Log lines this session's client causes (bad requests, refusals) are rate-limited.
  log_limiter<sim::time_point> client_lines_;
  sim::time_point last_now_{};  // the time of the latest request (for lines without one)
  /// Whether a line about the client's requests may be logged now (says once how many were
  /// left out before).
  bool client_line();
  // The connection is to close once nothing is outstanding (a broken frame came after
  // requests still being served): why.
  std::optional<std::string> close_when_answered_;

  // Session recovery (session_recovery.cpp). This session, its connection lost: held until
  // when, and what it holds for the client meanwhile.
  int cleanup_delay_ = 0;  // seconds granted
  bool detached_ = false;
  sim::time_point detached_until_{};
  std::vector<std::string> held_;
  bool handing_over_ = false;  // another session is taking this one over
  bool handed_over_ = false;
  // This session taking another over: for a StartApplicationSession naming it (start set) or
  // a TransferMonitorObjects.
  struct pending_adoption {
    transport::correlation corr;
    std::string ns;
    std::optional<protocol::start_application_session_request> start;
    verdict v;
  };
  std::unordered_map<ticket, pending_adoption> adoptions_;
  // Events that came for monitors not known yet while a takeover is pending: the new monitors'
  // first events, delivered after what the old session held.
  std::vector<std::pair<protocol::csta_event, std::vector<std::string>>> early_events_;
  void adopt(transport::correlation corr, std::string session_id, std::string user,
             std::optional<protocol::start_application_session_request> start, verdict v);
  void install(session_handover& h);
  void granted(const protocol::start_application_session_request& r, const verdict& v);
  void hold(std::string xml);
  device_scope scope_;  // the devices its account may monitor and control (any by default)
  std::uint64_t scope_refusals_ = 0;

  /// Runs then when the session may act on the device (or, with no device, on the call: its
  /// LIM is asked for the call's parties first, and one must be the session's); otherwise the
  /// client gets operation/privilegeViolationSpecifiedDevice.
  void when_permitted(const incoming& in, int lim, const std::string& device, sim::call_id call,
                      std::function<void()> then);
  void submit(pending_operation p, int lim, sim::operation op);
  void start_monitor_permitted(const incoming& in, int lim, monitor_target target, event_filter suppressed,
                               bool report_filter);
  std::optional<sim::time_point> login_deadline_;

  // The event for the monitor cross_ref; `shared`, when not null, is the LIM's payload of it,
  // which the usual delivery takes (the batch keeps it alive while its text is written).
  void deliver(const protocol::csta_event& view, const std::string& cross_ref,
               std::shared_ptr<const event_payload>* shared, std::uint32_t slot = no_monitor_slot);
  // The monitor of a delivery: by the number its LIM handed back when that is still the
  // monitor's, else by the cross-reference.
  using monitor_entry = std::pair<const std::string, monitor>;
  monitor_entry* find_delivered(const std::string& cross_ref, std::uint32_t slot);
  // Ends the monitor here (its number is free again).
  void erase_monitor(std::unordered_map<std::string, monitor>::iterator i);
  // Of a monitor, what deliver() reads for the usual event (shared payload, the device's own
  // rendering), copied when it starts: its cross-reference, its namespace (empty: take the
  // slow path), whether its events name devices by number, whether it is a call monitor.
  struct monitor_hot {
    std::string cross_ref;
    std::string_view ns;
    bool plain = false;
    bool call = false;
    bool cross_ref_is_plain = false;  // nothing in it that XML escapes
  };
  monitor_hot hot_of(const monitor_entry& e) const;
  monitor_slots<monitor_entry, monitor_hot> slots_;
  // The size of an event's document, on average over recent batches: room for a batch of them
  // is made at once.
  std::size_t event_bytes_ = 512;
  void maintenance_event(protocol::event_type type, const std::string& cross_ref, const monitor& m);
  /// Requests of this session waiting for the exchange or the authenticator.
  std::size_t outstanding() const;
  void limit_hit(const incoming& in, const protocol::csta_error& e, const std::string& what);
  void monitor_gone(std::size_t n = 1);
  void system_status(std::string_view status);
  std::string application_;
  std::string user_;
  // A TR/87 session's dialog (on_dialog), and the plan's number of its line ("": none).
  std::string dialog_id_;
  std::string line_number_;
  // The wire trace's selection as last told, and the number of the one under which this
  // session is traced (0: none).
  trace_selection trace_;
  std::uint64_t traced_ = 0;
  // (session_trace.cpp)
  /// Whether the selection is this session's to decide and has not chosen it yet.
  bool awaiting_trace() const { return trace_.decided_by_session() && traced_ != trace_.generation; }
  /// Whether the selection chooses this session by what it is now: its sessionID (or TR/87
  /// dialog), or a monitor on the device (or its TR/87 line).
  bool chosen_for_trace() const;
  /// Traced from now on if the selection chooses it now (its session started, monitors came).
  void trace_if_chosen();
  /// Traced from this request on if it names the device traced.
  void trace_if_named(const protocol::decoded_request& req, transport::correlation corr, std::string_view xml);
  /// The trace effect (with the request that chose the session, if one did).
  void mark_traced(std::optional<transport::correlation> request, std::string_view xml);
  ticket next_ticket_ = 1;
  session_stats stats_;
  std::vector<effect_type> effects_;
};

}  // namespace cstad::service
