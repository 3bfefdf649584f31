#pragma once
// The server's side of routeing by an application (ECMA-269 routeing services): what a session
// sends its client when the exchange asks the application registered there where a call goes
// (RouteRequest) or ends the dialogue (RouteEnd). The session actor calls it with each
// sim::route_message its LIM hands it; the requests (RouteRegister, RouteSelect, …) are in the
// service table like any other.

#include "service/session_core.hpp"
#include "sim/route_message.hpp"

namespace cstad::service {

/// The message goes to the client as a notification (invoke id 9999 on Annex J.2: protocol.md
/// section 8 leaves the invoke ids of server-originated requests open, and this server sends
/// SystemStatus so too), in the session's namespace and its client's forms of the numbers.
void deliver_route_message(session_core& s, const sim::route_message& m);

/// Who an operation of this session acts for (sim::operation::owner): the exchange lets only
/// the session that registered act on a registration and its dialogues. The LIM actor, which
/// knows the sending session itself, may put its own identity in its place.
std::string routeing_owner(const session_core& s);

}  // namespace cstad::service
