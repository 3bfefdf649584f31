// Monitoring services. A device monitor lives with the device's actor on the device's LIM, a
// call monitor with the LIM that owns the call; the session keeps which is which.

#include "protocol/responses.hpp"
#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;

void handle(session_core& s, const incoming& in, p::monitor_start_request& r) {
  if (r.call) {
    if (auto route = call_lim(s, in, r.call->call))
      s.start_monitor(in, route->lim, {{}, route->call}, std::move(r.suppressed), r.filtered);
    return;
  }
  if (auto lim = device_lim(s, in, r.device))
    s.start_monitor(in, *lim, {r.device, 0}, std::move(r.suppressed), r.filtered);
}

void handle(session_core& s, const incoming& in, p::monitor_stop_request& r) {
  if (s.find_monitor(r.cross_ref) == nullptr) {
    s.refuse(in, p::errors::operation("invalidMonitorCrossRefID"));
    return;
  }
  s.stop_monitor(r.cross_ref);
  s.reply(in, p::encode_empty_response(in.name, s.ns()));
}

void handle(session_core& s, const incoming& in, p::change_monitor_filter_request& r) {
  if (s.find_monitor(r.cross_ref) == nullptr) {
    s.refuse(in, p::errors::operation("invalidMonitorCrossRefID"));
    return;
  }
  s.change_filter(r.cross_ref, std::move(r.suppressed));
  s.reply(in, p::encode_empty_response(in.name, s.ns()));
}

}  // namespace cstad::service
