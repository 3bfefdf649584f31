// Snapshots: SnapshotDevice runs on the device's LIM, SnapshotCall on the call's.

#include "protocol/responses.hpp"
#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;

namespace {

std::vector<p::snapshot_entry> snapshot_entries(const sim::outcome& out) {
  std::vector<p::snapshot_entry> list;
  for (auto& c : out.connections)
    list.push_back({{std::to_string(c.call), c.device}, c.state});
  return list;
}

}  // namespace

void handle(session_core& s, const incoming& in, p::snapshot_device_request& r) {
  if (auto lim = device_lim(s, in, r.device))
    s.run(in, *lim, make_op(sim::operation_kind::snapshot_device, r.device),
          [](const sim::outcome& out, std::string_view ns) {
            return p::encode_snapshot_device_response(snapshot_entries(out), ns);
          });
}

void handle(session_core& s, const incoming& in, p::snapshot_call_request& r) {
  if (auto route = call_lim(s, in, r.call.call)) {
    auto op = make_op(sim::operation_kind::snapshot_call, {});
    op.call = route->call;
    s.run(in, route->lim, std::move(op), [](const sim::outcome& out, std::string_view ns) {
      return p::encode_snapshot_call_response(snapshot_entries(out), ns);
    });
  }
}

}  // namespace cstad::service
