#include "service/request_translation.hpp"

#include "protocol/responses.hpp"
#include "sim/system_ids.hpp"

namespace cstad::service {

namespace p = protocol;

std::optional<sim::call_id> parse_call_id(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::stoull(std::string{text});
}

sim::operation make_op(sim::operation_kind kind, std::string device) {
  sim::operation op;
  op.kind = kind;
  op.device = std::move(device);
  return op;
}

std::optional<int> device_lim(session_core& s, const incoming& in, const std::string& number,
                              std::string_view error_value) {
  if (auto range = s.dir().find(number))
    return range->lim;
  s.refuse(in, p::errors::operation(error_value));
  return std::nullopt;
}

std::optional<call_route> call_lim(session_core& s, const incoming& in, std::string_view call,
                                   std::string_view error_value) {
  auto id = parse_call_id(call);
  if (!id || !s.dir().has_lim(sim::lim_of(*id))) {
    s.refuse(in, p::errors::operation(error_value));
    return std::nullopt;
  }
  return call_route{*id, sim::lim_of(*id)};
}

std::optional<call_route> resolve_connection(session_core& s, const incoming& in,
                                             const p::connection_id& c, std::string_view bad_call) {
  auto call = parse_call_id(c.call);
  if (!call) {
    s.refuse(in, p::errors::operation(bad_call));
    return std::nullopt;
  }
  auto lim = device_lim(s, in, c.device, "invalidConnectionID");
  if (!lim)
    return std::nullopt;
  return call_route{*call, *lim};
}

renderer empty_response(std::string request_name) {
  return [name = std::move(request_name)](const sim::outcome&, std::string_view ns) {
    return p::encode_empty_response(name, ns);
  };
}

renderer connection_response(std::string root, std::string element) {
  return [root = std::move(root), element = std::move(element)](const sim::outcome& out,
                                                                std::string_view ns) {
    return p::encode_connection_response(root, element, {std::to_string(out.call), out.device}, ns);
  };
}

}  // namespace cstad::service
