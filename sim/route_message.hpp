#pragma once
// What the exchange tells the application that routes the calls of an ACD group (ECMA-269
// routeing services): a RouteRequest when a call arrives at the group, a RouteEnd when the
// dialogue is over. Plain data in an outbox of its own (exchange::take_route_messages): it is
// addressed to one registration, not to the monitors of the devices on the call, so it does
// not travel with the domain events. The LIM hands each to the session that holds the
// registration.

#include <string>

#include "protocol/csta_error.hpp"
#include "sim/domain_event.hpp"

namespace cstad::sim {

struct route_message {
  enum class kind : unsigned char {
    request,  // where does this call go? (RouteRequest)
    end,      // the dialogue is over (RouteEnd): routed (error empty), or why not
  };
  kind what = kind::request;
  std::string registration;  // routeRegisterReqID: whom it is for
  std::string cross_ref;     // routingCrossRefID: the dialogue
  std::string group;         // the routeing device
  std::string current_route; // request: the number the call was for
  std::string calling;       // request: the caller
  call_id call = 0;          // request: the call, waiting at the group
  protocol::csta_error error;  // end: why it ended; an empty value: the call was routed

  friend bool operator==(const route_message& a, const route_message& b) {
    return a.what == b.what && a.registration == b.registration && a.cross_ref == b.cross_ref &&
           a.group == b.group && a.current_route == b.current_route && a.calling == b.calling &&
           a.call == b.call && a.error == b.error;
  }
};

template <class Inspector>
auto inspect(Inspector& f, route_message& x) {
  return f(x.what, x.registration, x.cross_ref, x.group, x.current_route, x.calling, x.call, x.error);
}

}  // namespace cstad::sim
