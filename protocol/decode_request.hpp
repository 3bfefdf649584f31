#pragma once
// XML -> typed request. Tolerant the way real clients need: elements matched by local name in
// any namespace (or none), children in any order, empty optional elements ignored.

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/csta_error.hpp"
#include "protocol/requests.hpp"

namespace cstad::protocol {

/// One device identifier of a request: the number the request carries for it, and the text
/// the client wrote (a server answers in the client's form).
struct device_form {
  std::string number;
  std::string as_sent;

  friend bool operator==(const device_form& a, const device_form& b) {
    return a.number == b.number && a.as_sent == b.as_sent;
  }
};

struct decoded_request {
  std::string name;  // root element's local name, e.g. "MakeCall"
  std::string ns;    // root element's namespace URI as the client sent it
  request value;
  std::vector<device_form> devices;  // every device identifier, in the order they were read
};

/// Reduces a device identifier to the number a request carries for it.
using device_resolver = std::function<std::string(std::string_view device_id)>;

struct decode_failure {
  std::string name;  // root element's local name when the XML was readable
  std::string ns;
  csta_error error;  // what the client is told (a CSTAErrorCode) ...
  std::string reason;  // what the log says
  std::string session_error;  // ... or, for an ECMA-354 request, its Neg response's definedError
};

using decode_result = std::variant<decoded_request, decode_failure>;

/// Never throws. Device identifiers are reduced with device_number (device_id.hpp).
decode_result decode_request(std::string_view xml);

struct xml_element;
/// The same for a document already parsed.
decode_result decode_request(const xml_element& root);
/// The same, device identifiers reduced by `resolve` (a server that knows its number plan).
decode_result decode_request(const xml_element& root, const device_resolver& resolve);

/// True when `name` is the root element of a request this codec knows.
bool is_request_name(std::string_view name);

}  // namespace cstad::protocol
