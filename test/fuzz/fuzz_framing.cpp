// libFuzzer target: the Annex J.2 frame decoder, fed the input in chunks whose sizes the input
// itself chooses. Every frame it yields must encode back to the bytes it came from.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/framing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::size_t chunk = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  cstad::protocol::frame_decoder d;
  while (!rest.empty()) {
    auto part = rest.substr(0, chunk);
    rest.remove_prefix(part.size());
    d.feed(part);
    for (;;) {
      auto r = d.next();
      if (r.state != cstad::protocol::frame_decoder::status::frame_ready)
        break;
      auto again = cstad::protocol::encode_frame(r.value.invoke_id, r.value.body);
      if (!again || again->size() != r.value.body.size() + cstad::protocol::frame_header_size)
        std::abort();
    }
  }
  return 0;
}
