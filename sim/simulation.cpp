#include "sim/simulation.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cstad::sim {

using protocol::connection_state;

// -- configuration ----------------------------------------------------------------------------

namespace {

time_distribution distribution_of(const nlohmann::json& j, time_distribution fallback) {
  if (j.is_null())
    return fallback;
  if (j.contains("fixed"))
    return time_distribution::fixed(j.at("fixed").get<double>());
  if (j.contains("uniform")) {
    auto bounds = j.at("uniform").get<std::vector<double>>();
    if (bounds.size() != 2 || bounds[0] < 0 || bounds[1] < bounds[0])
      throw std::runtime_error("uniform needs [low, high] in " + j.dump());
    return time_distribution::uniform(bounds[0], bounds[1]);
  }
  if (j.contains("exponential"))
    return time_distribution::exponential(j.at("exponential").get<double>());
  throw std::runtime_error("unknown distribution " + j.dump());
}

behaviour_profile profile_of_json(const nlohmann::json& j) {
  behaviour_profile p;
  p.ring = distribution_of(j.value("ring", nlohmann::json{}), p.ring);
  p.talk = distribution_of(j.value("talk", nlohmann::json{}), p.talk);
  p.not_ready_probability = j.value("not_ready_probability", 0.0);
  p.not_ready = distribution_of(j.value("not_ready", nlohmann::json{}), p.not_ready);
  if (p.not_ready_probability < 0 || p.not_ready_probability > 1)
    throw std::runtime_error("not_ready_probability must be within 0..1 in " + j.dump());
  return p;
}

}  // namespace

simulation_config simulation_config::from_json(std::string_view text) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("simulation settings are not a JSON object");
  simulation_config c;
  c.seed = doc.value("seed", std::uint64_t{1});
  for (auto& entry : doc.value("people", nlohmann::json::array())) {
    auto profile = profile_of_json(entry.value("profile", nlohmann::json::object()));
    std::vector<std::string> devices = entry.value("devices", std::vector<std::string>{});
    if (entry.contains("first")) {
      auto first = std::stoull(entry.at("first").get<std::string>());
      auto last = std::stoull(entry.at("last").get<std::string>());
      for (auto n = first; n <= last; ++n)
        devices.push_back(std::to_string(n));
    }
    for (auto& d : devices)
      c.people[d] = profile;
  }
  if (doc.contains("outside"))
    c.outside = profile_of_json(doc.at("outside"));
  for (auto& entry : doc.value("traffic", nlohmann::json::array())) {
    traffic_config t;
    t.target = entry.value("target", std::string{});
    t.calls_per_hour = entry.value("calls_per_hour", 0.0);
    t.seed = entry.value("seed", std::uint64_t{1});
    t.callers.patience = distribution_of(entry.value("patience", nlohmann::json{}), t.callers.patience);
    t.service_level_threshold =
        std::chrono::milliseconds(static_cast<long long>(entry.value("service_level_s", 20.0) * 1000));
    if (t.target.empty() || t.calls_per_hour < 0)
      throw std::runtime_error("bad traffic stream in " + entry.dump());
    c.traffic.push_back(t);
  }
  return c;
}

simulation_config simulation_config::demo() {
  return from_json(R"({
    "people": [
      {"first": "1010", "last": "1019", "profile": {"ring": {"uniform": [2, 6]}, "talk": {"exponential": 90},
                                                     "not_ready_probability": 0.1, "not_ready": {"uniform": [30, 120]}}},
      {"first": "1020", "last": "1024", "profile": {"ring": {"uniform": [3, 12]}, "talk": {"exponential": 60}}},
      {"first": "1030", "last": "1034", "profile": {"ring": {"uniform": [3, 20]}, "talk": {"exponential": 60}}}],
    "outside": {"ring": {"uniform": [3, 8]}, "talk": {"exponential": 60}}})");
}

// -- the simulated world ----------------------------------------------------------------------

