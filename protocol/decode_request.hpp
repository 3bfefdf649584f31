#pragma once
// XML -> typed request. Tolerant the way real clients need: elements matched by local name in
// any namespace (or none), children in any order, empty optional elements ignored.

#include <string>
#include <string_view>
#include <variant>

#include "protocol/csta_error.hpp"
#include "protocol/requests.hpp"

namespace cstad::protocol {

struct decoded_request {
  std::string name;  // root element's local name, e.g. "MakeCall"
  std::string ns;    // root element's namespace URI as the client sent it
  request value;
};

struct decode_failure {
  std::string name;  // root element's local name when the XML was readable
  std::string ns;
  csta_error error;  // what the client is told (a CSTAErrorCode) ...
  std::string reason;  // what the log says
  std::string session_error;  // ... or, for an ECMA-354 request, its Neg response's definedError
};

using decode_result = std::variant<decoded_request, decode_failure>;

/// Never throws.
decode_result decode_request(std::string_view xml);

struct xml_element;
/// The same for a document already parsed.
decode_result decode_request(const xml_element& root);

/// True when `name` is the root element of a request this codec knows.
bool is_request_name(std::string_view name);

}  // namespace cstad::protocol
