#include "actors/config.hpp"

#include <chrono>
#include <thread>

#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/settings.hpp>

#include "actors/actors.hpp"
#include "admin/data_directory.hpp"

namespace cstad {
namespace {

// Our message types and the admin channel's identity, for the server and the tools alike.
void common_setup(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  cfg.add_message_types<caf::id_block::cstad_transport>();
  cfg.add_message_types<caf::id_block::cstad>();
  cfg.add_message_types<caf::id_block::cstad_handles>();
  cfg.set("middleman.app-identifiers", std::vector<std::string>{admin_app_identifier});
}

}  // namespace

cstad_config::cstad_config() {
  // host, port, plan and session-required are kept unbound: only their presence in the
  // settings says that the operator gave them (see the accessors).
  opt_group{custom_options_, "global"}
      .add(data_dir, "data-dir", std::string{"where cstad keeps its state: "} + admin::data_directory::rule())
      .add<std::string>("host", "address of the first XML server (default 127.0.0.1); kept")
      .add<std::uint16_t>("port", "port of the first XML server (default 8882; 0: any free port); kept")
      .add<std::string>("plan", "number plan JSON file to use from now on (default: the demo exchange); kept")
      .add<std::uint16_t>("sip-port", "port of a TR/87 (uaCSTA over SIP, TCP and UDP) server; kept")
      .add<std::uint16_t>("tls-port", "port of a CSTA XML server over TLS (with --tls-cert and --tls-key); kept")
      .add<std::string>("tls-cert", "its certificate (PEM, then its chain; default: mxone_certificate's)")
      .add<std::string>("tls-key", "its key (PEM)")
      .add<std::string>("tls-ca", "CA of client certificates: clients must present one it signed (PEM)")
      .add<bool>("system-status-on-connect",
                 "the first server sends each client a SystemStatus as it connects (csta -i "
                 "--system-status-on-connect=yes); kept")
      .add<bool>("session-required",
                 "the first server requires an ECMA-354 application session (csta -i --auth=mandatory); kept")
      .add(lim, "lim", "which LIM of the system this process is (default 1)")
      .add<std::string>("system", "system file: the LIMs of a system of several, their cluster addresses and "
                                  "number plans (JSON); kept")
      .add(log_level, "log-level", "trace, debug (every frame), info, warn, error")
      .add(trace, "trace",
           "the wire trace from the start into trace.log in the data directory: all, a client ADDRESS[:PORT], "
           "or device:NUMBER (its sessions; csta -t on|off switches it at run time)")
      .add(trace_max_bytes, "trace-max-bytes", "size at which trace.log rotates (5 files kept)")
      .add(metrics, "metrics",
           "HOST:PORT for Prometheus metrics (/metrics) and the live status page (/), read-only, e.g. "
           "127.0.0.1:9464 (port 0: any free one); off unless given")
      .add(simulation_file, "simulation",
           "people and traffic settings (JSON); default: the demo call centre's people")
      .add(traffic, "traffic", "calls per hour arriving from outside numbers (0: none)")
      .add(traffic_target, "traffic-target", "the group or extension that traffic calls; several, comma-separated "
                                            "(6000,6001), share the calls per hour evenly")
      .add(traffic_seed, "traffic-seed", "random seed of the traffic: the same seed repeats a run")
      .add(max_monitors_per_session, "max-monitors-per-session",
           "monitors one session may hold; past it MonitorStart gets objectMonitorLimitExceeded")
      .add(max_monitors, "max-monitors",
           "monitors all sessions together may hold; past it overallMonitorLimitExceeded")
      .add(session_cleanup_delay, "session-cleanup-delay",
           "seconds an application session outlives a lost connection, for its client to take it over "
           "(clients that send sessionCleanupDelay choose their own, up to 600); 0: it ends at once")
      .add(max_outstanding, "max-outstanding-requests",
           "requests one session may have waiting for answers; past it outstandingReqLimitExceeded")
      .add(max_per_address, "max-connections-per-address",
           "connections one client address may have open on a server (0: no limit)")
      .add(login_timeout, "login-timeout",
           "seconds a client of a server requiring application sessions has to start one (0: no limit)")
      .add(output_queue_limit, "output-queue-limit",
           "bytes of output a client that does not read may have waiting before it is cut off")
      .add(output_high_water, "output-high-water",
           "bytes of output waiting past which a client gets SystemStatus overloadImminent "
           "(overloadRelieved once under half of it)");
  common_setup(*this);
  // The LIMs of a system share the cluster's identifier; the admin tools, the admin one.
  set("middleman.app-identifiers", std::vector<std::string>{admin_app_identifier, cluster_app_identifier});
  // A LIM that dies is noticed by its socket closing; one that hangs, only by its silence:
  // heartbeats every half second, and a peer silent for two seconds is down (caf-0.17.md).
  // The admin tools send heartbeats too, so a tool waiting for an answer is not dropped.
  set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
  set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(2)});
  // A core for the multiplexer, the rest for the workers (CAF defaults to max(cores, 4)
  // workers). The multiplexer thread does every client's reading and writing: at full load it
  // is the busiest thread, and workers beside it on every core only took turns with it. On 2
  // cores, one worker instead of two, measured with cstaload (50 connections x 100 monitors,
  // 3 alternating pairs, issue 15): at full load CPU per event 1.11 -> 0.83 us and 4% more
  // events/s; at half load MakeCall p99 1.73 -> 1.19 ms, CPU per event the same.
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  set("scheduler.max-threads", static_cast<std::int64_t>(cores > 1 ? cores - 1 : 1));
  // One queue of ready actors for all workers, first in, first out, instead of CAF's default
  // work stealing. A stealing worker runs the actors it woke itself last in, first out, so a
  // session woken by its client's request (from the multiplexer thread, at the back of the
  // queue) waited behind every session the LIM had just given events to; and idle workers
  // poll for work to steal. Measured with cstaload, 50 connections x 100 monitors on 2 cores
  // (issue 15): at full load CPU per event 1.42 -> 1.18 us (10 of 10 pairs); at half load
  // MakeCall p99 2.51 -> 1.71 ms (10 of 11), for 12% more CPU per event there (workers sleep
  // and are woken). --scheduler.policy=stealing brings back CAF's default.
  set("scheduler.policy", caf::atom("sharing"));
}

