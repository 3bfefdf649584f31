#pragma once
// Typed request -> XML: the client side of the codec (test clients, load generators, a CSTA
// client library). Elements in schema order, in namespace ns (ECMA-354 requests always in the
// application-session namespace).

#include <string>
#include <string_view>

#include "protocol/requests.hpp"

namespace cstad::protocol {

std::string encode_request(const request& r, std::string_view ns);

}  // namespace cstad::protocol
