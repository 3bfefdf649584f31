#pragma once
// Which request an answer belongs to, as far as the session knows: an opaque token that the
// carrier gave the request and reads back from the answer. Annex J.2 puts the invoke id in it;
// a SIP carrier puts the number of the transaction whose response must carry the answer.

#include <cstdint>

namespace cstad::transport {

struct correlation {
  std::uint64_t token = 0;
  // The client used the id the server's own messages carry (Annex J.2's 9999): the message
  // can only be an answer to one of them (SystemStatusResponse), never a request.
  bool reserved = false;

  friend bool operator==(const correlation& a, const correlation& b) {
    return a.token == b.token && a.reserved == b.reserved;
  }
  friend bool operator!=(const correlation& a, const correlation& b) { return !(a == b); }
};

template <class Inspector>
auto inspect(Inspector& f, correlation& x) {
  return f(x.token, x.reserved);
}

}  // namespace cstad::transport
