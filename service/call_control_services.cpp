// Call control and call-associated services: each request becomes one exchange operation on
// the LIM of the device that acts, and its outcome the response.

#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;
using sim::operation_kind;

void handle(session_core& s, const incoming& in, p::make_call_request& r) {
  auto lim = device_lim(s, in, r.calling, "invalidCallingDeviceID");
  if (!lim)
    return;
  auto op = make_op(operation_kind::make_call, r.calling);
  op.other = r.called;
  s.run(in, *lim, std::move(op), connection_response("MakeCallResponse", "callingDevice"));
}

namespace {

// A request on one connection: the operation runs on the LIM of the connection's device.
void run_on_connection(session_core& s, const incoming& in, const p::connection_id& c,
                       sim::operation op, renderer respond, std::string_view bad_call = "invalidCallID") {
  op.device = c.device;
  resolve_connection(s, in, c, bad_call,
                     [&s, in, op = std::move(op), respond = std::move(respond)](const call_route& route) mutable {
                       op.call = route.call;
                       s.run(in, route.lim, std::move(op), std::move(respond));
                     });
}

// Requests on one connection whose positive response is empty.
void run_simple(session_core& s, const incoming& in, const p::connection_id& c, operation_kind kind) {
  run_on_connection(s, in, c, make_op(kind, {}), empty_response(in.name));
}

// TransferCall, ConferenceCall, AlternateCall, ReconnectCall: a held and an active call of the
// same device.
void run_held_active(session_core& s, const incoming& in, const p::held_active_request& r,
                     operation_kind kind, renderer respond) {
  auto active_call = parse_call_id(r.active.call);
  auto same_device = r.active.device == r.held.device;
  auto op = make_op(kind, r.held.device);
  // The decoder requires both callIDs (a device alone would name two calls), so this resolves
  // at once.
  resolve_connection(s, in, r.held, "invalidHeldCallID",
                     [&s, in, active_call, same_device, op = std::move(op),
                      respond = std::move(respond)](const call_route& held) mutable {
                       if (!active_call) {
                         s.refuse(in, p::errors::operation("invalidActiveCallID"));
                         return;
                       }
                       if (!same_device) {
                         s.refuse(in, p::errors::operation("notSameDevice"));
                         return;
                       }
                       op.call = held.call;
                       op.second_call = *active_call;
                       s.run(in, held.lim, std::move(op), std::move(respond));
                     });
}

}  // namespace

void handle(session_core& s, const incoming& in, p::answer_call_request& r) {
  run_simple(s, in, r.call, operation_kind::answer_call);
}

void handle(session_core& s, const incoming& in, p::clear_connection_request& r) {
  run_simple(s, in, r.connection, operation_kind::clear_connection);
}

void handle(session_core& s, const incoming& in, p::hold_call_request& r) {
  run_simple(s, in, r.call, operation_kind::hold_call);
}

void handle(session_core& s, const incoming& in, p::retrieve_call_request& r) {
  run_simple(s, in, r.call, operation_kind::retrieve_call);
}

// ClearCall names no device: it goes to the LIM that owns the call.
void handle(session_core& s, const incoming& in, p::clear_call_request& r) {
  if (auto route = call_lim(s, in, r.call.call)) {
    auto op = make_op(operation_kind::clear_call, {});
    op.call = route->call;
    s.run(in, route->lim, std::move(op), empty_response(in.name));
  }
}

void handle(session_core& s, const incoming& in, p::consultation_call_request& r) {
  auto op = make_op(operation_kind::consultation_call, {});
  op.other = r.consulted;
  run_on_connection(s, in, r.existing, std::move(op),
                    connection_response("ConsultationCallResponse", "initiatedCall"));
}

void handle(session_core& s, const incoming& in, p::transfer_call_request& r) {
  run_held_active(s, in, r, operation_kind::transfer_call,
                  connection_response("TransferCallResponse", "transferredCall"));
}

void handle(session_core& s, const incoming& in, p::conference_call_request& r) {
  run_held_active(s, in, r, operation_kind::conference_call,
                  connection_response("ConferenceCallResponse", "conferenceCall"));
}

void handle(session_core& s, const incoming& in, p::alternate_call_request& r) {
  run_held_active(s, in, r, operation_kind::alternate_call, empty_response(in.name));
}

void handle(session_core& s, const incoming& in, p::reconnect_call_request& r) {
  run_held_active(s, in, r, operation_kind::reconnect_call, empty_response(in.name));
}

void handle(session_core& s, const incoming& in, p::deflect_call_request& r) {
  auto op = make_op(operation_kind::deflect_call, {});
  op.other = r.destination;
  run_on_connection(s, in, r.call, std::move(op), empty_response(in.name));
}

void handle(session_core& s, const incoming& in, p::single_step_transfer_request& r) {
  auto op = make_op(operation_kind::single_step_transfer, {});
  op.other = r.to;
  run_on_connection(s, in, r.active, std::move(op),
                    connection_response("SingleStepTransferCallResponse", "transferredCall"),
                    "invalidActiveCallID");
}

// The joining device must be one of the system's; whether it can join is the exchange's to say.
void handle(session_core& s, const incoming& in, p::single_step_conference_request& r) {
  if (!s.dir().contains(r.join)) {
    s.refuse(in, p::errors::operation("invalidDeviceID"));
    return;
  }
  auto op = make_op(operation_kind::single_step_conference, {});
  op.other = r.join;
  op.flag = r.participation == p::participation_type::silent;
  run_on_connection(s, in, r.active, std::move(op),
                    connection_response("SingleStepConferenceCallResponse", "conferencedCall"),
                    "invalidActiveCallID");
}

void handle(session_core& s, const incoming& in, p::associate_data_request& r) {
  auto op = make_op(operation_kind::associate_data, {});
  op.data = {r.account, r.correlator};
  run_on_connection(s, in, r.call, std::move(op), empty_response(in.name));
}

void handle(session_core& s, const incoming& in, p::generate_digits_request& r) {
  auto op = make_op(operation_kind::generate_digits, {});
  op.text = r.digits;
  run_on_connection(s, in, r.connection, std::move(op), empty_response(in.name));
}

}  // namespace cstad::service
