// Routeing services: registrations and dialogues live in the exchange of the routeing group's
// LIM, and their ids are from that LIM's id block, so a RouteRegisterCancel, RouteSelect or
// RouteEnd goes to the LIM its id names. RouteSelect and RouteEnd have no positive response
// (ECMA-269: the service does not always respond); a refusal is answered with the error.

#include "service/routeing.hpp"

#include "protocol/encode_request.hpp"
#include "protocol/responses.hpp"
#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;
using sim::operation_kind;

std::string routeing_owner(const session_core& s) { return s.peer(); }

void deliver_route_message(session_core& s, const sim::route_message& m) {
  if (m.what == sim::route_message::kind::request) {
    p::route_request r{m.registration, m.cross_ref, s.client_form(m.current_route),
                       m.calling.empty() ? std::string{} : s.client_form(m.calling),
                       {std::to_string(m.call), s.client_form(m.group)}};
    s.notify(p::encode_route_request(r, s.ns()));
    return;
  }
  p::route_end_request end;
  end.register_id = m.registration;
  end.cross_ref = m.cross_ref;
  if (!m.error.value.empty())
    end.error = m.error;
  s.notify(p::encode_request(end, s.ns()));
}

void handle(session_core& s, const incoming& in, p::route_register_request& r) {
  if (auto lim = device_lim(s, in, r.device)) {
    auto op = make_op(operation_kind::route_register, r.device);
    op.owner = routeing_owner(s);
    s.run(in, *lim, std::move(op), [](const sim::outcome& out, std::string_view ns) {
      return p::encode_route_register_response(out.reference, ns);
    });
  }
}

void handle(session_core& s, const incoming& in, p::route_register_cancel_request& r) {
  // The registration id names its LIM as a call id does (call_lim).
  if (auto route = call_lim(s, in, r.register_id, "invalidRouteRegistrationCrossRefID")) {
    auto op = make_op(operation_kind::route_register_cancel, {});
    op.text = r.register_id;
    op.owner = routeing_owner(s);
    s.run(in, route->lim, std::move(op), empty_response(in.name));
  }
}

namespace {

// RouteSelect and RouteEnd: one operation on the dialogue's LIM; no answer when it succeeds.
void run_on_dialogue(session_core& s, const incoming& in, sim::operation op, const std::string& cross_ref,
                     const std::string& register_id) {
  auto route = call_lim(s, in, cross_ref, "invalidRouteingCrossRefID");
  if (!route)
    return;
  op.text = cross_ref;
  op.group = register_id;
  op.owner = routeing_owner(s);
  s.run_then(in, route->lim, std::move(op), [](const sim::outcome&) {});
}

}  // namespace

void handle(session_core& s, const incoming& in, p::route_select_request& r) {
  auto op = make_op(operation_kind::route_select, {});
  op.other = r.selected;
  run_on_dialogue(s, in, std::move(op), r.cross_ref, r.register_id);
}

void handle(session_core& s, const incoming& in, p::route_end_request& r) {
  run_on_dialogue(s, in, make_op(operation_kind::route_end, {}), r.cross_ref, r.register_id);
}

}  // namespace cstad::service
