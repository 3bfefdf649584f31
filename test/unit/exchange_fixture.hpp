#pragma once
// A small exchange on a manual clock, and a compact text form of domain events so a test can
// state the exact sequence of events, with each observer's state, in one readable line each:
//   "delivered 1001 newCall | 1000:connected 1001:alerting"

#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/exchange.hpp"

namespace cstad::test {

inline const char* kind_name(sim::domain_event_kind k) {
  static const char* names[] = {"service_initiated", "originated", "delivered", "established",
                                "connection_cleared", "held", "retrieved", "transferred",
                                "conferenced", "diverted", "failed", "network_reached",
                                "digits_generated", "do_not_disturb", "forwarding", "queued",
                                "agent_logged_on", "agent_logged_off", "agent_ready",
                                "agent_not_ready", "agent_busy", "agent_working_after_call",
                                "message_waiting", "call_information"};
  static_assert(sizeof(names) / sizeof(names[0]) == sim::domain_event_kind_count);
  return names[static_cast<int>(k)];
}

inline std::string describe(const sim::domain_event& e) {
  std::ostringstream s;
  s << kind_name(e.kind) << ' ' << e.subject << ' ' << protocol::to_string(e.cause) << " |";
  for (auto& o : e.observers)
    s << ' ' << o.device << ':' << protocol::to_string(o.state);
  return s.str();
}

/// The events collected so far, described, and forgotten.
inline std::vector<std::string> take_described(std::vector<sim::domain_event>& events) {
  std::vector<std::string> out;
  for (auto& e : events)
    out.push_back(describe(e));
  events.clear();
  return out;
}

struct exchange_fixture {
  sim::manual_clock clock;
  sim::exchange ex{sim::number_plan::from_json(R"({
      "ranges": [{"first": "1000", "last": "1009", "kind": "ip"}],
      "devices": [{"number": "2000", "kind": "analog"}, {"number": "2001", "kind": "cas"},
                  {"number": "2002", "kind": "virtual"}, {"number": "2003", "kind": "dect"}],
      "trunk_prefix": "0"})"),
                   clock};
  std::vector<sim::domain_event> events;

  /// The events since the last call, described, and forgotten.
  std::vector<std::string> take() { return take_described(events); }

  /// a calls b, b answers; events forgotten.
  sim::call_id connected(const std::string& a, const std::string& b) {
    auto made = ex.make_call(a, b, events);
    REQUIRE(made);
    REQUIRE(ex.answer_call(made.call, b, events));
    events.clear();
    return made.call;
  }

  protocol::connection_state state_of(sim::call_id id, const std::string& device) const {
    auto c = ex.find_call(id);
    REQUIRE(c != nullptr);
    auto p = c->find(device);
    REQUIRE(p != nullptr);
    return p->state;
  }
};

using lines = std::vector<std::string>;

}  // namespace cstad::test
