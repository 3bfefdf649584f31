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

void resolve_connection(session_core& s, const incoming& in, const p::connection_id& c,
                        std::string_view bad_call, std::function<void(const call_route&)> then) {
  auto call = c.call.empty() ? std::optional<sim::call_id>{} : parse_call_id(c.call);
  if (!call && !c.call.empty()) {
    s.refuse(in, p::errors::operation(bad_call));
    return;
  }
  auto lim = device_lim(s, in, c.device, "invalidConnectionID");
  if (!lim)
    return;
  if (call) {
    then(call_route{*call, *lim});
    return;
  }
  // "Hang up my call": the device's calls are known only to its LIM, so ask it first. The call
  // may change before the operation runs; the exchange then refuses it as for any stale id.
  s.run_then(in, *lim, make_op(sim::operation_kind::snapshot_device, c.device),
             [&s, in, lim = *lim, then = std::move(then)](const sim::outcome& snapshot) {
               if (auto only = only_call(snapshot))
                 then(call_route{*only, lim});
               else
                 s.refuse(in, p::errors::operation("invalidConnectionID"));
             });
}

std::optional<sim::call_id> only_call(const sim::outcome& device_snapshot) {
  if (device_snapshot.connections.size() != 1)
    return std::nullopt;
  return device_snapshot.connections.front().call;
}

renderer empty_response(std::string_view request_name) {
  return [name = std::string{request_name}](const sim::outcome&, std::string_view ns) {
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
