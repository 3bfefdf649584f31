// libFuzzer target: XML -> typed request. Whatever arrives, decoding returns a request or a
// decode failure carrying a CSTA error; it never throws or crashes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "protocol/decode_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto result = cstad::protocol::decode_request(xml);
  if (auto f = std::get_if<cstad::protocol::decode_failure>(&result))
    if (f->error.value.empty())
      std::abort();  // every failure must name the error the client gets
  return 0;
}
