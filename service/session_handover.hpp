#pragma once
// What one session hands another when a client recovers its session on a new connection
// (Avaya DMCC style: StartApplicationSession naming the old sessionID, or
// TransferMonitorObjects): the monitors, which keep their cross-references, filters, forms and
// namespaces, and the messages the old session held for its lost connection, in order. Plain
// data, sent between session actors.

#include <string>
#include <vector>

#include "sim/domain_event.hpp"

namespace cstad::service {

struct monitor_handover {
  std::string cross_ref;
  std::string device;  // a device monitor's number
  sim::call_id call = 0;  // a call monitor's call
  int lim = 0;
  std::string form;
  std::vector<std::string> suppressed;
  std::string ns;
  bool out_of_service = false;
};

template <class Inspector>
auto inspect(Inspector& f, monitor_handover& x) {
  return f(x.cross_ref, x.device, x.call, x.lim, x.form, x.suppressed, x.ns, x.out_of_service);
}

struct session_handover {
  std::vector<monitor_handover> monitors;
  std::vector<std::string> held;  // messages for the client, not yet sent, oldest first
};

template <class Inspector>
auto inspect(Inspector& f, session_handover& x) {
  return f(x.monitors, x.held);
}

}  // namespace cstad::service
