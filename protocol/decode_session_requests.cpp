// Decoders of ECMA-354's application session requests (request_decoding.hpp). Their errors
// are the session service's own (category unspecified, the value its Neg response names), not
// CSTAErrorCodes; decode_as makes them so.

#include "protocol/request_decoding.hpp"

namespace cstad::protocol::decoding {

namespace {

// Session durations are whole seconds; anything else (or beyond a day) is refused.
std::optional<int> read_duration(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoi(text);
}


// SessionLoginInfo may sit at any depth below applicationSpecificInfo, in any namespace.
const xml_element* find_login(const xml_element& e) {
  if (e.name == "SessionLoginInfo")
    return &e;
  for (auto& c : e.children)
    if (auto found = find_login(c))
      return found;
  return nullptr;
}

}  // namespace

field_error decode(const xml_element& root, start_application_session_request& r, device_reader&) {
  auto info = root.child("applicationInfo");
  auto id = info != nullptr ? info->child("applicationID") : nullptr;
  // The element is required, its text is not: Avaya DMCC clients always send <applicationID/>.
  // Whether "" may start a session is the account's business (authenticator), not the codec's.
  if (id == nullptr)
    return csta_error{error_category::unspecified, "invalidApplicationInfo"};
  r.application_id = id->text;
  if (auto specific = info->child("applicationSpecificInfo"))
    if (auto login = find_login(*specific)) {
      auto user = login->child("userName");
      auto pass = login->child("password");
      if (user != nullptr)
        r.user_name = user->text;
      if (pass != nullptr)
        r.password = pass->text;
      if (auto delay = login->child_text("sessionCleanupDelay")) {
        r.cleanup_delay = read_duration(*delay);
        if (!r.cleanup_delay)
          return csta_error{error_category::unspecified, "invalidApplicationInfo"};
      }
      if (auto id = login->child_text("sessionID"))
        r.resume_session_id = *id;
    }
  if (auto versions = root.child("requestedProtocolVersions"))
    for (auto& v : versions->children)
      if (v.name == "protocolVersion" && !v.text.empty())
        r.protocol_versions.push_back(v.text);
  if (auto duration = root.child_text("requestedSessionDuration")) {
    r.requested_duration = read_duration(*duration);
    if (!r.requested_duration)
      return csta_error{error_category::unspecified, "invalidApplicationInfo"};
  }
  return std::nullopt;
}

field_error decode(const xml_element& root, transfer_monitor_objects_request& r, device_reader&) {
  auto from = root.child_text("fromSessionID");
  auto to = root.child_text("toSessionID");
  if (from == nullptr || from->empty() || to == nullptr)
    return csta_error{error_category::operation, "invalidParameterValue"};
  r.from_session_id = *from;
  r.to_session_id = *to;
  return std::nullopt;
}

field_error decode(const xml_element& root, stop_application_session_request& r, device_reader&) {
  auto id = root.child_text("sessionID");
  if (id == nullptr)
    return csta_error{error_category::unspecified, "invalidSessionID"};
  r.session_id = *id;
  if (auto reason = root.child("sessionEndReason"))
    for (auto& c : reason->children)
      r.end_reason = c.text;
  return std::nullopt;
}

field_error decode(const xml_element& root, reset_application_session_timer_request& r,
                   device_reader&) {
  auto id = root.child_text("sessionID");
  if (id == nullptr)
    return csta_error{error_category::unspecified, "invalidSessionID"};
  r.session_id = *id;
  if (auto duration = root.child_text("requestedSessionDuration")) {
    r.requested_duration = read_duration(*duration);
    if (!r.requested_duration)
      return csta_error{error_category::unspecified, "serverCannotResetSessionTimer"};
  }
  return std::nullopt;
}

}  // namespace cstad::protocol::decoding
