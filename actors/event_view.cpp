#include "actors/event_view.hpp"

namespace cstad {
namespace {

protocol::call_event_type type_of(sim::domain_event_kind k) {
  using sim::domain_event_kind;
  using protocol::call_event_type;
  switch (k) {
    case domain_event_kind::service_initiated: return call_event_type::service_initiated;
    case domain_event_kind::originated: return call_event_type::originated;
    case domain_event_kind::delivered: return call_event_type::delivered;
    case domain_event_kind::established: return call_event_type::established;
    case domain_event_kind::connection_cleared: return call_event_type::connection_cleared;
  }
  return call_event_type::delivered;
}

}  // namespace

std::optional<protocol::call_event> view_of(const sim::domain_event& e, const std::string& device) {
  const sim::observer* self = nullptr;
  for (auto& o : e.observers)
    if (o.device == device)
      self = &o;
  if (self == nullptr)
    return std::nullopt;
  protocol::call_event out;
  out.type = type_of(e.kind);
  out.connection = {std::to_string(e.call), e.subject};
  out.subject = e.subject;
  out.calling = e.calling;
  out.called = e.called;
  out.local = self->state;
  out.cause = e.cause;
  return out;
}

}  // namespace cstad
