#pragma once
// Typed CSTA service requests (client -> server), as the decoder produces them. Device ids are
// already reduced to numbers (see device_id.hpp).

#include <optional>
#include <set>
#include <string>
#include <variant>

#include "protocol/csta_error.hpp"
#include "protocol/event_cause.hpp"

namespace cstad::protocol {

/// ConnectionID: a call and a device on it. Either may be absent on the wire.
struct connection_id {
  std::string call;
  std::string device;

  friend bool operator==(const connection_id& a, const connection_id& b) {
    return a.call == b.call && a.device == b.device;
  }
};

template <class Inspector>
auto inspect(Inspector& f, connection_id& x) {
  return f(x.call, x.device);
}

enum class monitor_type : unsigned char { device, call };

struct monitor_start_request {
  std::string device;                   // monitorObject/deviceObject
  std::optional<connection_id> call;    // monitorObject/callObject
  monitor_type type = monitor_type::device;
  std::set<std::string> suppressed;     // filter names set to true ("true" = do not send)
};

struct monitor_stop_request {
  std::string cross_ref;
};

struct make_call_request {
  std::string calling;
  std::string called;
  bool prompt = false;  // autoOriginate=prompt: ring the caller first
};

struct answer_call_request {
  connection_id call;
};

struct clear_connection_request {
  connection_id connection;
  std::optional<event_cause> reason;
};

struct clear_call_request {
  connection_id call;
};

using request = std::variant<monitor_start_request, monitor_stop_request, make_call_request,
                             answer_call_request, clear_connection_request, clear_call_request>;

}  // namespace cstad::protocol
