#pragma once
// The switching function of one LIM: calls, connections and their states, driven by
// operations (make call, answer, clear) and reporting every change as a domain event.
// Single-threaded and deterministic; time comes from the injected clock.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/csta_error.hpp"
#include "sim/clock.hpp"
#include "sim/domain_event.hpp"
#include "sim/number_plan.hpp"
#include "sim/operation.hpp"

namespace cstad::sim {

/// One device's connection to a call.
struct party {
  std::string device;
  protocol::connection_state state = protocol::connection_state::null;
  time_point since{};  // when it entered this state
};

struct call {
  call_id id = 0;
  std::string calling;
  std::string called;
  time_point started{};
  std::vector<party> parties;

  const party* find(const std::string& device) const;
  party* find(const std::string& device);
};

class exchange {
public:
  exchange(number_plan plan, const clock& clk);

  const number_plan& plan() const { return plan_; }

  /// Runs one operation; the changes it causes are appended to out, in order.
  outcome apply(const operation& op, std::vector<domain_event>& out);

  /// Third-party make call: the caller is connected at once (autoOriginate doNotPrompt) and
  /// the called device starts alerting.
  outcome make_call(const std::string& calling, const std::string& called,
                    std::vector<domain_event>& out);
  /// The alerting device answers.
  outcome answer_call(call_id id, const std::string& device, std::vector<domain_event>& out);
  /// The device leaves the call; a two-party call then ends for the other party as well.
  outcome clear_connection(call_id id, const std::string& device,
                           std::vector<domain_event>& out);
  /// Every party leaves the call.
  outcome clear_call(call_id id, std::vector<domain_event>& out);

  const call* find_call(call_id id) const;
  std::size_t call_count() const { return calls_.size(); }

private:
  void set_state(call& c, party& p, protocol::connection_state s);
  domain_event make_event(domain_event_kind kind, const call& c, const std::string& subject,
                          protocol::event_cause cause) const;
  void release(call& c, const std::string& device, protocol::event_cause cause,
               std::vector<domain_event>& out);
  std::optional<protocol::csta_error> check_party(call_id id, const std::string& device,
                                                  call*& c, party*& p);

  number_plan plan_;
  const clock& clock_;
  call_id next_call_id_ = 1;
  std::unordered_map<call_id, call> calls_;
};

}  // namespace cstad::sim
