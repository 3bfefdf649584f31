// cstad: a CSTA Phase III server (ECMA-323 XML over TCP) with a built-in simulated exchange.

#include <algorithm>
#include <string_view>
#include <sstream>
#include <set>
#include <fstream>
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>

#include <pthread.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <nlohmann/json.hpp>

#include "actors/command_line.hpp"
#include "actors/config.hpp"
#include "common/ini_value.hpp"
#include "actors/http_gate.hpp"
#include "transport/wire_trace.hpp"
#include "actors/error_text.hpp"
#include "actors/spawn.hpp"
#include "actors/unix_socket_basp.hpp"
#include "admin/data_directory.hpp"
#include "admin/replication.hpp"
#include "admin/system_layout.hpp"
#include "common/log.hpp"
#include "sim/traffic_split.hpp"
#include "transport/descriptor_budget.hpp"

namespace {

constexpr const char* usage_header =
    R"(cstad - CSTA Phase III server (ECMA-269 / ECMA-323 XML over TCP) with a simulated exchange

Usage: cstad [--data-dir=DIR] [--host=ADDRESS] [--port=PORT] [--plan=FILE] [--log-level=LEVEL]
             [--lim=N --system=FILE]
             [--tls-port=PORT [--tls-cert=FILE --tls-key=FILE] [--tls-ca=FILE]] [--sip-port=PORT]
             [--metrics=HOST:PORT] [--trace=all|ADDRESS[:PORT]|device:NUMBER] [the options below]
             [CAF's own options, e.g. --scheduler.max-threads=2: cstad --long-help lists them too]

cstad keeps its state in a data directory: --data-dir, else $CSTAD_DATA_DIR, else
$XDG_STATE_HOME/cstad, else $HOME/.local/state/cstad. It holds config.json (the CSTA servers,
application session accounts, the number plan and the DND/forwarding clients set), admin.secret
and admin.sock (for the admin commands csta, csta_authentication, data_backup, data_restore).
A fresh data directory starts with the built-in demo exchange (one LIM, extensions 1000-1099)
and one CSTA XML server (ECMA-323 Annex J.2 framing) on 127.0.0.1:8882. --host, --port, --plan
and --session-required change that configuration (its first server, its plan) and are kept.

Settings come from, later winning over earlier:
  1. built-in defaults, then the data directory;
  2. an INI file: caf-application.ini in the working directory, or --config-file=FILE,
     e.g.  [global]
           log-level="debug"
  3. the command line (--name=value).
The number plan is JSON, e.g. {"ranges":[{"first":"1000","last":"1099","kind":"ip"}]}
(kinds: ip, remote, dect, virtual, digital, analog, cas), with "acd_groups", "hunt_groups" and
"agents"; the demo plan has ACD group 6000 (agents ready at 1010-1019), hunt groups 7000/7100.
--traffic=360 lets 360 calls an hour arrive from outside numbers at group 6000, answered by
the demo's simulated agents; counters are logged every minute. For load, a call centre of 500
quick agents in groups 6000-6004: --plan=deploy/call-centre-plan.json --traffic=360000
--simulation=deploy/call-centre-people.json --traffic-target=6000,6001,6002,6003,6004
Several LIMs form one system: each is a cstad process with its own data directory, started
with --lim=N and the same system file (deploy/system-3lims.json), which lists every LIM with
its cluster address ("host", "cluster_port": where the others reach it; a trusted network) and
its part of the number plan. A client of any LIM monitors and controls every device of the
system; calls between LIMs carry one call id. Configuration changes made on any LIM reach all.
ECMA-354 application sessions are optional unless a server requires them (csta -i
--auth=mandatory, or --session-required for the first server); accounts are managed with
csta_authentication.
SIGTERM or SIGINT stops the server cleanly; SIGHUP reads config.json again and puts in force
what changed in it (accounts, this LIM's servers) and the log level of the INI file (unless
--log-level was given); TLS certificates are read anew by every new connection anyway.

Options:
)";

// SIGHUP: the log level of the INI file again, unless the command line set it (which wins).
void reload_log_level(const std::string& path, bool set_on_command_line) {
  if (set_on_command_line)
    return;
  std::ifstream in(path);
  if (!in)
    return;
  std::stringstream text;
  text << in.rdbuf();
  auto level = cstad::ini_value(text.str(), "global", "log-level");
  if (!level)
    return;
  static const std::set<std::string> known{"trace", "debug", "info", "warn", "warning", "error", "critical"};
  if (known.count(*level) == 0) {
    cstad::log::main().error("SIGHUP: log-level \"{}\" in {} is not a level; the log level stays", *level, path);
    return;
  }
  cstad::log::setup(*level == "warning" ? "warn" : *level);
  cstad::log::main().info("SIGHUP: log level {} (from {})", *level, path);
}

bool wants_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
        std::strcmp(argv[i], "-?") == 0)
      return true;
  return false;
}

}  // namespace