namespace {

// Outside numbers 07SSNNNNNN, SS the stream and NNNNNN counting its calls: different for every
// call of the stream. Written digit by digit: snprintf was ~7 % of an arrival.
std::string outside_number(std::size_t stream, std::uint64_t call) {
  std::string number = "0700000000";
  auto put = [&](std::size_t last, std::uint64_t value, int digits) {
    for (int i = 0; i < digits; ++i, value /= 10)
      number[last - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(3, stream % 100, 2);
  put(9, call % 1000000, 6);
  return number;
}

}  // namespace

simulation::simulation(number_plan plan, simulation_config config, const clock& clk,
                       exchange_timing timing, call_id first_call)
    : clock_(clk), ex_(std::move(plan), clk, timing, first_call), config_(std::move(config)), rng_(config_.seed) {
  for (auto& d : ex_.plan().devices()) {
    auto i = config_.people.find(d.number);
    people_at_.push_back(i == config_.people.end() ? nullptr : &i->second);
  }
  for (auto& t : config_.traffic) {
    streams_.push_back(stream{t, {}, 0, std::mt19937_64{t.seed}});
    if (t.calls_per_hour > 0)
      schedule(time_distribution::exponential(3600.0 / t.calls_per_hour).draw(streams_.back().rng),
               action{action::kind::arrival, 0, {}, streams_.size() - 1});
  }
}

const behaviour_profile* simulation::profile_of(const std::string& device) const {
  if (auto ours = ex_.plan().position(device); ours != number_plan::npos)
    return people_at_[ours];
  if (ex_.is_remote(device))
    return nullptr;  // another LIM's device: its people live there
  auto i = config_.people.find(device);
  if (i != config_.people.end())
    return &i->second;
  if (config_.outside)
    return &*config_.outside;
  return nullptr;
}

timer_queue<simulation::action>::handle simulation::schedule(duration after, action a) {
  return actions_.push(clock_.now() + after, std::move(a));
}

void simulation::drop_patience(traffic_call& t) {
  if (t.patience)
    actions_.cancel(*t.patience);
  t.patience.reset();
}

outcome simulation::apply(const operation& op, std::vector<domain_event>& out) {
  auto from = out.size();
  auto result = ex_.apply(op, out);
  observe(out, from);
  return result;
}

outcome simulation::receive(const inter_lim_signal& s, std::vector<domain_event>& out) {
  auto from = out.size();
  auto result = ex_.receive(s, out);
  observe(out, from);
  return result;
}

void simulation::far_lim_lost(const std::function<bool(const std::string&)>& on_lost_lim,
                              std::vector<domain_event>& out) {
  auto from = out.size();
  ex_.far_lim_lost(on_lost_lim, out);
  observe(out, from);
}

std::optional<time_point> simulation::next_timer() const {
  auto t = ex_.next_timer();
  if (!actions_.empty() && (!t || actions_.next_due() < *t))
    t = actions_.next_due();
  return t;
}

void simulation::tick(std::vector<domain_event>& out) {
  auto now = clock_.now();
  auto from = out.size();
  ex_.tick(out);
  observe(out, from);
  while (!actions_.empty() && actions_.next_due() <= now) {
    auto a = actions_.pop();
    from = out.size();
    run(a, out);
    observe(out, from);
  }
}

// What the people do; each action checks that it still makes sense.
void simulation::run(const action& a, std::vector<domain_event>& out) {
  using k = action::kind;
  auto c = ex_.find_call(a.call);
  auto p = c == nullptr ? nullptr : c->find(a.device);
  switch (a.what) {
    case k::answer:
      if (p != nullptr && p->state == connection_state::alerting)
        ex_.answer_call(a.call, a.device, out, true);
      return;
    case k::hang_up:
      if (p != nullptr && p->state == connection_state::connected)
        ex_.clear_connection(a.call, a.device, out);
      return;
    case k::external_answer:
      if (p != nullptr && p->state == connection_state::alerting)
        ex_.external_answer(a.call, a.device, out);
      return;
    case k::external_hang_up:
      if (p != nullptr && p->state == connection_state::connected)
        ex_.external_release(a.call, a.device, out);
      return;
    case k::abandon: {
      auto t = traffic_calls_.find(a.call);
      if (t != traffic_calls_.end())
        t->second.patience.reset();  // it has just been taken out of the queue
      if (t == traffic_calls_.end() || t->second.answered || c == nullptr)
        return;
      t->second.abandoned = true;
      ++streams_[t->second.stream].counters.abandoned;
      ex_.external_release(a.call, t->second.caller, out);
      return;
    }
    case k::arrival: arrive(a.stream, out); return;
    case k::take_break:
      if (auto agent = ex_.agent_at(a.device);
          agent != nullptr && (agent->state == agent_state::ready ||
                               agent->state == agent_state::working_after_call)) {
        ex_.set_agent_state(a.device, agent_request::not_ready, {}, {}, out);
        schedule(profile_of(a.device)->not_ready.draw(rng_), action{k::back_to_ready, 0, a.device, 0});
      }
      return;
    case k::back_to_ready:
      if (auto agent = ex_.agent_at(a.device); agent != nullptr && agent->state == agent_state::not_ready)
        ex_.set_agent_state(a.device, agent_request::ready, {}, {}, out);
      return;
  }
}

void simulation::arrive(std::size_t index, std::vector<domain_event>& out) {
  auto& s = streams_[index];
  auto number = outside_number(index, ++s.callers);
  ++s.counters.offered;
  auto from = out.size();
  auto in = ex_.incoming_call(number, s.config.target, out);
  if (!in || ex_.find_call(in.call) == nullptr) {
    ++s.counters.failed;
  } else {
    auto& t = traffic_calls_[in.call] = traffic_call{index, number, clock_.now(), false, false};
    t.patience =
        schedule(s.config.callers.patience.draw(s.rng), action{action::kind::abandon, in.call, number, index});
  }
  observe(out, from);
  schedule(time_distribution::exponential(3600.0 / s.config.calls_per_hour).draw(s.rng),
           action{action::kind::arrival, 0, {}, index});
}

// People react to what the exchange did; traffic calls are counted.
void simulation::observe(std::vector<domain_event>& out, std::size_t from) {
  using k = action::kind;
  for (auto i = from; i < out.size(); ++i) {
    const auto& e = out[i];
    switch (e.kind) {
      case domain_event_kind::delivered:
        if (auto p = profile_of(e.subject))
          schedule(p->ring.draw(rng_), action{ex_.plan().find(e.subject) ? k::answer : k::external_answer,
                                              e.call, e.subject, 0});
        break;
      case domain_event_kind::established: {
        if (auto p = profile_of(e.subject))
          schedule(p->talk.draw(rng_), action{ex_.plan().find(e.subject) ? k::hang_up : k::external_hang_up,
                                              e.call, e.subject, 0});
        auto t = traffic_calls_.find(e.call);
        if (t != traffic_calls_.end() && !t->second.answered && !t->second.abandoned) {
          auto& counters = streams_[t->second.stream].counters;
          auto wait = e.time - t->second.arrived;
          t->second.answered = true;
          drop_patience(t->second);
          ++counters.answered;
          counters.total_wait += wait;
          if (wait <= streams_[t->second.stream].config.service_level_threshold)
            ++counters.within_threshold;
        }
        break;
      }
      case domain_event_kind::transferred: follow_moves(e); break;
      case domain_event_kind::connection_cleared:
        if (auto p = profile_of(e.subject);
            p != nullptr && p->not_ready_probability > 0 && ex_.agent_at(e.subject) != nullptr &&
            std::bernoulli_distribution(p->not_ready_probability)(rng_))
          schedule(duration::zero(), action{k::take_break, 0, e.subject, 0});
        settle(e.call);
        break;
      default: break;
    }
  }
}

void simulation::follow_moves(const domain_event& transferred) {
  for (auto& m : transferred.moves) {
    if (m.old_call == m.new_call)
      continue;
    actions_.for_each([&](action& a) {
      if (a.call == m.old_call && a.device == m.device)
        a.call = m.new_call;
    });
  }
}

// A traffic call that has ended without being answered or abandoned failed.
void simulation::settle(call_id id) {
  auto t = traffic_calls_.find(id);
  if (t == traffic_calls_.end() || ex_.find_call(id) != nullptr)
    return;
  if (!t->second.answered && !t->second.abandoned)
    ++streams_[t->second.stream].counters.failed;
  drop_patience(t->second);
  traffic_calls_.erase(t);
}

traffic_counters simulation::counters() const {
  traffic_counters sum;
  for (auto& s : streams_) {
    sum.offered += s.counters.offered;
    sum.answered += s.counters.answered;
    sum.abandoned += s.counters.abandoned;
    sum.failed += s.counters.failed;
    sum.total_wait += s.counters.total_wait;
    sum.within_threshold += s.counters.within_threshold;
  }
  return sum;
}

const std::vector<traffic_counters> simulation::stream_counters() const {
  std::vector<traffic_counters> out;
  for (auto& s : streams_)
    out.push_back(s.counters);
  return out;
}

}  // namespace cstad::sim
