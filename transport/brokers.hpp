#pragma once
// The broker types behind listener_actor and carrier_actor: their public interfaces plus the
// socket events CAF delivers to them. Only the transport's own .cpp files include this.

#include <caf/io/fwd.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/io/typed_broker.hpp>

#include <chrono>
#include <memory>

#include "transport/carrier_actors.hpp"
#include "transport/tls_context.hpp"
#include "transport/write_window.hpp"

namespace cstad::transport {

using listener_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_connection_msg>, caf::reacts_to<caf::io::acceptor_closed_msg>,
    caf::replies_to<atom::port>::with<std::uint16_t>,
    caf::replies_to<atom::status>::with<listener_status>,
    caf::reacts_to<atom::retired, carrier_stats>,
    caf::reacts_to<atom::drain, caf::timespan>>;

using j2_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_data_msg>, caf::reacts_to<caf::io::connection_closed_msg>,
    caf::reacts_to<caf::io::data_transferred_msg>,
    caf::reacts_to<atom::reply, correlation, std::string>,
    caf::reacts_to<atom::notify, message_batch>,
    caf::reacts_to<atom::close, std::string>,
    caf::reacts_to<atom::consumed, std::uint64_t>,
    caf::reacts_to<atom::trace, std::uint64_t>,
    caf::reacts_to<atom::trace, std::uint64_t, correlation, std::string>,
    caf::replies_to<atom::status>::with<carrier_stats>,
    // With TLS, from its worker (tls_worker.hpp), and the handshake's deadline.
    caf::reacts_to<atom::cipher, std::string>, caf::reacts_to<atom::plain, std::string>,
    caf::reacts_to<atom::tls_up, std::string>, caf::reacts_to<atom::tls_fail, std::string, bool>,
    caf::reacts_to<atom::tls_timeout>,
    // The deadline of a frame begun but not finished (the number says which frame).
    caf::reacts_to<atom::frame_timeout, std::uint64_t>,
    // To itself: what this turn put into the connection's buffer goes to the socket.
    caf::reacts_to<atom::write_now>>;

/// Hands an accepted connection to a new J.2 carrier, which makes its session. With a TLS
/// context, the carrier speaks TLS (through a worker on the scheduler) and makes the session
/// once the handshake is done, which must be within tls_handshake_timeout.
carrier_actor fork_j2_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                 const session_factory& make_session, const write_limits& limits,
                                 const listener_actor& listener, const std::shared_ptr<const tls_context>& tls);

}  // namespace cstad::transport
