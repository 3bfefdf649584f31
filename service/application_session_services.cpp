// ECMA-354 application sessions: start, keep-alive and stop; expiry is the core's on_wake.

#include "common/log.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;

void handle(session_core& s, const incoming& in, p::start_application_session_request& r) {
  auto a = s.app().start(r, s.policy(), in.now);
  s.reply_session(in, a.document, a.ok);
  if (!a.ok) {
    log::session().warn("{}: application session for '{}' (user '{}') refused", s.peer(),
                        r.application_id, r.user_name.value_or(""));
    return;
  }
  s.count_application_session();
  log::session().info("{}: application session {} started for '{}' (user '{}')", s.peer(),
                      s.app().id(), r.application_id, r.user_name.value_or(""));
  s.set_ns(*s.app().protocol_version());
  s.wake_at(s.app().deadline());
}

void handle(session_core& s, const incoming& in, p::reset_application_session_timer_request& r) {
  auto a = s.app().reset(r, s.policy(), in.now);
  s.reply_session(in, a.document, a.ok);
  if (a.ok)
    s.wake_at(s.app().deadline());
}

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
