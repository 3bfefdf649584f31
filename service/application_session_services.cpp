// ECMA-354 application sessions: start, keep-alive and stop; expiry is the core's on_wake.

#include "common/log.hpp"
#include "common/printable.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;

// Refusals that need no authenticator come at once; otherwise the authenticator decides, and
// the core answers when it has (session_core::on_authenticated).
void handle(session_core& s, const incoming& in, p::start_application_session_request& r) {
  if (auto refusal = s.app().check(r)) {
    log::session().warn("{}: application session for '{}' refused", s.peer(), printable(r.application_id));
    s.reply_session(in, *refusal, false);
    return;
  }
  s.authenticate(in, std::move(r));
}

void handle(session_core& s, const incoming& in, p::reset_application_session_timer_request& r) {
  auto a = s.app().reset(r, s.policy(), in.now);
  s.reply_session(in, a.document, a.ok);
  if (a.ok)
    s.wake_at(s.app().deadline());
}

// Avaya DMCC's session recovery: the monitors of the client's earlier session move to this one
// (session_recovery.cpp).
void handle(session_core& s, const incoming& in, p::transfer_monitor_objects_request& r) { s.transfer_monitors(in, r); }

void handle(session_core& s, const incoming& in, p::stop_application_session_request& r) {
  auto a = s.app().stop(r);
  s.reply_session(in, a.document, a.ok);
  if (a.ok) {
    log::session().info("{}: application session {} stopped ({})", s.peer(), r.session_id,
                        r.end_reason);
    s.release_monitors();
  }
}

}  // namespace cstad::service
