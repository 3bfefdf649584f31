// cstad: a CSTA Phase III server (ECMA-323 XML over TCP) with a built-in simulated exchange.

#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <pthread.h>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/config.hpp"
#include "actors/spawn.hpp"
#include "common/log.hpp"

namespace {

constexpr const char* usage_header =
    R"(cstad - CSTA Phase III server (ECMA-269 / ECMA-323 XML over TCP) with a simulated exchange

Usage: cstad [--host=ADDRESS] [--port=PORT] [--plan=FILE] [--log-level=LEVEL] [CAF options]

With no options it starts the built-in demo exchange (one LIM, extensions 1000-1099) and
serves CSTA XML (ECMA-323 Annex J.2 framing) on 127.0.0.1:8882.

Settings come from, later winning over earlier:
  1. built-in defaults;
  2. an INI file: caf-application.ini in the working directory, or --config-file=FILE,
     e.g.  [global]
           host="0.0.0.0"
           port=8882
  3. the command line (--name=value).
The number plan is JSON, e.g. {"ranges":[{"first":"1000","last":"1099","kind":"ip"}]}
(kinds: ip, remote, dect, virtual, digital, analog, cas), with "acd_groups", "hunt_groups" and
"agents"; the demo plan has ACD group 6000 (agents ready at 1010-1019), hunt groups 7000/7100.
--traffic=360 lets 360 calls an hour arrive from outside numbers at group 6000, answered by
the demo's simulated agents; counters are logged every minute.
ECMA-354 application sessions are optional unless --session-required is given; with
--session-users the StartApplicationSession must carry a SessionLoginInfo (userName, password)
of one of those accounts.
SIGTERM or SIGINT stops the server cleanly.

Options:
)";

bool wants_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
        std::strcmp(argv[i], "-?") == 0)
      return true;
  return false;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

int main(int argc, char** argv) {
  cstad::cstad_config cfg;
  if (wants_help(argc, argv)) {
    std::cout << usage_header << cfg.options_help() << std::endl;
    return 0;
  }
  // Block the stop signals in every thread (CAF's threads inherit this mask) and wait for them
  // here; ignore SIGPIPE so a vanished client is an error code, not a dead process.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (auto err = cfg.parse(argc, argv)) {
    std::cerr << "cstad: " << cfg.render(err) << " (see cstad --help)" << std::endl;
    return 2;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  cstad::log::setup(cfg.log_level);

  cstad::node_settings settings;
  auto& xml = settings.listeners.front();
  xml.host = cfg.host;
  xml.port = cfg.port;
  xml.limits.queued = cfg.output_queue_limit;
  settings.sessions.required = cfg.session_required;
  settings.sessions.default_duration = cfg.session_duration;
  for (auto& account : cfg.session_users) {
    auto colon = account.find(':');
    if (colon == std::string::npos || colon == 0) {
      cstad::log::main().error("session user '{}' is not of the form user:password", account);
      return 2;
    }
    settings.sessions.users[account.substr(0, colon)] = account.substr(colon + 1);
  }
  auto& lim = settings.lim;
  try {
    if (!cfg.plan_file.empty()) {
      lim.plan = cstad::sim::number_plan::from_json(read_file(cfg.plan_file));
      lim.simulation = {};  // the demo's people live on the demo plan only
    }
    if (!cfg.simulation_file.empty())
      lim.simulation = cstad::sim::simulation_config::from_json(read_file(cfg.simulation_file));
  } catch (const std::exception& e) {
    cstad::log::main().error("configuration: {}", e.what());
    return 2;
  }
  if (cfg.traffic > 0) {
    if (lim.plan.find(cfg.traffic_target) == nullptr) {
      cstad::log::main().error("traffic target {} is not in the number plan", cfg.traffic_target);
      return 2;
    }
    cstad::sim::traffic_config t;
    t.target = cfg.traffic_target;
    t.calls_per_hour = cfg.traffic;
    t.seed = cfg.traffic_seed;
    lim.simulation.traffic.push_back(t);
  }
  auto devices = lim.plan.devices().size();

  caf::actor_system sys{cfg};
  auto node = cstad::spawn_node(sys, std::move(settings));
  std::vector<cstad::transport::listener_status> listeners;
  std::string error;
  {
    caf::scoped_actor self{sys};
    self->request(node, std::chrono::seconds(30), cstad::atom::start_v)
        .receive([&](std::vector<cstad::transport::listener_status>& ls) { listeners = std::move(ls); },
                 [&](caf::error& err) { error = sys.render(err); });
  }
  if (!error.empty()) {
    cstad::log::main().error("{}", error);
    cstad::stop_node(sys, node);
    return 1;
  }
  for (auto& l : listeners)
    cstad::log::main().info("cstad ready: CSTA {} on {}:{}, {} devices", l.role.name(), l.host,
                            l.port, devices);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  cstad::log::main().info("{} received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  cstad::stop_node(sys, node);
  return 0;  // ~actor_system waits for every actor to finish
}
