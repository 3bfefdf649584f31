#pragma once
// Device identifiers arrive in many forms: plain numbers ("1000"), Lync tel: URIs
// ("tel:1000;phone-context=dialstring"), SIP URIs ("sip:1000@pbx"), OpenScape "N<1000>;noa=nk".
// The exchange knows devices by their number, so requests are reduced to it.

#include <string>
#include <string_view>

namespace cstad::protocol {

/// The dialable number inside a device identifier; the input unchanged when it has no known
/// decoration. A leading '+' is kept: it is part of an outside number.
std::string device_number(std::string_view device_id);

}  // namespace cstad::protocol
