#pragma once
// What the wire trace may show of a message: everything but passwords. ECMA-354's
// SessionLoginInfo and ECMA-269's SetAgentState both carry a <password> element (with any
// namespace prefix); its text becomes "***". A SIP message (TR/87) may carry credentials in its
// Authorization and Proxy-Authorization headers, and in the userinfo of its SIP URIs, too. A
// textual scan, not a parse: the trace shows also what does not parse, and it must cost
// nothing when the trace is off (callers check first).

#include <string>
#include <string_view>

namespace cstad::transport {

std::string mask_passwords(std::string_view xml);

/// A SIP message as the trace may show it: the credentials of its Authorization and
/// Proxy-Authorization headers become "***" (the scheme stays: "Digest ***"), so does the
/// password of a SIP URI in its start line and headers ("sip:alice:***@host"), and passwords
/// in its body as mask_passwords has them.
std::string mask_sip(std::string_view message);

}  // namespace cstad::transport
