#include "protocol/application_session.hpp"

#include "protocol/namespaces.hpp"
#include "protocol/xml_writer.hpp"

namespace cstad::protocol {
namespace {

std::string neg_response(std::string_view root, std::string_view defined_error) {
  xml_writer w(root, ns_appl_session);
  w.open("errorCode");
  w.leaf("definedError", defined_error);
  w.close("errorCode");
  return w.finish();
}

}  // namespace

std::string encode_start_application_session_pos_response(std::string_view session_id,
                                                          std::string_view protocol_version,
                                                          int duration) {
  xml_writer w("StartApplicationSessionPosResponse", ns_appl_session);
  w.leaf("sessionID", session_id);
  w.leaf("actualProtocolVersion", protocol_version);
  w.leaf("actualSessionDuration", std::to_string(duration));
  return w.finish();
}

std::string encode_start_application_session_neg_response(std::string_view defined_error) {
  return neg_response("StartApplicationSessionNegResponse", defined_error);
}

std::string encode_transfer_monitor_objects_response(std::string_view ns) {
  xml_writer w("TransferMonitorObjectsResponse", ns);
  return w.finish();
}

std::string encode_stop_application_session_pos_response() {
  xml_writer w("StopApplicationSessionPosResponse", ns_appl_session);
  return w.finish();
}

std::string encode_stop_application_session_neg_response(std::string_view defined_error) {
  return neg_response("StopApplicationSessionNegResponse", defined_error);
}

std::string encode_reset_application_session_timer_pos_response(int duration) {
  xml_writer w("ResetApplicationSessionTimerPosResponse", ns_appl_session);
  w.leaf("actualSessionDuration", std::to_string(duration));
  return w.finish();
}

std::string encode_reset_application_session_timer_neg_response(std::string_view defined_error) {
  return neg_response("ResetApplicationSessionTimerNegResponse", defined_error);
}

std::string encode_application_session_terminated(std::string_view session_id,
                                                  std::string_view defined_reason) {
  xml_writer w("ApplicationSessionTerminated", ns_appl_session);
  w.leaf("sessionID", session_id);
  w.open("sessionTermReason");
  w.leaf("definedTermReason", defined_reason);
  w.close("sessionTermReason");
  return w.finish();
}

std::string encode_application_session_terminated_by_server(std::string_view session_id,
                                                            std::string_view server_reason) {
  xml_writer w("ApplicationSessionTerminated", ns_appl_session);
  w.leaf("sessionID", session_id);
  w.open("sessionTermReason");
  w.leaf("serverTermReason", server_reason);
  w.close("sessionTermReason");
  return w.finish();
}

std::optional<std::string> encode_application_session_neg_response(std::string_view request_name,
                                                                   std::string_view defined_error) {
  if (request_name == "StartApplicationSession")
    return encode_start_application_session_neg_response(defined_error);
  if (request_name == "StopApplicationSession")
    return encode_stop_application_session_neg_response(defined_error);
  if (request_name == "ResetApplicationSessionTimer")
    return encode_reset_application_session_timer_neg_response(defined_error);
  return std::nullopt;
}

}  // namespace cstad::protocol