std::optional<std::string> cstad_config::host() const {
  if (auto v = caf::get_if<std::string>(&content, "host"))
    return *v;
  return std::nullopt;
}

std::optional<std::uint16_t> cstad_config::port() const {
  if (auto v = caf::get_if<std::uint16_t>(&content, "port"))
    return *v;
  return std::nullopt;
}

std::optional<std::string> cstad_config::plan_file() const {
  if (auto v = caf::get_if<std::string>(&content, "plan"))
    return *v;
  return std::nullopt;
}

std::optional<std::uint16_t> cstad_config::sip_port() const {
  if (auto v = caf::get_if<std::uint16_t>(&content, "sip-port"))
    return *v;
  return std::nullopt;
}

std::optional<std::uint16_t> cstad_config::tls_port() const {
  if (auto v = caf::get_if<std::uint16_t>(&content, "tls-port"))
    return *v;
  return std::nullopt;
}

std::string cstad_config::tls_file(const char* name) const {
  if (auto v = caf::get_if<std::string>(&content, name))
    return *v;
  return {};
}

std::optional<std::string> cstad_config::system_file() const {
  if (auto v = caf::get_if<std::string>(&content, "system"))
    return *v;
  return std::nullopt;
}

bool cstad_config::status_on_connect() const {
  auto v = caf::get_if<bool>(&content, "system-status-on-connect");
  return v && *v;
}

bool cstad_config::session_required() const {
  auto v = caf::get_if<bool>(&content, "session-required");
  return v && *v;
}

admin_tool_config::admin_tool_config() {
  common_setup(*this);
  set("scheduler.max-threads", std::int64_t{1});
  set("middleman.workers", std::int64_t{0});
  set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
}

}  // namespace cstad
