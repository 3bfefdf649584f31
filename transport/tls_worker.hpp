#pragma once
// The TLS work of one connection, on the scheduler's threads: the carrier (a broker on the
// multiplexer's single thread) only moves bytes, so a burst of handshakes or bulk encryption
// does not stall the byte I/O of every other connection. Messages between the two keep their
// order, so records and frames stay in sequence. Only transport's .cpp files include this.

#include <chrono>
#include <memory>
#include <string>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "transport/carrier_actors.hpp"
#include "transport/tls_context.hpp"

namespace cstad::transport {

/// How long a TLS client has to finish its handshake; then its carrier drops it.
inline constexpr auto tls_handshake_timeout = std::chrono::seconds(10);

/// What the worker takes from its carrier.
using tls_worker_actor = caf::typed_actor<
    // Ciphertext from the socket.
    caf::reacts_to<atom::cipher, std::string>,
    // Plaintext (a whole frame) to send.
    caf::reacts_to<atom::plain, std::string>,
    // The close_notify to send last; the worker ends.
    caf::replies_to<atom::close>::with<std::string>>;

/// What the worker gives its carrier.
using tls_carrier_actor = caf::typed_actor<
    // Ciphertext for the socket.
    caf::reacts_to<atom::cipher, std::string>,
    // Plaintext the client sent.
    caf::reacts_to<atom::plain, std::string>,
    // The handshake is done: version, cipher suite and the client certificate's subject.
    caf::reacts_to<atom::tls_up, std::string>,
    // The connection is over: why; orderly when the client sent close_notify.
    caf::reacts_to<atom::tls_fail, std::string, bool>>;

/// Counts how a connection's TLS handshake ended (outcome: tls_handshakes, _failures or
/// _timeouts), the first end only: a timeout followed by the close is one failed handshake.
inline void count_handshake(carrier_stats& stats, bool& counted, std::uint64_t carrier_stats::*outcome) {
  if (counted)
    return;
  counted = true;
  ++(stats.*outcome);
}

tls_worker_actor spawn_tls_worker(caf::actor_system& sys, std::shared_ptr<const tls_context> ctx,
                                  tls_carrier_actor carrier);

}  // namespace cstad::transport
