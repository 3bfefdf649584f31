// libFuzzer target: XML -> typed messages. Whatever arrives, every decoder (requests,
// responses, events, CSTAErrorCode) returns a message or nothing / a decode failure carrying a
// CSTA error; none throws or crashes, and what decodes re-encodes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "protocol/csta_error.hpp"
#include "protocol/csta_event.hpp"
#include "protocol/decode_request.hpp"
#include "protocol/encode_request.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/response_messages.hpp"
#include "protocol/xml_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cstad::protocol;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto result = decode_request(xml);
  if (auto f = std::get_if<decode_failure>(&result)) {
    if (f->error.value.empty())
      std::abort();  // every failure must name the error the client gets
  } else if (encode_request(std::get<decoded_request>(result).value, ns_ed3).empty()) {
    std::abort();
  }
  auto parsed = parse_xml(xml);
  if (auto root = std::get_if<xml_element>(&parsed)) {
    if (auto r = decode_response(*root))
      if (encode_response(*r, ns_ed3).empty())
        std::abort();  // a response that decodes has a document to go back to
    if (auto e = decode_event(*root))
      (void)encode_event(*e, ns_ed3);
    (void)decode_csta_error(*root);
  }
  return 0;
}
