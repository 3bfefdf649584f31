#include "service/event_view.hpp"

namespace cstad::service {
namespace {

using sim::domain_event_kind;
using protocol::event_type;

event_type type_of(domain_event_kind k) {
  switch (k) {
    case domain_event_kind::service_initiated: return event_type::service_initiated;
    case domain_event_kind::originated: return event_type::originated;
    case domain_event_kind::delivered: return event_type::delivered;
    case domain_event_kind::established: return event_type::established;
    case domain_event_kind::connection_cleared: return event_type::connection_cleared;
    case domain_event_kind::held: return event_type::held;
    case domain_event_kind::retrieved: return event_type::retrieved;
    case domain_event_kind::transferred: return event_type::transferred;
    case domain_event_kind::conferenced: return event_type::conferenced;
    case domain_event_kind::diverted: return event_type::diverted;
    case domain_event_kind::failed: return event_type::failed;
    case domain_event_kind::network_reached: return event_type::network_reached;
    case domain_event_kind::digits_generated: return event_type::digits_generated;
    case domain_event_kind::do_not_disturb: return event_type::do_not_disturb;
    case domain_event_kind::forwarding: return event_type::forwarding;
    case domain_event_kind::queued: return event_type::queued;
    case domain_event_kind::agent_logged_on: return event_type::agent_logged_on;
    case domain_event_kind::agent_logged_off: return event_type::agent_logged_off;
    case domain_event_kind::agent_ready: return event_type::agent_ready;
    case domain_event_kind::agent_not_ready: return event_type::agent_not_ready;
    case domain_event_kind::agent_busy: return event_type::agent_busy;
    case domain_event_kind::agent_working_after_call: return event_type::agent_working_after_call;
    case domain_event_kind::message_waiting: return event_type::message_waiting;
    case domain_event_kind::call_information: return event_type::call_information;
  }
  static_assert(static_cast<std::size_t>(domain_event_kind::call_information) + 1 ==
                    sim::domain_event_kind_count,
                "domain_event_kind_count must count every kind");
  return event_type::delivered;
}

std::string call_text(sim::call_id id) { return id == 0 ? std::string{} : std::to_string(id); }

}  // namespace

namespace {

// The event's fields; local is left for the caller to set.
protocol::csta_event render(const sim::domain_event& e) {
  protocol::csta_event out;
  out.type = type_of(e.kind);
  out.connection = {call_text(e.call), e.subject};
  out.secondary = {call_text(e.secondary_call), e.subject};
  out.subject = e.subject;
  out.other = e.kind == domain_event_kind::network_reached ? e.text : e.other;
  out.calling = e.calling;
  out.called = e.called;
  out.last_redirection = e.last_redirection;
  // A device that joined the call (old call 0: single-step conference) had no old connection.
  for (auto& m : e.moves) {
    auto old_connection = m.old_call == 0 ? protocol::connection_id{}
                                          : protocol::connection_id{call_text(m.old_call), m.device};
    out.moved.push_back({{call_text(m.new_call), m.device}, std::move(old_connection)});
  }
  out.cause = e.cause;
  out.text = e.text;
  out.flag = e.flag;
  out.forwarding = e.forwarding;
  out.agent_id = e.agent_id;
  out.group = e.group;
  out.pending = e.pending;
  out.number_queued = e.number_queued;
  out.calls_in_front = e.calls_in_front;
  out.account = e.data.account;
  out.correlator = e.data.correlator;
  return out;
}

}  // namespace

std::optional<protocol::csta_event> view_of(const sim::domain_event& e, const std::string& device) {
  for (auto& o : e.observers)
    if (o.device == device) {
      auto out = render(e);
      out.local = o.state;
      return out;
    }
  return std::nullopt;
}

protocol::csta_event call_view(const sim::domain_event& e) {
  auto out = render(e);
  for (auto& o : e.observers)
    if (o.device == e.subject)
      out.local = o.state;
  return out;
}

const std::vector<protocol::event_type>& events_sent() {
  static const auto types = [] {
    std::vector<protocol::event_type> out;
    for (std::size_t k = 0; k < sim::domain_event_kind_count; ++k)
      out.push_back(type_of(static_cast<domain_event_kind>(k)));
    out.push_back(event_type::call_cleared);
    // The session's own, when a LIM of the system goes down and comes back.
    out.push_back(event_type::out_of_service);
    out.push_back(event_type::back_in_service);
    return out;
  }();
  return types;
}

}  // namespace cstad::service
