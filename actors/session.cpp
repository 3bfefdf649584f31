#include <atomic>
#include <chrono>
#include <unordered_map>
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
  std::string peer;
  std::string ns{p::ns_ed3};  // namespace of the client's latest request; events use it too
  std::unordered_map<std::string, device_actor> monitors;  // monitorCrossRefID -> device
};

using session_pointer = session_actor::stateful_pointer<session_state>;

// monitorCrossRefIDs are unique in the whole process, so a stale id can never hit someone
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

void handle(session_pointer self, int invoke, const std::string&, p::monitor_start_request& r) {
  if (r.call) {
    send_error(self, invoke, p::errors::operation("requestIncompatibleWithObject"), self->state.ns);
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

void handle(session_pointer self, int invoke, const std::string& name, p::monitor_stop_request& r) {
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

void handle(session_pointer self, int invoke, const std::string&, p::make_call_request& r) {
  auto device = find_device(self, r.calling);
  if (device == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidCallingDeviceID"), self->state.ns);
    return;
  }
  sim::operation op{sim::operation_kind::make_call, r.calling, r.called, 0};
  run(self, invoke, device, std::move(op), [calling = r.calling](const sim::outcome& out, const std::string& ns) {
    return p::encode_make_call_response({std::to_string(out.call), calling}, ns);
  });
}

// AnswerCall and ClearConnection: an operation on one connection (call + device).
void run_on_connection(session_pointer self, int invoke, const std::string& name,
                       const p::connection_id& c, sim::operation_kind kind) {
  auto call = parse_call_id(c.call);
  if (!call) {
    send_error(self, invoke, p::errors::operation("invalidCallID"), self->state.ns);
    return;
  }
  auto device = find_device(self, c.device);
  if (device == nullptr) {
    send_error(self, invoke, p::errors::operation("invalidConnectionID"), self->state.ns);
    return;
  }
  run(self, invoke, device, sim::operation{kind, c.device, {}, *call},
      [name](const sim::outcome&, const std::string& ns) {
        return p::encode_empty_response(name, ns);
      });
}

void handle(session_pointer self, int invoke, const std::string& name, p::answer_call_request& r) {
  run_on_connection(self, invoke, name, r.call, sim::operation_kind::answer_call);
}

void handle(session_pointer self, int invoke, const std::string& name,
            p::clear_connection_request& r) {
  run_on_connection(self, invoke, name, r.connection, sim::operation_kind::clear_connection);
}

void handle(session_pointer self, int invoke, const std::string& name, p::clear_call_request& r) {
  auto call = parse_call_id(r.call.call);
  if (!call) {
    send_error(self, invoke, p::errors::operation("invalidCallID"), self->state.ns);
    return;
  }
  run(self, invoke, nullptr, sim::operation{sim::operation_kind::clear_call, {}, {}, *call},
      [name](const sim::outcome&, const std::string& ns) {
        return p::encode_empty_response(name, ns);
      });
}

void on_frame(session_pointer self, int invoke, const std::string& body) {
  log::session().debug("{} -> {:04d} {}", self->state.peer, invoke, body);
  auto decoded = p::decode_request(body);
  if (auto failure = std::get_if<p::decode_failure>(&decoded)) {
    log::session().warn("{}: request {:04d} rejected: {}", self->state.peer, invoke,
                        failure->reason);
    auto ns = failure->ns.empty() ? self->state.ns : p::reply_namespace(failure->ns);
    send_error(self, invoke, failure->error, ns);
    return;
  }
  auto& req = std::get<p::decoded_request>(decoded);
  self->state.ns = p::reply_namespace(req.ns);
  std::visit([&](auto& r) { handle(self, invoke, req.name, r); }, req.value);
}

session_actor::behavior_type session(session_pointer self, connection_actor connection,
                                     directory_ptr dir, std::string peer) {
  self->state.connection = connection;
  self->state.dir = std::move(dir);
  self->state.peer = std::move(peer);
  self->monitor(connection);
  // The connection is gone: release every monitor of this session, then end.
  self->set_down_handler([self](const caf::down_msg&) {
    for (auto& [cross_ref, device] : self->state.monitors)
      self->send(device, atom::demonitor_v, cross_ref);
    self->state.monitors.clear();
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
      [self](const p::call_event& e) {
        if (self->state.monitors.count(e.cross_ref) == 0)
          return;  // stopped meanwhile
        send_frame(self, p::event_invoke_id, p::encode_call_event(e, self->state.ns));
      },
  };
}

}  // namespace

session_actor spawn_session(caf::local_actor* parent, connection_actor connection,
                            directory_ptr dir, std::string peer) {
  return parent->spawn(session, std::move(connection), std::move(dir), std::move(peer));
}

}  // namespace cstad
