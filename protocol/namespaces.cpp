#include "protocol/namespaces.hpp"

namespace cstad::protocol {

namespace {

// "N" with one or two digits at the start of s, and the rest of s after them.
bool edition_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && n < 3 && s[n] >= '0' && s[n] <= '9')
    ++n;
  if (n == 0 || n > 2)
    return false;
  s.remove_prefix(n);
  return true;
}

}  // namespace

// Exactly the URIs of ECMA-323 (the ecma.ch one of ed2, the ecma-international.org one of later
// editions) with an edition number, and Avaya's /privN after it; nothing longer, so a client
// cannot make every answer repeat a namespace of its own making.
bool is_csta_namespace(std::string_view ns) {
  for (std::string_view base : {"http://www.ecma-international.org/standards/ecma-323/csta/ed",
                                "http://www.ecma.ch/standards/ecma-323/csta/ed"}) {
    if (ns.substr(0, base.size()) != base)
      continue;
    auto rest = ns.substr(base.size());
    if (!edition_number(rest))
      return false;
    if (rest.empty())
      return true;
    constexpr std::string_view priv = "/priv";
    if (rest.substr(0, priv.size()) != priv)
      return false;
    rest.remove_prefix(priv.size());
    return edition_number(rest) && rest.empty();
  }
  return false;
}

std::string_view well_known_namespace(std::string_view ns) {
  for (auto known : {ns_ed3, ns_ed4, ns_ed5, ns_ed6, ns_ed2})
    if (ns == known)
      return known;
  return {};
}

std::string reply_namespace(std::string_view request_ns) {
  if (is_csta_namespace(request_ns))
    return std::string{request_ns};
  return std::string{ns_ed3};
}

}  // namespace cstad::protocol
