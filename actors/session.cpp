#include <atomic>
#include <chrono>
#include <unordered_map>
#include <set>
#include <variant>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/log.hpp"
#include "actors/spawn.hpp"
#include "protocol/decode_request.hpp"
#include "protocol/framing.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/responses.hpp"

namespace cstad {
namespace {

namespace p = protocol;

// How long a request may wait for the exchange before the client is told it failed.
constexpr auto request_timeout = std::chrono::seconds(10);

struct session_state {
  static inline const char* name = "cstad.session";
  connection_actor connection;
  directory_ptr dir;
  policy_ptr policy;
  application_session app;          // ECMA-354
  std::uint64_t expiry_generation = 0;  // the current expiry timer; older ones are ignored
  std::string peer;
  std::string ns{p::ns_ed3};  // namespace of the client's latest request; events use it too
  std::unordered_map<std::string, device_actor> monitors;  // monitorCrossRefID -> device
  std::set<std::string> call_monitors;  // monitorCrossRefIDs of call monitors (held by the LIM)
};

using session_pointer = session_actor::stateful_pointer<session_state>;

// monitorCrossRefIDs (and sysStatRegisterIDs) are unique in the whole process, so a stale id can never hit someone
// else's monitor.
std::string next_cross_ref() {
  static std::atomic<std::uint64_t> counter{0};
  return std::to_string(++counter);
}

void send_frame(session_pointer self, int invoke_id, const std::string& xml) {
  auto bytes = p::encode_frame(invoke_id, xml);
  if (!bytes) {
    log::session().error("{}: message of {} bytes does not fit into one frame", self->state.peer,
                         xml.size());
    return;
  }
  log::session().debug("{} <- {:04d} {}", self->state.peer, invoke_id, xml);
  self->send(self->state.connection, atom::write_v, std::move(*bytes));
}

void send_error(session_pointer self, int invoke_id, const p::csta_error& e,
                const std::string& ns) {
  log::session().info("{}: request {:04d} refused: {}/{}", self->state.peer, invoke_id,
                      p::to_string(e.category), e.value);
  send_frame(self, invoke_id, p::encode_csta_error(e, ns));
}

const device_actor* find_device(session_pointer self, const std::string& number) {
  return self->state.dir->find(number);
}

// Runs an operation through the device actor (or the LIM when no device is named) and answers
// with on_done's document, or with the refusal.
template <class OnDone>
void run(session_pointer self, int invoke_id, const device_actor* via, sim::operation op,
         OnDone on_done) {
  auto ns = self->state.ns;
  auto answer = [self, invoke_id, ns, on_done](const sim::outcome& out) {
    if (out.refused)
      send_error(self, invoke_id, out.error, ns);
    else
      send_frame(self, invoke_id, on_done(out, ns));
  };
  auto failed = [self, invoke_id, ns](const caf::error& err) {
    log::session().error("{}: request {:04d} failed inside the server: {}", self->state.peer,
                         invoke_id, self->system().render(err));
    send_error(self, invoke_id, p::errors::system_resource("resourceOutOfService"), ns);
  };
  if (via != nullptr)
    self->request(*via, request_timeout, std::move(op)).then(answer, failed);
  else
    self->request(self->state.dir->lim, request_timeout, std::move(op)).then(answer, failed);
}

// Call ids on the wire are the exchange's numbers; anything else names no call.
std::optional<sim::call_id> parse_call_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(text);
}

// A call monitor lives in the LIM, which sees every event of the call.
void start_call_monitor(session_pointer self, int invoke, p::monitor_start_request& r) {
  auto call = parse_call_id(r.call->call);
  if (!call) {
    send_error(self, invoke, p::errors::operation("invalidCallID"), self->state.ns);
    return;
  }
  auto cross_ref = next_cross_ref();
  auto ns = self->state.ns;
  self->request(self->state.dir->lim, request_timeout, atom::monitor_v,
                caf::actor_cast<session_actor>(self), cross_ref, std::move(r.suppressed), *call)
      .then(
          [self, invoke, cross_ref, ns](bool ok) {
            if (!ok) {
              send_error(self, invoke, p::errors::operation("invalidCallID"), ns);
              return;
            }
            self->state.call_monitors.insert(cross_ref);
            send_frame(self, invoke, p::encode_monitor_start_response(cross_ref, ns));
          },
          [self, invoke, ns](const caf::error&) {
            send_error(self, invoke, p::errors::system_resource("resourceOutOfService"), ns);
          });
}

void handle(session_pointer self, int invoke, const std::string&, p::monitor_start_request& r) {
  if (r.call) {
    start_call_monitor(self, invoke, r);
    return;
  }
  auto device = find_device(self, r.device);
  if (device == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidDeviceID"), self->state.ns);
    return;
  }
  auto cross_ref = next_cross_ref();
  auto ns = self->state.ns;
  auto dev = *device;
  self->request(dev, request_timeout, atom::monitor_v, caf::actor_cast<session_actor>(self),
                cross_ref, std::move(r.suppressed))
      .then(
          [self, invoke, cross_ref, ns, dev](bool) {
            self->state.monitors.emplace(cross_ref, dev);
            send_frame(self, invoke, p::encode_monitor_start_response(cross_ref, ns));
          },
          [self, invoke, ns](const caf::error&) {
            send_error(self, invoke, p::errors::system_resource("resourceOutOfService"), ns);
          });
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::change_monitor_filter_request& r) {
  auto i = self->state.monitors.find(r.cross_ref);
  if (i == self->state.monitors.end()) {
    send_error(self, invoke, p::errors::operation("invalidMonitorCrossRefID"), self->state.ns);
    return;
  }
  self->send(i->second, atom::filter_v, r.cross_ref, std::move(r.suppressed));
  send_frame(self, invoke, p::encode_empty_response(name, self->state.ns));
}

void handle(session_pointer self, int invoke, const std::string& name, p::monitor_stop_request& r) {
  if (self->state.call_monitors.erase(r.cross_ref) != 0) {
    self->send(self->state.dir->lim, atom::demonitor_v, r.cross_ref);
    send_frame(self, invoke, p::encode_empty_response(name, self->state.ns));
    return;
  }
  auto& monitors = self->state.monitors;
  auto i = monitors.find(r.cross_ref);
  if (i == monitors.end()) {
    send_error(self, invoke, p::errors::operation("invalidMonitorCrossRefID"), self->state.ns);
    return;
  }
  self->send(i->second, atom::demonitor_v, r.cross_ref);
  monitors.erase(i);
  send_frame(self, invoke, p::encode_empty_response(name, self->state.ns));
}

sim::operation make_op(sim::operation_kind kind, std::string device) {
  sim::operation op;
  op.kind = kind;
  op.device = std::move(device);
  return op;
}

// Answers with an empty <NameResponse/>.
auto empty_response(const std::string& name) {
  return [name](const sim::outcome&, const std::string& ns) {
    return p::encode_empty_response(name, ns);
  };
}

// Answers with <root><element>callID/deviceID of the outcome</element></root>.
auto connection_response(std::string root, std::string element) {
  return [root, element](const sim::outcome& out, const std::string& ns) {
    return p::encode_connection_response(root, element, {std::to_string(out.call), out.device}, ns);
  };
}

// A ConnectionID from the client names a call of ours and a device of the plan.
struct resolved_connection {
  sim::call_id call = 0;
  const device_actor* device = nullptr;
};

std::optional<resolved_connection> resolve(session_pointer self, int invoke,
                                           const p::connection_id& c,
                                           std::string_view bad_call = "invalidCallID") {
  auto call = parse_call_id(c.call);
  if (!call) {
    send_error(self, invoke, p::errors::operation(bad_call), self->state.ns);
    return std::nullopt;
  }
  auto device = find_device(self, c.device);
  if (device == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidConnectionID"), self->state.ns);
    return std::nullopt;
  }
  return resolved_connection{*call, device};
}

// A device named on its own (DND, forwarding).
const device_actor* resolve_device(session_pointer self, int invoke, const std::string& number) {
  auto device = find_device(self, number);
  if (device == nullptr)
    send_error(self, invoke, p::errors::operation("invalidDeviceID"), self->state.ns);
  return device;
}

void handle(session_pointer self, int invoke, const std::string&, p::make_call_request& r) {
  auto device = find_device(self, r.calling);
  if (device == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidCallingDeviceID"), self->state.ns);
    return;
  }
  auto op = make_op(sim::operation_kind::make_call, r.calling);
  op.other = r.called;
  run(self, invoke, device, std::move(op), connection_response("MakeCallResponse", "callingDevice"));
}

// Requests on one connection whose positive response is empty.
void run_on_connection(session_pointer self, int invoke, const std::string& name,
                       const p::connection_id& c, sim::operation_kind kind) {
  if (auto r = resolve(self, invoke, c)) {
    auto op = make_op(kind, c.device);
    op.call = r->call;
    run(self, invoke, r->device, std::move(op), empty_response(name));
  }
}

void handle(session_pointer self, int invoke, const std::string& name, p::answer_call_request& r) {
  run_on_connection(self, invoke, name, r.call, sim::operation_kind::answer_call);
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::clear_connection_request& r) {
  run_on_connection(self, invoke, name, r.connection, sim::operation_kind::clear_connection);
}

void handle(session_pointer self, int invoke, const std::string& name, p::hold_call_request& r) {
  run_on_connection(self, invoke, name, r.call, sim::operation_kind::hold_call);
}

void handle(session_pointer self, int invoke, const std::string& name, p::retrieve_call_request& r) {
  run_on_connection(self, invoke, name, r.call, sim::operation_kind::retrieve_call);
}

void handle(session_pointer self, int invoke, const std::string& name, p::clear_call_request& r) {
  auto call = parse_call_id(r.call.call);
  if (!call) {
    send_error(self, invoke, p::errors::operation("invalidCallID"), self->state.ns);
    return;
  }
  auto op = make_op(sim::operation_kind::clear_call, {});
  op.call = *call;
  run(self, invoke, nullptr, std::move(op), empty_response(name));
}

void handle(session_pointer self, int invoke, const std::string&,
            p::consultation_call_request& r) {
  if (auto c = resolve(self, invoke, r.existing)) {
    auto op = make_op(sim::operation_kind::consultation_call, r.existing.device);
    op.call = c->call;
    op.other = r.consulted;
    run(self, invoke, c->device, std::move(op),
        connection_response("ConsultationCallResponse", "initiatedCall"));
  }
}

// TransferCall, ConferenceCall, AlternateCall, ReconnectCall: a held and an active call of the
// same device.
template <class Respond>
void run_held_active(session_pointer self, int invoke, const p::held_active_request& r,
                     sim::operation_kind kind, Respond respond) {
  auto held = resolve(self, invoke, r.held, "invalidHeldCallID");
  if (!held)
    return;
  auto active_call = parse_call_id(r.active.call);
  if (!active_call) {
    send_error(self, invoke, p::errors::operation("invalidActiveCallID"), self->state.ns);
    return;
  }
  if (r.active.device != r.held.device) {
    send_error(self, invoke, p::errors::operation("notSameDevice"), self->state.ns);
    return;
  }
  auto op = make_op(kind, r.held.device);
  op.call = held->call;
  op.second_call = *active_call;
  run(self, invoke, held->device, std::move(op), std::move(respond));
}

void handle(session_pointer self, int invoke, const std::string&, p::transfer_call_request& r) {
  run_held_active(self, invoke, r, sim::operation_kind::transfer_call,
                  connection_response("TransferCallResponse", "transferredCall"));
}

void handle(session_pointer self, int invoke, const std::string&, p::conference_call_request& r) {
  run_held_active(self, invoke, r, sim::operation_kind::conference_call,
                  connection_response("ConferenceCallResponse", "conferenceCall"));
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::alternate_call_request& r) {
  run_held_active(self, invoke, r, sim::operation_kind::alternate_call, empty_response(name));
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::reconnect_call_request& r) {
  run_held_active(self, invoke, r, sim::operation_kind::reconnect_call, empty_response(name));
}

void handle(session_pointer self, int invoke, const std::string& name, p::deflect_call_request& r) {
  if (auto c = resolve(self, invoke, r.call)) {
    auto op = make_op(sim::operation_kind::deflect_call, r.call.device);
    op.call = c->call;
    op.other = r.destination;
    run(self, invoke, c->device, std::move(op), empty_response(name));
  }
}

void handle(session_pointer self, int invoke, const std::string&,
            p::single_step_transfer_request& r) {
  if (auto c = resolve(self, invoke, r.active, "invalidActiveCallID")) {
    auto op = make_op(sim::operation_kind::single_step_transfer, r.active.device);
    op.call = c->call;
    op.other = r.to;
    run(self, invoke, c->device, std::move(op),
        connection_response("SingleStepTransferCallResponse", "transferredCall"));
  }
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::generate_digits_request& r) {
  if (auto c = resolve(self, invoke, r.connection)) {
    auto op = make_op(sim::operation_kind::generate_digits, r.connection.device);
    op.call = c->call;
    op.text = r.digits;
    run(self, invoke, c->device, std::move(op), empty_response(name));
  }
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::set_do_not_disturb_request& r) {
  if (auto d = resolve_device(self, invoke, r.device)) {
    auto op = make_op(sim::operation_kind::set_do_not_disturb, r.device);
    op.flag = r.on;
    run(self, invoke, d, std::move(op), empty_response(name));
  }
}

void handle(session_pointer self, int invoke, const std::string&,
            p::get_do_not_disturb_request& r) {
  if (auto d = resolve_device(self, invoke, r.device))
    run(self, invoke, d, make_op(sim::operation_kind::get_do_not_disturb, r.device),
        [](const sim::outcome& out, const std::string& ns) {
          return p::encode_get_do_not_disturb_response(out.flag, ns);
        });
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::set_forwarding_request& r) {
  if (auto d = resolve_device(self, invoke, r.device)) {
    auto op = make_op(sim::operation_kind::set_forwarding, r.device);
    op.flag = r.activate;
    op.forwarding = r.type;
    op.other = r.destination;
    op.ring_count = r.ring_count;
    run(self, invoke, d, std::move(op), empty_response(name));
  }
}

void handle(session_pointer self, int invoke, const std::string&, p::get_forwarding_request& r) {
  if (auto d = resolve_device(self, invoke, r.device))
    run(self, invoke, d, make_op(sim::operation_kind::get_forwarding, r.device),
        [](const sim::outcome& out, const std::string& ns) {
          std::vector<p::forwarding_entry> list;
          for (auto& f : out.forwards)
            list.push_back({f.type, f.active, f.destination});
          return p::encode_get_forwarding_response(list, ns);
        });
}

sim::agent_request to_sim(p::requested_agent_state s) {
  switch (s) {
    case p::requested_agent_state::logged_on: return sim::agent_request::logged_on;
    case p::requested_agent_state::logged_off: return sim::agent_request::logged_off;
    case p::requested_agent_state::not_ready: return sim::agent_request::not_ready;
    case p::requested_agent_state::ready: return sim::agent_request::ready;
    case p::requested_agent_state::working_after_call: return sim::agent_request::working_after_call;
  }
  return sim::agent_request::ready;
}

const char* agent_state_name(sim::agent_state s) {
  switch (s) {
    case sim::agent_state::logged_off: return "agentNull";
    case sim::agent_state::not_ready: return "agentNotReady";
    case sim::agent_state::ready: return "agentReady";
    case sim::agent_state::busy: return "agentBusy";
    case sim::agent_state::working_after_call: return "agentWorkingAfterCall";
  }
  return "agentNull";
}

void handle(session_pointer self, int invoke, const std::string&, p::set_agent_state_request& r) {
  if (auto d = resolve_device(self, invoke, r.device)) {
    auto op = make_op(sim::operation_kind::set_agent_state, r.device);
    op.agent = to_sim(r.state);
    op.agent_id = r.agent_id;
    op.password = r.password;
    op.group = r.group;
    run(self, invoke, d, std::move(op), [](const sim::outcome& out, const std::string& ns) {
      return p::encode_set_agent_state_response(out.pending, ns);
    });
  }
}

void handle(session_pointer self, int invoke, const std::string&, p::get_agent_state_request& r) {
  if (auto d = resolve_device(self, invoke, r.device))
    run(self, invoke, d, make_op(sim::operation_kind::get_agent_state, r.device),
        [](const sim::outcome& out, const std::string& ns) {
          std::vector<p::agent_entry> list;
          for (auto& a : out.agents)
            list.push_back({a.id, a.group, agent_state_name(a.state)});
          return p::encode_get_agent_state_response(list, ns);
        });
}

// The deviceCategory of a device kind (ECMA-269 DeviceCategory).
const char* device_category(sim::device_kind k) {
  switch (k) {
    case sim::device_kind::acd_group: return "acd";
    case sim::device_kind::hunt_group: return "group";
    default: return "station";
  }
}

bool category_matches(const std::string& requested, sim::device_kind k) {
  if (requested.empty())
    return true;
  if (requested == "station")
    return k != sim::device_kind::acd_group && k != sim::device_kind::hunt_group;
  if (requested == "acd" || requested == "groupACD")
    return k == sim::device_kind::acd_group;
  if (requested == "groupHunt")
    return k == sim::device_kind::hunt_group;
  return false;  // park, voice units, network interfaces …: none here
}

// The response names a serviceCrossRefID; the list follows in SwitchingFunctionDevices
// segments. The schema gives those no response, so like events they carry invoke id 9999
// (protocol.md leaves the choice open).
void handle(session_pointer self, int invoke, const std::string&,
            p::get_switching_function_devices_request& r) {
  if (!r.device.empty() && find_device(self, r.device) == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidDeviceID"), self->state.ns);
    return;
  }
  auto cross_ref = next_cross_ref();
  send_frame(self, invoke, p::encode_get_switching_function_devices_response(cross_ref, self->state.ns));
  constexpr std::size_t per_segment = 100;  // keeps every segment far below the 64 KiB frame
  std::vector<std::pair<std::string, std::string>> list;
  for (auto& [number, kind] : self->state.dir->plan)
    if ((r.device.empty() || r.device == number) && category_matches(r.category, kind))
      list.emplace_back(number, device_category(kind));
  int segment = 1;
  std::size_t i = 0;
  do {
    auto end = std::min(list.size(), i + per_segment);
    std::vector<std::pair<std::string, std::string>> part(list.begin() + i, list.begin() + end);
    send_frame(self, p::event_invoke_id,
               p::encode_switching_function_devices(cross_ref, segment++, end == list.size(), part,
                                                    self->state.ns));
    i = end;
  } while (i < list.size());
}

// This server offers no vendor-private services: whatever an Escape carries is not understood.
void handle(session_pointer self, int invoke, const std::string&, p::escape_request&) {
  send_error(self, invoke, {p::error_category::private_data, "cSTAPrivateDataInfoError"},
             self->state.ns);
}

// System services are answered by the session itself: the exchange is always "normal".
void handle(session_pointer self, int invoke, const std::string&,
            p::request_system_status_request&) {
  send_frame(self, invoke, p::encode_request_system_status_response("normal", self->state.ns));
}

void handle(session_pointer self, int invoke, const std::string& name, p::system_status_request& r) {
  log::session().info("{}: client reports system status {}", self->state.peer, r.status);
  send_frame(self, invoke, p::encode_empty_response(name, self->state.ns));
}

void handle(session_pointer self, int invoke, const std::string&, p::system_register_request&) {
  send_frame(self, invoke, p::encode_system_register_response(next_cross_ref(), self->state.ns));
}

void handle(session_pointer self, int invoke, const std::string&, p::get_csta_features_request&) {
  send_frame(self, invoke, p::encode_get_csta_features_response(self->state.ns));
}

std::vector<p::snapshot_entry> snapshot_entries(const sim::outcome& out) {
  std::vector<p::snapshot_entry> list;
  for (auto& c : out.connections)
    list.push_back({{std::to_string(c.call), c.device}, c.state});
  return list;
}

void handle(session_pointer self, int invoke, const std::string&, p::snapshot_device_request& r) {
  if (auto d = resolve_device(self, invoke, r.device))
    run(self, invoke, d, make_op(sim::operation_kind::snapshot_device, r.device),
        [](const sim::outcome& out, const std::string& ns) {
          return p::encode_snapshot_device_response(snapshot_entries(out), ns);
        });
}

void handle(session_pointer self, int invoke, const std::string&, p::snapshot_call_request& r) {
  auto call = parse_call_id(r.call.call);
  if (!call) {
    send_error(self, invoke, p::errors::operation("invalidCallID"), self->state.ns);
    return;
  }
  auto op = make_op(sim::operation_kind::snapshot_call, {});
  op.call = *call;
  run(self, invoke, nullptr, std::move(op), [](const sim::outcome& out, const std::string& ns) {
    return p::encode_snapshot_call_response(snapshot_entries(out), ns);
  });
}

// -- ECMA-354 application session ----------------------------------------------------------

// (Re)arms the expiry check for the session's current deadline.
void arm_expiry(session_pointer self) {
  auto wait = self->state.app.deadline() - std::chrono::steady_clock::now();
  self->delayed_send(self, std::max(wait, decltype(wait){}) + std::chrono::milliseconds(1),
                     atom::expire_v, ++self->state.expiry_generation);
}

void release_monitors(session_pointer self) {
  for (auto& [cross_ref, device] : self->state.monitors)
    self->send(device, atom::demonitor_v, cross_ref);
  self->state.monitors.clear();
  for (auto& cross_ref : self->state.call_monitors)
    self->send(self->state.dir->lim, atom::demonitor_v, cross_ref);
  self->state.call_monitors.clear();
}

void handle(session_pointer self, int invoke, const std::string&,
            p::start_application_session_request& r) {
  auto& st = self->state;
  auto a = st.app.start(r, *st.policy, std::chrono::steady_clock::now());
  send_frame(self, invoke, a.document);
  if (!a.ok) {
    log::session().warn("{}: application session for '{}' (user '{}') refused", st.peer,
                        r.application_id, r.user_name.value_or(""));
    return;
  }
  log::session().info("{}: application session {} started for '{}' (user '{}')", st.peer,
                      st.app.id(), r.application_id, r.user_name.value_or(""));
  st.ns = *st.app.protocol_version();
  arm_expiry(self);
}

void handle(session_pointer self, int invoke, const std::string&,
            p::reset_application_session_timer_request& r) {
  auto a = self->state.app.reset(r, *self->state.policy, std::chrono::steady_clock::now());
  send_frame(self, invoke, a.document);
  if (a.ok)
    arm_expiry(self);
}

void handle(session_pointer self, int invoke, const std::string&,
            p::stop_application_session_request& r) {
  auto a = self->state.app.stop(r);
  send_frame(self, invoke, a.document);
  if (a.ok) {
    log::session().info("{}: application session {} stopped ({})", self->state.peer, r.session_id,
                        r.end_reason);
    release_monitors(self);
  }
}

void on_expire(session_pointer self, std::uint64_t generation) {
  auto& st = self->state;
  if (generation != st.expiry_generation || !st.app.expired(std::chrono::steady_clock::now()))
    return;
  // The client stopped keeping the session alive: tell it, release everything, hang up.
  log::session().warn("{}: application session {} expired", st.peer, st.app.id());
  send_frame(self, p::event_invoke_id, st.app.terminate_expired());
  release_monitors(self);
  self->send(st.connection, atom::close_v);
}

bool is_application_session_request(const p::request& r) {
  return std::holds_alternative<p::start_application_session_request>(r) ||
         std::holds_alternative<p::stop_application_session_request>(r) ||
         std::holds_alternative<p::reset_application_session_timer_request>(r);
}

void on_frame(session_pointer self, int invoke, const std::string& body) {
  log::session().debug("{} -> {:04d} {}", self->state.peer, invoke, body);
  auto decoded = p::decode_request(body);
  if (auto failure = std::get_if<p::decode_failure>(&decoded)) {
    log::session().warn("{}: request {:04d} rejected: {}", self->state.peer, invoke,
                        failure->reason);
    if (!failure->session_error.empty()) {
      send_frame(self, invoke,
                 *p::encode_application_session_neg_response(failure->name, failure->session_error));
      return;
    }
    auto ns = failure->ns.empty() ? self->state.ns : p::reply_namespace(failure->ns);
    send_error(self, invoke, failure->error, ns);
    return;
  }
  auto& req = std::get<p::decoded_request>(decoded);
  // Answer in the client's CSTA namespace; ECMA-354 and namespace-less requests keep the one
  // in use (the negotiated actualProtocolVersion, or ed3).
  if (p::is_csta_namespace(req.ns))
    self->state.ns = req.ns;
  if (self->state.policy->required && !self->state.app.active() &&
      !is_application_session_request(req.value)) {
    send_error(self, invoke, p::errors::security("generic"), self->state.ns);
    return;
  }
  std::visit([&](auto& r) { handle(self, invoke, req.name, r); }, req.value);
}

session_actor::behavior_type session(session_pointer self, connection_actor connection,
                                     directory_ptr dir, policy_ptr policy, std::string peer) {
  self->state.connection = connection;
  self->state.dir = std::move(dir);
  self->state.policy = std::move(policy);
  self->state.peer = std::move(peer);
  self->monitor(connection);
  // The connection is gone: release every monitor of this session, then end.
  self->set_down_handler([self](const caf::down_msg&) {
    release_monitors(self);
    self->quit();
  });
  return {
      [self](atom::frame, int invoke, const std::string& body) { on_frame(self, invoke, body); },
      [self](atom::bad_frame, int invoke, const std::string& reason) {
        log::session().warn("{}: broken frame ({}), closing", self->state.peer, reason);
        if (invoke >= 0)
          send_error(self, invoke, p::errors::operation("generic"), self->state.ns);
        self->send(self->state.connection, atom::close_v);
      },
      [self](const p::csta_event& e) {
        auto& st = self->state;
        if (st.monitors.count(e.cross_ref) == 0 && st.call_monitors.count(e.cross_ref) == 0)
          return;  // stopped meanwhile
        if (e.type == p::event_type::call_cleared)
          st.call_monitors.erase(e.cross_ref);  // the call is over, and so is its monitor
        send_frame(self, p::event_invoke_id, p::encode_event(e, self->state.ns));
      },
      [self](atom::expire, std::uint64_t generation) { on_expire(self, generation); },
  };
}

}  // namespace

session_actor spawn_session(caf::local_actor* parent, connection_actor connection,
                            directory_ptr dir, policy_ptr policy, std::string peer) {
  return parent->spawn(session, std::move(connection), std::move(dir), std::move(policy),
                       std::move(peer));
}

}  // namespace cstad
