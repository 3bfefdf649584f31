#pragma once
// The namespaces a CSTA client may speak in. Input is matched by local name whatever the
// namespace (ed2..ed6, Avaya .../privN, prefixed or none); replies go out in the client's own.

#include <string>
#include <string_view>

namespace cstad::protocol {

inline constexpr std::string_view ns_ed2 = "http://www.ecma.ch/standards/ecma-323/csta/ed2";
inline constexpr std::string_view ns_ed3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3";
inline constexpr std::string_view ns_ed4 = "http://www.ecma-international.org/standards/ecma-323/csta/ed4";
inline constexpr std::string_view ns_ed5 = "http://www.ecma-international.org/standards/ecma-323/csta/ed5";
inline constexpr std::string_view ns_ed6 = "http://www.ecma-international.org/standards/ecma-323/csta/ed6";
inline constexpr std::string_view ns_appl_session =
    "http://www.ecma-international.org/standards/ecma-354/appl_session";

/// The namespace to answer in for a request that arrived in request_ns: the same URI when it
/// is an ECMA-323 namespace, ed3 when the client used none (or something foreign).
std::string reply_namespace(std::string_view request_ns);

/// ns as the constant above that spells it (the same characters at one address for every
/// session, so a cache of an encoding can recognise it by address), or empty when it is none.
std::string_view well_known_namespace(std::string_view ns);

/// True for any ECMA-323 CSTA namespace, including Avaya's .../edN/privN variants.
bool is_csta_namespace(std::string_view ns);

}  // namespace cstad::protocol
