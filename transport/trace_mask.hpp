#pragma once
// What the wire trace may show of a message: everything but passwords. ECMA-354's
// SessionLoginInfo and ECMA-269's SetAgentState both carry a <password> element (with any
// namespace prefix); its text becomes "***". A textual scan, not a parse: the trace shows also
// what does not parse, and it must cost nothing when the trace is off (callers check first).

#include <string>
#include <string_view>

namespace cstad::transport {

std::string mask_passwords(std::string_view xml);

}  // namespace cstad::transport
