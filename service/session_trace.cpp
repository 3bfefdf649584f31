// Whether the wire trace follows this session. A selection by sessionID or by device is the
// session's to decide (its carrier knows neither); once chosen, the session tells its carrier
// (a trace effect) and stays chosen until the selection changes. A TR/87 session is chosen by
// its dialog's id as by a sessionID, and by its line as by a monitored device.

#include <algorithm>

#include "common/client_peer.hpp"
#include "service/session_core.hpp"

namespace cstad::service {

using by = trace_selection::by;


void session_core::on_dialog(std::string id, std::string_view line) {
  dialog_id_ = std::move(id);
  if (!line.empty())
    line_number_ = resolve_(line);
  effects_.push_back(effect::announce{dialog_id_});  // csta -t --session finds it by the node
  trace_if_chosen();  // its first INVITE is still held by the carrier, and written now
}

void session_core::on_trace_selection(const trace_selection& s) {
  if (s.generation < trace_.generation)
    return;  // an older one, overtaken (the node tells a new session, and every session)
  trace_ = s;
  trace_if_chosen();
}

bool session_core::traced() const {
  switch (trace_.who) {
    case by::nobody:
      return false;
    case by::everyone:
      return true;
    case by::client:
      return names_client(trace_, client_endpoint(peer_));
    case by::session:
    case by::device:
      return traced_ == trace_.generation;
  }
  return false;
}

bool session_core::chosen_for_trace() const {
  if (trace_.who == by::session)
    return (app_.active() && app_.id() == trace_.value) || (!dialog_id_.empty() && dialog_id_ == trace_.value);
  if (trace_.who == by::device)
    return (!line_number_.empty() && line_number_ == trace_.value) ||
           std::any_of(monitors_.begin(), monitors_.end(), [&](const auto& m) {
             return !m.second.target.is_call() && m.second.target.device == trace_.value;
           });
  return false;
}

void session_core::trace_if_chosen() {
  if (awaiting_trace() && chosen_for_trace())
    mark_traced(std::nullopt, {});
}

void session_core::trace_if_named(const protocol::decoded_request& req, transport::correlation corr,
                                  std::string_view xml) {
  if (trace_.who != by::device || !awaiting_trace())
    return;
  if (std::any_of(req.devices.begin(), req.devices.end(),
                  [&](const protocol::device_form& d) { return d.number == trace_.value; }))
    mark_traced(corr, xml);
}

void session_core::mark_traced(std::optional<transport::correlation> request, std::string_view xml) {
  traced_ = trace_.generation;
  effects_.push_back(effect::trace{traced_, request, std::string{xml}});
}

}  // namespace cstad::service
