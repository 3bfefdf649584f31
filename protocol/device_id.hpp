#pragma once
// Device identifiers arrive in many forms: plain numbers ("1000"), Lync tel: URIs
// ("tel:1000;phone-context=dialstring", "tel:+4687001000;ext=1000"), SIP URIs
// ("sip:1000@pbx;user=phone"), OpenScape "N<1000>;noa=nk". The exchange knows devices by their
// number, so requests are reduced to it; which global number is which extension is the number
// plan's business (sim/number_forms.hpp).

#include <string>
#include <string_view>

namespace cstad::protocol {

/// The dialable number inside a device identifier: without the URI scheme (tel:, sip:, sips:),
/// its parameters and the host of a SIP URI, and, in a telephone number (tel:, or a SIP URI
/// with user=phone), without visual separators ("-", ".", "(", ")", spaces). An `ext`
/// parameter wins: it is the extension. A leading '+' is kept: it makes a global number.
/// When what is left is no number (digits, '*', '#', after an optional '+'), the input is
/// returned unchanged: it names nothing this reduction could improve on.
std::string device_number(std::string_view device_id);

}  // namespace cstad::protocol
