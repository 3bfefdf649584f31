#pragma once
// The broker types behind listener_actor and carrier_actor: their public interfaces plus the
// socket events CAF delivers to them. Only the transport's own .cpp files include this.

#include <caf/io/fwd.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/io/typed_broker.hpp>

#include "transport/carrier_actors.hpp"
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
    caf::reacts_to<atom::notify, std::string>,
    caf::reacts_to<atom::close, std::string>,
    caf::replies_to<atom::status>::with<carrier_stats>>;

/// Hands an accepted connection to a new J.2 carrier, which makes its session.
carrier_actor fork_j2_connection(listener_broker* parent, caf::io::connection_handle hdl,
                                 const session_factory& make_session, const write_limits& limits,
                                 const listener_actor& listener);

}  // namespace cstad::transport