// Read by jemalloc (the server's allocator, actors/CMakeLists.txt) at start-up: a thread of its
// own returns freed memory to the system after a burst (dirty pages decay over 10 s), also
// while the server is idle and nothing else would make jemalloc purge. Ignored without jemalloc.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true";
}

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
  sigaddset(&stop_signals, SIGHUP);  // reload, never the end (its default action)
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (auto err = cfg.parse(argc, argv)) {
    std::cerr << "cstad: " << cfg.render(err) << " (see cstad --help)" << std::endl;
    return 2;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  cstad::log::setup(cfg.log_level);
  auto& log = cstad::log::main();
  bool log_level_given = false;
  for (int i = 1; i < argc; ++i)
    log_level_given = log_level_given || std::string_view{argv[i]}.rfind("--log-level", 0) == 0;

  // The data directory: this server's, its configuration loaded (or made), its secret.
  auto store = std::make_shared<cstad::admin::data_directory>(cstad::admin::data_directory::resolve(cfg.data_dir));
  std::string error;
  if (!store->create(error) || !store->lock(error) || !store->admin_secret(true, error)) {
    log.error("{}", error);
    return 2;
  }
  auto secret = *store->admin_secret(false, error);
  if (auto exposed = store->exposure(); !exposed.empty())
    log.warn("the data directory is readable by other users ({}); chmod 700 it", exposed);
  cstad::node_settings settings;
  bool fresh = false;
  switch (store->load(settings.config, error)) {
    case cstad::admin::data_directory::load_result::broken:
      log.error("the configuration cannot be used (left as it is): {}", error);
      return 2;
    case cstad::admin::data_directory::load_result::missing:
      settings.config = cstad::admin::system_config::fresh();
      fresh = true;
      log.info("a fresh data directory: {}", store->path());
      break;
    case cstad::admin::data_directory::load_result::loaded:
      break;
  }
  error.clear();
  auto loaded = settings.config;
  settings.lim = cfg.lim;
  if (settings.lim < 1 || settings.lim > cstad::admin::max_lim_id) {
    log.error("--lim={}: a LIM id is 1-{}", settings.lim, cstad::admin::max_lim_id);
    return 2;
  }
  bool changed = cstad::apply_command_line(cfg, settings.config, settings.lim, error);
  if (!error.empty()) {
    log.error("configuration: {}", error);
    return 2;
  }
  if (auto problem = cstad::admin::check(settings.config); !problem.empty()) {
    log.error("configuration: {}", problem);
    return 2;
  }
  std::optional<cstad::admin::system_layout> layout;
  if (!settings.config.system.empty()) {
    layout = cstad::admin::system_layout::from_json(settings.config.system, error);
    if (!layout || layout->find(settings.lim) == nullptr) {
      log.error("configuration: the system has no LIM {} (start with --lim=N, N one of its LIMs)", settings.lim);
      return 2;
    }
  } else if (settings.lim != 1) {
    log.error("--lim={}: without a system (--system=FILE) there is only LIM 1", settings.lim);
    return 2;
  }
  cstad::admin::count_changes(loaded, settings.config);  // what the other LIMs of a system must learn
  if ((fresh || changed) && !store->save(settings.config, error)) {
    log.error("{}", error);
    return 2;
  }
  settings.store = store;
  if (auto p = cfg.port())
    settings.essential_ports.push_back(*p);
  if (auto p = cfg.tls_port())
    settings.essential_ports.push_back(*p);
  if (auto p = cfg.sip_port())
    settings.essential_ports.push_back(*p);
  settings.limits.queued = cfg.output_queue_limit;
  // The warning must come before the cut-off: a high-water mark at or past the bound is lowered.
  settings.limits.high_water = std::min(cfg.output_high_water, cfg.output_queue_limit / 2);
  settings.max_monitors_per_session = cfg.max_monitors_per_session;
  settings.max_monitors = cfg.max_monitors;
  settings.max_outstanding = cfg.max_outstanding;
  settings.session_cleanup_delay = static_cast<int>(std::clamp<std::int64_t>(cfg.session_cleanup_delay, 0, 600));
  settings.login_timeout = std::chrono::seconds(cfg.login_timeout);
  settings.max_per_address = cfg.max_per_address;

  // People and traffic: the demo's people live on the demo plan only.
  try {
    settings.simulation = settings.config.plan.empty() && !layout ? cstad::sim::simulation_config::demo()
                                                                  : cstad::sim::simulation_config{};
    if (!cfg.simulation_file.empty()) {
      auto text = cstad::admin::read_file(cfg.simulation_file, error);
      if (!text)
        throw std::runtime_error(error);
      settings.simulation = cstad::sim::simulation_config::from_json(*text);
    }
  } catch (const std::exception& e) {
    log.error("configuration: {}", e.what());
    return 2;
  }
  auto plan = layout                        ? layout->plan_of(settings.lim)
               : settings.config.plan.empty() ? cstad::sim::number_plan::demo()
                                              : cstad::sim::number_plan::from_json(settings.config.plan);
  if (cfg.traffic > 0) {
    for (auto& t : cstad::sim::split_traffic(cfg.traffic_target, cfg.traffic, cfg.traffic_seed)) {
      if (plan.find(t.target) == nullptr) {
        log.error("traffic target {} is not in the number plan", t.target);
        return 2;
      }
      settings.simulation.traffic.push_back(t);
    }
  }

  std::optional<cstad::trace_selection> trace;
  if (!cfg.trace.empty() && !(trace = cstad::parse_trace_option(cfg.trace, error))) {
    log.error("--trace: {}", error);
    return 2;
  }
  // The wire trace's file is always there to switch on (csta -t); --trace switches it on now,
  // before the first session (which the node tells of it).
  cstad::transport::wire_trace::open(store->path() + "/trace.log", std::max<std::uint64_t>(cfg.trace_max_bytes, 4096));
  if (trace)
    cstad::transport::wire_trace::select(*trace);

  caf::actor_system sys{cfg};
  // Counted after CAF opened its own descriptors, before any connection.
  auto fds = cstad::transport::prepare_descriptors();
  log.info("file descriptors: limit {}, {} open at start, {} for connections", fds.limit, fds.open_at_start,
           fds.connections);
  auto node = cstad::spawn_node(sys, std::move(settings));
  std::vector<cstad::transport::listener_status> listeners;
  {
    caf::scoped_actor self{sys};
    // No deadline: the node answers once every server listens or one cannot (a large plan on
    // a slow machine takes as long as it takes, and is never cut short).
    self->request(node, caf::infinite, cstad::atom::start_v)
        .receive([&](std::vector<cstad::transport::listener_status>& ls) { listeners = std::move(ls); },
                 [&](caf::error& err) { error = sys.render(err); });
  }
  if (!error.empty()) {
    log.error("{}", error);
    cstad::stop_node(sys, node);
    return 1;
  }
  // The admin channel: a Unix socket only the directory's owner can open, every request with
  // the secret (see unix_socket_basp.hpp for why not a loopback port).
  auto gate = cstad::spawn_admin_gate(sys, node, secret);
  auto admin = cstad::publish_on_unix_socket(sys, caf::actor_cast<caf::strong_actor_ptr>(gate),
                                             sys.message_types(gate), store->admin_socket());
  if (!admin) {
    log.error("the admin socket could not be opened: {}", cstad::render_reason(sys, admin.error()));
    caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
    cstad::stop_node(sys, node);
    return 1;
  }
  // The metrics and status page, on a thread of its own.
  std::unique_ptr<cstad::http_gate> http;
  if (!cfg.metrics.empty()) {
    auto colon = cfg.metrics.rfind(':');
    long port = -1;
    if (colon != std::string::npos && colon > 0) {
      char* end = nullptr;
      port = std::strtol(cfg.metrics.c_str() + colon + 1, &end, 10);
      if (end == cfg.metrics.c_str() + colon + 1 || *end != '\0')
        port = -1;
    }
    if (port < 0 || port > 65535) {
      log.error("--metrics={}: not HOST:PORT", cfg.metrics);
      cstad::stop_node(sys, node);
      return 2;
    }
    auto host = cfg.metrics.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);  // [::1]:9464
    http = cstad::http_gate::start(sys, node, host, static_cast<std::uint16_t>(port), error);
    if (!http) {
      log.error("{}", error);
      cstad::stop_node(sys, node);
      return 1;
    }
  }
  for (auto& l : listeners)
    log.info("cstad ready: CSTA {} on {}:{}, {} devices{}", l.role.name(), l.host, l.port, plan.devices().size(),
             layout ? " on LIM " + std::to_string(settings.lim) + " of " + std::to_string(layout->lims().size())
                    : std::string{});
  log.info("data directory {}, admin socket {}", store->path(), store->admin_socket());
  int sig = 0;
  for (;;) {
    sigwait(&stop_signals, &sig);
    if (sig != SIGHUP)
      break;
    log.info("SIGHUP received: reading the configuration again");
    reload_log_level(cfg.config_file_path, log_level_given);
    caf::anon_send(node, cstad::atom::reload_v);
  }
  log.info("{} received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  http.reset();  // no more looks at a node that is going
  caf::anon_send_exit(*admin, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
  ::unlink(store->admin_socket().c_str());
  cstad::stop_node(sys, node);
  return 0;  // ~actor_system waits for every actor to finish
}
