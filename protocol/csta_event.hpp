#pragma once
// A call-control event as one monitor sees it. The call-control events of ECMA-269 share one
// shape (a connection, a subject device, calling/called devices, the monitored device's local
// connection state and a cause), so one struct and one encoder serve them all.

#include <optional>
#include <string>

#include "protocol/connection_state.hpp"
#include "protocol/event_cause.hpp"
#include "protocol/requests.hpp"

namespace cstad::protocol {

enum class call_event_type : unsigned char {
  service_initiated,
  originated,
  delivered,
  established,
  connection_cleared,
};

/// Root element name, e.g. "DeliveredEvent".
std::string_view root_name(call_event_type t);
/// Monitor-filter name of the event, e.g. "delivered".
std::string_view filter_name(call_event_type t);

struct call_event {
  call_event_type type = call_event_type::delivered;
  std::string cross_ref;          // monitorCrossRefID
  connection_id connection;       // initiated/originated/established/dropped connection
  std::string subject;            // initiating/calling/alerting/answering/releasing device
  std::string calling;            // callingDevice (not in ServiceInitiated/ConnectionCleared)
  std::string called;             // calledDevice
  std::string last_redirection;   // lastRedirectionDevice; empty = notRequired
  connection_state local = connection_state::null;  // the monitored device's own state
  event_cause cause = event_cause::normal;
};

template <class Inspector>
auto inspect(Inspector& f, call_event& x) {
  return f(x.type, x.cross_ref, x.connection, x.subject, x.calling, x.called,
           x.last_redirection, x.local, x.cause);
}

/// The event document in namespace ns, elements in schema order.
std::string encode_call_event(const call_event& e, std::string_view ns);

}  // namespace cstad::protocol
