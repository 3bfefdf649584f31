#pragma once
// The actor interfaces between carriers and sessions, and of the listeners. They carry only
// XML text and opaque correlations, so carriers (transport/) know nothing of CSTA services and
// a session knows nothing of envelopes. actors/actors.hpp builds the rest of cstad's
// interfaces on these.
//
//   listener ──accepts──▶ carrier (J.2 over TCP or TLS; later SIP) ──request──▶ session
//                            ▲                                                   │
//                            └────────────── reply / notify / close ─────────────┘

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "transport/carrier_stats.hpp"
#include "transport/correlation.hpp"
#include "transport/listener_role.hpp"
#include "common/message_batch.hpp"
#include "transport/sip_path.hpp"
#include "common/trace_selection.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(cstad_transport, caf::first_custom_type_id)
  CAF_ADD_ATOM(cstad_transport, cstad::atom, request, "request")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, reply, "reply")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, notify, "notify")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, close, "close")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, broken, "broken")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, status, "status")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, retired, "retired")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, port, "port")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, drain, "drain")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, cipher, "cipher")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, plain, "plain")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, tls_up, "tlsup")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, tls_fail, "tlsfail")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, tls_timeout, "tlstimeout")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, frame_timeout, "frametime")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, sip_in, "sipin")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, sip_out, "sipout")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, sip_gone, "sipgone")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, sip_wake, "sipwake")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, dialog, "dialog")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, overload, "overload")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, consumed, "consumed")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, trace, "trace")
  CAF_ADD_ATOM(cstad_transport, cstad::atom, write_now, "writenow")
  CAF_ADD_TYPE_ID(cstad_transport, (std::vector<std::string>))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::transport::correlation))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::message_batch))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::transport::carrier_stats))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::transport::listener_role))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::transport::listener_status))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::transport::sip_path))
  CAF_ADD_TYPE_ID(cstad_transport, (cstad::trace_selection))
CAF_END_TYPE_ID_BLOCK(cstad_transport)

namespace cstad {

namespace transport {
/// A session reports the requests it has taken (atom::consumed) after every this many.
constexpr std::uint64_t session_ack_interval = 16;
/// A carrier stops reading while this many requests it handed its session are not yet taken,
/// and reads on under half of it.
constexpr std::uint64_t max_untaken_requests = 4 * session_ack_interval;
}  // namespace transport

/// What a carrier hands its session.
using session_inbox_actor = caf::typed_actor<
    // One request's XML, and where its answer goes.
    caf::reacts_to<atom::request, transport::correlation, std::string>,
    // A request that cannot be read; answer it (operation/generic), then close: the carrier has
    // lost its framing.
    caf::reacts_to<atom::broken, transport::correlation, std::string>,
    // The carrier lost its framing and has nothing to answer; close.
    caf::reacts_to<atom::broken, std::string>,
    // The client reads too slowly: more than the high-water mark of output waits for it (true),
    // or it has caught up again (false). The session tells its client (SystemStatus).
    caf::reacts_to<atom::overload, bool>,
    // From a TR/87 carrier, before any request: the session carries the SIP dialog with this
    // id (csta -p shows it, csta -t --session chooses it) for this line (the client's text;
    // the wire trace follows the session for --device of that line).
    caf::reacts_to<atom::dialog, std::string, std::string>>;

/// One client connection (or SIP dialog) as its session sees it.
using carrier_actor = caf::typed_actor<
    // The answer to the request with this correlation.
    caf::reacts_to<atom::reply, transport::correlation, std::string>,
    // Messages the client did not ask for (events, list segments, a session termination), in
    // order: all that one turn of the session produced, so that they cost one message here and
    // go out together.
    caf::reacts_to<atom::notify, message_batch>,
    // Ends the connection once everything sent before has gone out; the reason is logged.
    caf::reacts_to<atom::close, std::string>,
    // How many requests the session has taken in so far (now and then, not for each): a carrier
    // stops reading while too many it handed over are not yet taken (backpressure).
    caf::reacts_to<atom::consumed, std::uint64_t>,
    // The wire trace follows this connection under the selection with this number: its session
    // was chosen by its sessionID or a device, which only the session knows.
    caf::reacts_to<atom::trace, std::uint64_t>,
    // The same, from this request on: the carrier had passed it on untraced before the session
    // read the device in it, and writes it now.
    caf::reacts_to<atom::trace, std::uint64_t, transport::correlation, std::string>,
    // The counters of this connection.
    caf::replies_to<atom::status>::with<transport::carrier_stats>>;

/// Accepts connections for one role and gives each a carrier and a session.
using listener_actor = caf::typed_actor<
    // The port it is bound to (useful when asked for port 0).
    caf::replies_to<atom::port>::with<std::uint16_t>,
    // Role, address, and the counters of all its connections, open and ended.
    caf::replies_to<atom::status>::with<transport::listener_status>,
    // One of its connections ended with these counters.
    caf::reacts_to<atom::retired, transport::carrier_stats>,
    // Stops accepting and ends once its connections have (their sessions close them), or after
    // the grace time, closing whatever is left.
    caf::reacts_to<atom::drain, caf::timespan>>;

/// Makes the session of a new connection: the listener's owner decides what a session is.
/// peer: the client's address, for logs.
using session_factory =
    std::function<session_inbox_actor(const carrier_actor& carrier, const std::string& peer)>;

}  // namespace cstad
