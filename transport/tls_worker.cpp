#include "transport/tls_worker.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "transport/tls_engine.hpp"

namespace cstad::transport {
namespace {

struct tls_worker_state {
  static inline const char* name = "cstad.tls-worker";
  std::unique_ptr<tls_engine> engine;
  tls_carrier_actor carrier;
  bool reported = false;  // the end was told to the carrier
};

using worker_pointer = tls_worker_actor::stateful_pointer<tls_worker_state>;

// Passes on what an engine call produced: bytes for the socket first (an alert must go out
// before the carrier closes), then the handshake's end, the plaintext, a failure.
void pass_on(worker_pointer self, bool was_up, std::string& out, std::string& plain) {
  auto& st = self->state;
  if (!out.empty())
    self->send(st.carrier, atom::cipher_v, std::move(out));
  if (!was_up && st.engine->established())
    self->send(st.carrier, atom::tls_up_v,
               st.engine->version() + " " + st.engine->cipher() + ", client certificate " +
                   st.engine->peer_subject());
  if (!plain.empty())
    self->send(st.carrier, atom::plain_v, std::move(plain));
  if (st.reported)
    return;
  if (st.engine->failed()) {
    st.reported = true;
    self->send(st.carrier, atom::tls_fail_v, st.engine->failure(), false);
  } else if (st.engine->peer_closed()) {
    st.reported = true;
    self->send(st.carrier, atom::tls_fail_v, std::string{"the client ended TLS (close_notify)"}, true);
  }
}

tls_worker_actor::behavior_type tls_worker(worker_pointer self, std::shared_ptr<const tls_context> ctx,
                                           tls_carrier_actor carrier) {
  self->state.engine = std::make_unique<tls_engine>(std::move(ctx));
  self->state.carrier = std::move(carrier);
  return {
      [self](atom::cipher, const std::string& bytes) {
        std::string plain, out;
        bool was_up = self->state.engine->established();
        self->state.engine->feed(bytes, plain, out);
        pass_on(self, was_up, out, plain);
      },
      [self](atom::plain, const std::string& frame) {
        std::string out, none;
        self->state.engine->write(frame, out);
        pass_on(self, true, out, none);
      },
      [self](atom::close) {
        std::string out;
        self->state.engine->close(out);
        self->quit();
        return out;
      },
  };
}

}  // namespace

tls_worker_actor spawn_tls_worker(caf::actor_system& sys, std::shared_ptr<const tls_context> ctx,
                                  tls_carrier_actor carrier) {
  return sys.spawn(tls_worker, std::move(ctx), std::move(carrier));
}

}  // namespace cstad::transport
