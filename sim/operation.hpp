#pragma once
// A request to the exchange, in domain terms (no XML): what the session asks and the LIM runs.

#include <string>

#include "protocol/csta_error.hpp"
#include "sim/domain_event.hpp"

namespace cstad::sim {

enum class operation_kind : unsigned char { make_call, answer_call, clear_connection, clear_call };

struct operation {
  operation_kind kind = operation_kind::make_call;
  std::string device;  // the acting device (calling device, answering device, …)
  std::string other;   // the other device where the operation has one (called device)
  call_id call = 0;
};

template <class Inspector>
auto inspect(Inspector& f, operation& x) {
  return f(x.kind, x.device, x.other, x.call);
}

/// The result of an operation: refused with one ECMA-269 error, or done.
struct outcome {
  bool refused = false;
  protocol::csta_error error;
  call_id call = 0;

  static outcome done(call_id id) { return {false, {}, id}; }
  static outcome refuse(protocol::csta_error e) { return {true, std::move(e), 0}; }
  explicit operator bool() const { return !refused; }
};

template <class Inspector>
auto inspect(Inspector& f, outcome& x) {
  return f(x.refused, x.error, x.call);
}

}  // namespace cstad::sim
