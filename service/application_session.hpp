#pragma once

#include <cstddef>
// The ECMA-354 application session of one client connection: negotiation of the protocol
// version and duration, keep-alive and expiry. Pure logic on an injected time (no CAF), so the
// session actor only schedules its expiry check. Who may start a session is the
// authenticator's question (authenticator.hpp), asked between check() and start().

#include <chrono>
#include <optional>
#include <string>

#include "protocol/application_session.hpp"
#include "sim/clock.hpp"

namespace cstad::service {

/// What the operator configured (csta -i / csta_authentication in MX-ONE terms).
struct session_policy {
  bool required = false;  // CSTA requests are refused until a session is started (auth=mandatory)
  int default_duration = 300;  // seconds, when the client asks for none
  int min_duration = 10;
  int max_duration = 3600;
  bool status_on_connect = false;  // a SystemStatus (normal) to each client as it connects
  // How long an application session outlives a lost connection, waiting to be taken over by a
  // new one (Avaya's sessionCleanupDelay): the default for clients that ask for none, the most
  // a client may ask for, and how many messages are held for it meanwhile (past that it ends).
  int cleanup_delay = 0;
  int max_cleanup_delay = 600;
  std::size_t max_held_messages = 10000;
  // What one session may hold: monitors (objectMonitorLimitExceeded) and requests waiting for
  // the exchange (outstandingReqLimitExceeded).
  std::size_t max_monitors = 100000;
  std::size_t max_outstanding = 1000;
};

class application_session {
public:
  using time_point = sim::time_point;

  struct answer {
    std::string document;  // the Pos or Neg response to send
    bool ok = false;
  };

  /// Whether a StartApplicationSession can start a session at all (none is active, a protocol
  /// version is one we speak): nothing when it can, else the Neg response.
  std::optional<std::string> check(const protocol::start_application_session_request& r) const;
  /// StartApplicationSession, once check() and the authenticator agreed; the duration granted
  /// is at most account_max_duration seconds when that is not zero.
  answer start(const protocol::start_application_session_request& r, const session_policy& policy,
               time_point now, int account_max_duration = 0);
  /// The same, carrying on with an earlier session's id (the client recovers that session).
  answer resume(const protocol::start_application_session_request& r, const session_policy& policy,
                time_point now, int account_max_duration, const std::string& id);
  /// ResetApplicationSessionTimer.
  answer reset(const protocol::reset_application_session_timer_request& r,
               const session_policy& policy, time_point now);
  /// StopApplicationSession.
  answer stop(const protocol::stop_application_session_request& r);

  bool active() const { return active_; }
  const std::string& id() const { return id_; }
  /// The CSTA namespace agreed on (actualProtocolVersion), if a session negotiated one.
  const std::optional<std::string>& protocol_version() const { return version_; }
  /// When the session expires unless reset.
  time_point deadline() const { return deadline_; }
  bool expired(time_point now) const { return active_ && now >= deadline_; }
  /// Ends an expired session; returns the ApplicationSessionTerminated document.
  std::string terminate_expired();
  /// Ends the session for a reason of the server's (e.g. its CSTA server was removed); returns
  /// the ApplicationSessionTerminated document.
  std::string terminate(const std::string& server_reason);

private:
  int grant(std::optional<int> requested, const session_policy& policy, int cap = 0) const;
  /// The first CSTA edition the client offers that we speak; ed3 when it offers none.
  static std::optional<std::string> version_for(const protocol::start_application_session_request& r);

  bool active_ = false;
  int cap_ = 0;  // the account's longest duration, kept for keep-alives
  std::string id_;
  std::optional<std::string> version_;
  time_point deadline_{};
};

}  // namespace cstad::service
