#pragma once
// The actors behind a TR/87 listener (listener.hpp starts it): the listener broker owns the TCP
// acceptor and the UDP socket of one port, a connection broker per TCP client cuts its stream
// into SIP messages, and the agent (on the scheduler) holds the dialogs (tr87_registry) and
// their sessions. Only transport's .cpp files include this.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/io/fwd.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/io/typed_broker.hpp>

#include "transport/carrier_actors.hpp"
#include "transport/listener.hpp"
#include "transport/sip_path.hpp"
#include "transport/tls_context.hpp"

namespace cstad::transport {

using tr87_agent_actor = caf::typed_actor<
    // A message from a client, and where it came from.
    caf::reacts_to<atom::sip_in, sip_path, std::string>,
    // A client's stream closed: the dialogs it carried end.
    caf::reacts_to<atom::sip_gone, caf::actor>,
    // From the carrier of dialog N: its session's answers, events and end.
    caf::reacts_to<atom::reply, std::uint64_t, correlation, std::string>,
    caf::reacts_to<atom::notify, std::uint64_t, std::string>,
    caf::reacts_to<atom::close, std::uint64_t, std::string>,
    // From the carrier of dialog N: the wire trace follows it under the selection with this
    // number, its session says; the requests it holds unanswered are written now.
    caf::reacts_to<atom::trace, std::uint64_t, std::uint64_t>,
    // Time for repeats and session timers.
    caf::reacts_to<atom::sip_wake>,
    // The listener stops: every dialog ends with a BYE; answered when they are sent.
    caf::replies_to<atom::drain>::with<bool>>;

using sip_listener_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_connection_msg>, caf::reacts_to<caf::io::acceptor_closed_msg>,
    caf::reacts_to<atom::sip_out, std::int64_t, std::string>,
    caf::replies_to<atom::port>::with<std::uint16_t>, caf::replies_to<atom::status>::with<listener_status>,
    caf::reacts_to<atom::retired, carrier_stats>, caf::reacts_to<atom::drain, caf::timespan>>;

using sip_connection_broker = caf::io::typed_broker<
    caf::reacts_to<caf::io::new_data_msg>, caf::reacts_to<caf::io::connection_closed_msg>,
    caf::reacts_to<atom::sip_out, std::string>,
    // With TLS, from its worker (tls_worker.hpp), and the handshake's deadline.
    caf::reacts_to<atom::cipher, std::string>, caf::reacts_to<atom::plain, std::string>,
    caf::reacts_to<atom::tls_up, std::string>, caf::reacts_to<atom::tls_fail, std::string, bool>,
    caf::reacts_to<atom::tls_timeout>>;

/// The agent of a listener: settings for its dialogs over streams (TLS or TCP) and over UDP.
tr87_agent_actor spawn_tr87_agent(caf::actor_system& sys, const std::string& host, std::uint16_t port, bool tls,
                                  session_factory make_session);

/// A TCP client of a SIP listener; with a TLS context, a TLS client.
caf::actor fork_sip_connection(sip_listener_broker* parent, caf::io::connection_handle hdl, tr87_agent_actor agent,
                               const std::shared_ptr<const tls_context>& tls);

/// The SIP listener (TCP and UDP on host:port).
listener_actor spawn_sip_listener(caf::actor_system& sys, listener_settings settings, session_factory make_session);

}  // namespace cstad::transport
