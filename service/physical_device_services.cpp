// Physical device services: the message waiting indicator, kept by the exchange of the device's
// LIM (like do-not-disturb), one operation there.

#include "protocol/responses.hpp"
#include "service/request_translation.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;
using sim::operation_kind;

void handle(session_core& s, const incoming& in, p::set_message_waiting_indicator_request& r) {
  if (auto lim = device_lim(s, in, r.device)) {
    auto op = make_op(operation_kind::set_message_waiting, r.device);
    op.flag = r.on;
    s.run(in, *lim, std::move(op), empty_response(in.name));
  }
}

void handle(session_core& s, const incoming& in, p::get_message_waiting_indicator_request& r) {
  if (auto lim = device_lim(s, in, r.device))
    s.run(in, *lim, make_op(operation_kind::get_message_waiting, r.device),
          [](const sim::outcome& out, std::string_view ns) {
            return p::encode_get_message_waiting_indicator_response(out.flag, ns);
          });
}

}  // namespace cstad::service
