#include "protocol/namespaces.hpp"

namespace cstad::protocol {

bool is_csta_namespace(std::string_view ns) {
  return ns.find("/ecma-323/csta/ed") != std::string_view::npos;
}

std::string reply_namespace(std::string_view request_ns) {
  if (is_csta_namespace(request_ns))
    return std::string{request_ns};
  return std::string{ns_ed3};
}

}  // namespace cstad::protocol
