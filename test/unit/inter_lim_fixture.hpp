#pragma once
// Three LIMs as one system for the exchange's inter-LIM tests: three exchanges on one manual
// clock, each owning a number range and holding the others' parties as remote parties, with a
// pump that carries every signal to the LIM owning its `to` number.

#include <ostream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "exchange_fixture.hpp"
#include "sim/system_ids.hpp"

namespace cstad::test {

/// "2:1": the first call of LIM 2's block; "-": no call (agent events).
inline std::string id_text(sim::call_id id) {
  if (id == 0)
    return "-";
  auto lim = sim::lim_of(id);
  return std::to_string(lim) + ":" + std::to_string(id - sim::first_id_of(lim) + 1);
}

/// "setup 1:1 1000>2000 newCall called=2000"; the fields a kind has, relay when set.
inline std::string describe_signal(const sim::inter_lim_signal& s) {
  using kind = sim::inter_lim_signal::kind;
  static const char* kinds[] = {"setup", "alerting", "answered", "failed", "released",
                                "held", "retrieved", "transferred", "conferenced"};
  std::string out = std::string{kinds[static_cast<int>(s.what)]} + ' ' + id_text(s.call) + ' ' +
                    s.from + '>' + s.to + ' ' + std::string{protocol::to_string(s.cause)};
  auto other = [&] {
    return " other=" + s.other + ':' + std::string{protocol::to_string(s.other_state)};
  };
  if (s.what == kind::setup)
    out += " called=" + s.called;
  if (s.what == kind::transferred)
    out += " new=" + id_text(s.new_call) + other();
  if (s.what == kind::released && !s.other.empty())
    out += other();
  if (s.what == kind::conferenced) {
    out += " new=" + id_text(s.new_call) + " secondary=" + id_text(s.secondary_call) +
           " added=" + s.other + " parties=";
    for (auto& p : s.parties)
      out += (&p == s.parties.data() ? "" : ",") + p.device + ':' +
             std::string{protocol::to_string(p.state)};
  }
  if (!s.relay.empty())
    out += " relay=" + s.relay;
  return out;
}

/// Lines of text that doctest prints one a line when a check fails.
struct shown : std::vector<std::string> {
  using vector::vector;
};

inline std::ostream& operator<<(std::ostream& os, const shown& text) {
  os << '{';
  for (auto& line : text)
    os << "\n    \"" << line << '"';
  return os << "\n  }";
}

/// Events described with their call id first: "1:1 delivered 2000 newCall | 1000:connected".
inline shown take_with_ids(std::vector<sim::domain_event>& events) {
  shown out;
  for (auto& e : events)
    out.push_back(id_text(e.call) + ' ' + describe(e));
  events.clear();
  return out;
}

struct lim_node {
  sim::exchange ex;
  std::vector<sim::domain_event> events;

  lim_node(const char* plan, const sim::clock& clk, int lim)
      : ex(sim::number_plan::from_json(plan), clk, {}, sim::first_id_of(lim)) {}

  shown take() { return take_with_ids(events); }

  const sim::party* party(sim::call_id id, const std::string& device) const {
    auto c = ex.find_call(id);
    return c == nullptr ? nullptr : c->find(device);
  }
};

/// LIM 1 has 1000-1009 and an ACD group 1100 (its agents log on at other LIMs' devices), LIM 2
/// has 2000-2009, a ring-all hunt group 2100 and hunt groups with members on other LIMs: 2200
/// linear (3005, then 2007), 2300 ring-all (2007, 3007, 1007), 2400 cascade (3008, then 2008),
/// 2500 circular (3005, 2007) and 2600 ring-all (3007, 3008); LIM 3 has 3000-3009. The
/// directory gives each LIM every number of its thousand, so 2099 reaches LIM 2 and is
/// unallocated there.
struct three_lims {
  sim::manual_clock clock;
  lim_node a{R"({"ranges": [{"first": "1000", "last": "1009", "kind": "ip"}],
                 "acd_groups": [{"number": "1100", "no_answer_s": 15, "after_call_work_s": 10}]})",
             clock, 1};
  lim_node b{R"({"ranges": [{"first": "2000", "last": "2009", "kind": "ip"}],
                 "hunt_groups": [{"number": "2100", "distribution": "ring_all",
                                  "members": ["2005", "2006"]},
                                 {"number": "2200", "distribution": "linear", "no_answer_s": 15,
                                  "members": ["3005", "2007"], "remote_members": ["3005"]},
                                 {"number": "2300", "distribution": "ring_all",
                                  "members": ["2007", "3007", "1007"],
                                  "remote_members": ["3007", "1007"]},
                                 {"number": "2400", "distribution": "cascade", "step_s": 10,
                                  "sets": [["3008"], ["2008"]], "remote_members": ["3008"]},
                                 {"number": "2500", "distribution": "circular",
                                  "members": ["3005", "2007"], "remote_members": ["3005"]},
                                 {"number": "2600", "distribution": "ring_all",
                                  "members": ["3007", "3008"],
                                  "remote_members": ["3007", "3008"]}]})",
             clock, 2};
  lim_node c{R"({"ranges": [{"first": "3000", "last": "3009", "kind": "ip"}]})", clock, 3};
  shown signals;   // every signal carried, in order
  shown refusals;  // signals the receiving exchange refused, with the error

  three_lims() {
    for (auto* n : {&a, &b, &c})
      n->ex.set_remote_numbers([this, n](const std::string& number) {
        auto o = owner(number);
        return o != nullptr && o != n;
      });
  }

  lim_node* owner(const std::string& number) {
    if (number.size() != 4)
      return nullptr;
    switch (number.front()) {
      case '1': return &a;
      case '2': return &b;
      case '3': return &c;
      default: return nullptr;
    }
  }

  /// Carries signals until none are left.
  void pump() {
    for (int round = 0; round < 20; ++round) {
      bool carried = false;
      for (auto* n : {&a, &b, &c}) {
        std::vector<sim::inter_lim_signal> out;
        n->ex.take_signals(out);
        for (auto& s : out) {
          carried = true;
          signals.push_back(describe_signal(s));
          auto to = owner(s.to);
          REQUIRE_MESSAGE(to != nullptr, describe_signal(s));
          CHECK_MESSAGE(to != n, describe_signal(s));
          if (auto o = to->ex.receive(s, to->events); !o)
            refusals.push_back(describe_signal(s) + ": " + o.error.value);
        }
      }
      if (!carried)
        return;
    }
    FAIL("the LIMs keep signalling each other");
  }

  shown take_signals() {
    auto out = std::move(signals);
    signals.clear();
    return out;
  }

  void forget_all() {
    for (auto* n : {&a, &b, &c})
      n->events.clear();
    signals.clear();
  }

  /// from (LIM 1) calls to (LIM 2), to answers; events and signals forgotten.
  sim::call_id connected(lim_node& caller, const std::string& from, lim_node& called,
                         const std::string& to) {
    auto made = caller.ex.make_call(from, to, caller.events);
    REQUIRE(made);
    pump();
    REQUIRE(called.ex.answer_call(made.call, to, called.events));
    pump();
    REQUIRE(caller.party(made.call, to) != nullptr);
    REQUIRE(caller.party(made.call, to)->state == protocol::connection_state::connected);
    forget_all();
    return made.call;
  }
};


}  // namespace cstad::test
