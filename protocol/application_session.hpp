#pragma once
// ECMA-354 Application Session Services messages (namespace .../ecma-354/appl_session), carried
// in the same frames as CSTA. Credentials are not part of ECMA-354 itself: vendors put a
// SessionLoginInfo with userName/password into applicationInfo/applicationSpecificInfo, each in
// their own namespace (Avaya, Eltex, ...); any namespace is accepted.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cstad::protocol {

struct start_application_session_request {
  static constexpr std::string_view root = "StartApplicationSession";
  std::string application_id;
  std::optional<std::string> user_name;  // SessionLoginInfo, when the client sent one
  std::optional<std::string> password;
  std::vector<std::string> protocol_versions;  // requestedProtocolVersions, in order
  std::optional<int> requested_duration;       // seconds
  // Avaya's session recovery (SessionLoginInfo): how long the session may outlive a lost
  // connection (sessionCleanupDelay, seconds), and the session to carry on with (sessionID,
  // when not empty).
  std::optional<int> cleanup_delay;
  std::string resume_session_id;
};

/// TransferMonitorObjects (Avaya DMCC, in the negotiated CSTA namespace): the monitors of an
/// earlier session of the client move to its current one.
struct transfer_monitor_objects_request {
  static constexpr std::string_view root = "TransferMonitorObjects";
  std::string from_session_id;
  std::string to_session_id;
};

struct stop_application_session_request {
  static constexpr std::string_view root = "StopApplicationSession";
  std::string session_id;
  std::string end_reason;  // definedEndReason or appEndReason text
};

struct reset_application_session_timer_request {
  static constexpr std::string_view root = "ResetApplicationSessionTimer";
  std::string session_id;
  std::optional<int> requested_duration;
};

// Server messages.
std::string encode_start_application_session_pos_response(std::string_view session_id,
                                                          std::string_view protocol_version,
                                                          int duration);
/// definedError: invalidApplicationInfo, requestedProtocolVersionNotSupported,
/// serverResourcesBusy, maxNumberSessions.
std::string encode_start_application_session_neg_response(std::string_view defined_error);
std::string encode_stop_application_session_pos_response();
/// definedError: invalidSessionID.
std::string encode_stop_application_session_neg_response(std::string_view defined_error);
std::string encode_reset_application_session_timer_pos_response(int duration);
/// definedError: invalidSessionID, serverCannotResetSessionTimer.
std::string encode_reset_application_session_timer_neg_response(std::string_view defined_error);
/// definedTermReason: resourceLimitation, sessionTimerExpired.
std::string encode_application_session_terminated(std::string_view session_id,
                                                  std::string_view defined_reason);
/// The same with the server's own reason (serverTermReason), e.g. "CSTA server removed".
std::string encode_application_session_terminated_by_server(std::string_view session_id,
                                                            std::string_view server_reason);

/// TransferMonitorObjectsResponse, in the CSTA namespace ns.
std::string encode_transfer_monitor_objects_response(std::string_view ns);

/// The negative response for a broken ECMA-354 request of the given root name, or nothing when
/// the name is not an ECMA-354 request.
std::optional<std::string> encode_application_session_neg_response(std::string_view request_name,
                                                                   std::string_view defined_error);

}  // namespace cstad::protocol
