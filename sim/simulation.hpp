#pragma once
// The simulated world around the exchange: people at their phones (behaviour profiles) and
// outside callers arriving as traffic. It owns the exchange, applies operations to it, and
// reacts to the exchange's events by scheduling what the people will do. Deterministic: one
// seeded random generator, time from the injected clock.

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/behaviour.hpp"
#include "sim/exchange.hpp"
#include "sim/timer_queue.hpp"
#include "sim/traffic.hpp"

namespace cstad::sim {

struct simulation_config {
  std::unordered_map<std::string, behaviour_profile> people;  // device -> how its user behaves
  std::optional<behaviour_profile> outside;  // outside numbers called from inside answer so
  std::vector<traffic_config> traffic;
  std::uint64_t seed = 1;                    // for the people's draws

  /// {"people":[{"first":"1010","last":"1019","profile":{…}}], "outside":{…},
  ///  "traffic":[{"target":"6000","calls_per_hour":360,"seed":1,"patience":{"exponential":60}}]}
  /// where a distribution is {"fixed":s}, {"uniform":[lo,hi]} or {"exponential":mean}.
  static simulation_config from_json(std::string_view text);
  /// People for the demo exchange's call centre; no traffic.
  static simulation_config demo();
};

class simulation {
public:
  simulation(number_plan plan, simulation_config config, const clock& clk,
             exchange_timing timing = {}, call_id first_call = 1);
  simulation(const simulation&) = delete;  // people_at_ points into its own config_
  simulation& operator=(const simulation&) = delete;

  exchange& switching() { return ex_; }
  const exchange& switching() const { return ex_; }

  /// Runs a client's operation; the people react to what it causes.
  outcome apply(const operation& op, std::vector<domain_event>& out);
  /// Applies another LIM's signal (exchange::receive); the people react to what it causes,
  /// and what they do is signalled on through the exchange's outbox (switching().take_signals).
  outcome receive(const inter_lim_signal& s, std::vector<domain_event>& out);
  /// Another LIM is gone (exchange::far_lim_lost); the people react to what it causes.
  void far_lim_lost(const std::function<bool(const std::string&)>& on_lost_lim,
                    std::vector<domain_event>& out);
  /// Runs everything due at the clock's time: the exchange's timers, people, traffic.
  void tick(std::vector<domain_event>& out);
  std::optional<time_point> next_timer() const;

  /// Counters of every traffic stream added up.
  traffic_counters counters() const;
  const std::vector<traffic_counters> stream_counters() const;

private:
  struct action {
    enum class kind : unsigned char {
      answer, hang_up, external_answer, external_hang_up, abandon, arrival, take_break, back_to_ready
    };
    kind what = kind::answer;
    call_id call = 0;
    std::string device;
    std::size_t stream = 0;
  };
  struct stream {
    traffic_config config;
    traffic_counters counters;
    std::uint64_t callers = 0;  // outside numbers handed out so far
    std::mt19937_64 rng;
  };
  struct traffic_call {
    std::size_t stream = 0;
    std::string caller;
    time_point arrived{};
    bool answered = false;
    bool abandoned = false;
    // The caller's abandon, while it is queued; cancelled once it can no longer happen.
    std::optional<timer_queue<action>::handle> patience = std::nullopt;
  };

  timer_queue<action>::handle schedule(duration after, action a);
  void run(const action& a, std::vector<domain_event>& out);
  void observe(std::vector<domain_event>& out, std::size_t from);
  void arrive(std::size_t index, std::vector<domain_event>& out);
  void settle(call_id id);
  /// The caller's abandon can no longer do anything: it leaves the queue.
  void drop_patience(traffic_call& t);
  /// What people meant to do on a connection follows it to the call it was transferred to.
  void follow_moves(const domain_event& transferred);
  const behaviour_profile* profile_of(const std::string& device) const;

  const clock& clock_;
  exchange ex_;
  simulation_config config_;
  std::mt19937_64 rng_;
  std::vector<stream> streams_;
  // By position in the plan: the profile of the person at each of our devices (people's map
  // looked up once, not at every event).
  std::vector<const behaviour_profile*> people_at_;
  timer_queue<action> actions_;
  std::unordered_map<call_id, traffic_call> traffic_calls_;
};

}  // namespace cstad::sim
