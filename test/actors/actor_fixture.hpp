#pragma once
// Actors on CAF's deterministic test coordinator: no threads, no sockets, no sleeps. Messages
// are processed by run(); time moves only when a test advances the test clock, which is also
// the clock the LIM and the sessions read (actor_clock_source), so ring timers and session
// expiry fire exactly when the test says. A carrier stand-in records what a client would read.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/test_multiplexer.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <doctest/doctest.h>

#include "test/support/string_lists.hpp"

#include "actors/actor_clock_source.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"
#include "protocol/xml_parser.hpp"



namespace cstad::test {

class actor_test_config : public caf::actor_system_config {
public:
  actor_test_config() {
    load<caf::io::middleman>();
    add_message_types<caf::id_block::cstad_transport>();
    add_message_types<caf::id_block::cstad>();
    add_message_types<caf::id_block::cstad_handles>();
    set("scheduler.policy", caf::atom("testing"));
    set("middleman.network-backend", caf::atom("testing"));
    set("middleman.manual-multiplexing", true);
    set("middleman.workers", size_t{0});
    set("middleman.heartbeat-interval", caf::timespan{0});
  }
};

/// One message a carrier got from its session, as the client would read it.
struct wire_message {
  enum class kind { reply, notify, close } what = kind::notify;
  std::uint64_t correlation = 0;  // reply: the request's
  std::string text;               // the XML (close: the reason)

  /// The root element's name ("MakeCallResponse", "DeliveredEvent", …).
  std::string name() const { return parsed().name; }
  /// Text at a child path like "connection/callID"; "" when absent.
  std::string at(const std::string& path) const {
    auto e = parsed();
    const protocol::xml_element* cur = &e;
    std::string rest = path;
    while (cur != nullptr && !rest.empty()) {
      auto slash = rest.find('/');
      cur = cur->child(rest.substr(0, slash));
      rest = slash == std::string::npos ? "" : rest.substr(slash + 1);
    }
    return cur == nullptr ? "" : cur->text;
  }

private:
  protocol::xml_element parsed() const {
    auto r = protocol::parse_xml(text);
    REQUIRE(std::holds_alternative<protocol::xml_element>(r));
    return std::get<protocol::xml_element>(r);
  }
};

using wire_log = std::vector<wire_message>;

/// Stands in for a client connection: records what its session sends.
inline carrier_actor::behavior_type recording_carrier(carrier_actor::pointer,
                                                      std::shared_ptr<wire_log> log) {
  return {
      [log](atom::reply, transport::correlation corr, std::string& xml) {
        log->push_back({wire_message::kind::reply, corr.token, std::move(xml)});
      },
      [log](atom::notify, const message_batch& batch) {
        for (std::size_t i = 0; i < batch.size(); ++i)
          log->push_back({wire_message::kind::notify, 0, batch.text(i)});
      },
      [log](atom::close, std::string& reason) {
        log->push_back({wire_message::kind::close, 0, std::move(reason)});
      },
      [](atom::consumed, std::uint64_t) {},
      [](atom::trace, std::uint64_t) {},
      [](atom::trace, std::uint64_t, transport::correlation, const std::string&) {},
      [](atom::status) { return transport::carrier_stats{}; },
  };
}

struct actor_fixture {
  actor_test_config cfg;
  caf::actor_system sys{cfg};
  caf::scheduler::test_coordinator& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  caf::io::network::test_multiplexer& mpx =
      dynamic_cast<caf::io::network::test_multiplexer&>(sys.middleman().backend());
  std::shared_ptr<const sim::clock> clock = std::make_shared<actor_clock_source>(sys.clock());
  std::vector<caf::actor> actors;  // ended at the end of each test

  actor_fixture() {
    log::setup("warn");
    sched.clock().current_time += std::chrono::hours(1);
  }

  ~actor_fixture() {
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
  }

  /// Processes every message (actors and brokers) until nothing is left; no time passes.
  void run() {
    while (sched.try_run_once() || mpx.try_exec_runnable())
      ;
  }

  /// Lets time pass: every timer due on the way fires at its time, with its messages processed.
  void advance(caf::timespan d) {
    auto& clk = sched.clock();
    auto target = clk.current_time + d;
    run();
    while (clk.has_pending_timeout() && clk.schedule().begin()->first <= target) {
      clk.trigger_timeout();
      run();
    }
    if (clk.current_time < target)
      clk.current_time = target;
  }

  template <class Handle>
  Handle keep(Handle h) {
    actors.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }
};

/// A LIM and sessions on it, each with a recording carrier.
struct session_fixture : actor_fixture {
  service::session_policy policy;
  lim_settings lim_config = [] {
    lim_settings s;
    s.simulation = {};  // nobody answers or calls unless the test does
    return s;
  }();
  lim_actor lim;
  std::shared_ptr<const lim_table> lims;

  /// Starts the LIM (tests may change lim_config and policy first).
  void start_lim() {
    auto dir = service::directory::from_plan(lim_config.plan, lim_config.id);
    directory_ = std::make_shared<const service::directory>(std::move(dir));
    lim = keep(spawn_lim(sys, lim_config, clock));
    lims = std::make_shared<const lim_table>(lim_table{{lim_config.id, lim}});
    run();
  }

  struct client {
    session_actor session;
    carrier_actor carrier;
    std::shared_ptr<wire_log> log;
    std::size_t read = 0;  // how much of the log a test has taken

    /// What arrived since the last take.
    std::vector<wire_message> take() {
      std::vector<wire_message> out(log->begin() + static_cast<std::ptrdiff_t>(read), log->end());
      read = log->size();
      return out;
    }
  };

  client connect() {
    if (!lim)
      start_lim();
    client c;
    c.log = std::make_shared<wire_log>();
    c.carrier = keep(sys.spawn(recording_carrier, c.log));
    session_environment env{{directory_, std::make_shared<const service::session_policy>(policy), ids_, nullptr},
                            lims, clock, node_actor{}, authenticator_actor{}, 0};
    c.session = keep(spawn_session(sys, c.carrier, "test client", env));
    run();
    return c;
  }

  /// Sends a request as the carrier would and processes everything it causes.
  std::vector<wire_message> request(client& c, std::uint64_t invoke, const std::string& xml) {
    caf::anon_send(c.session, atom::request_v, transport::correlation{invoke}, xml);
    run();
    return c.take();
  }

private:
  std::shared_ptr<const service::directory> directory_;
  std::shared_ptr<service::id_source> ids_ = std::make_shared<service::id_source>(1);
};

}  // namespace cstad::test
