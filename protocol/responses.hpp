#pragma once
// Positive responses (server -> client).

#include <string>
#include <string_view>

#include "protocol/requests.hpp"

namespace cstad::protocol {

/// <MonitorStartResponse><monitorCrossRefID>…</monitorCrossRefID></MonitorStartResponse>
std::string encode_monitor_start_response(std::string_view cross_ref, std::string_view ns);

/// <MakeCallResponse><callingDevice><callID/><deviceID/></callingDevice></MakeCallResponse>
std::string encode_make_call_response(const connection_id& calling, std::string_view ns);

/// An empty positive response to the request named request_name: <request_nameResponse/>.
std::string encode_empty_response(std::string_view request_name, std::string_view ns);

}  // namespace cstad::protocol
