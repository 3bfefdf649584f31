#pragma once
// cstad's configuration: CAF's actor_system_config plus our own options. Settings come from
// the command line (--name=value) and from an INI file (--config-file=FILE, default
// caf-application.ini in the working directory). What an operator changes at run time (servers,
// accounts, the plan, DND and forwarding) lives in the data directory (admin/).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>

namespace cstad {

/// Keeps foreign CAF nodes (and other versions of this protocol) out of the admin port.
inline constexpr const char* admin_app_identifier = "cstad-admin-1";
/// The LIMs of a system speak this version of cstad's cluster protocol (the message types of
/// actors.hpp): a LIM of another version is refused at the handshake.
inline constexpr const char* cluster_app_identifier = "cstad-cluster-1";

class cstad_config : public caf::actor_system_config {
public:
  cstad_config();

  /// The option list for --help.
  std::string options_help() const { return custom_options_.help_text(true); }

  // Options that change the configuration in the data directory when they are given (absent:
  // the data directory's own, or on a fresh one the defaults).
  std::optional<std::string> host() const;
  std::optional<std::uint16_t> port() const;
  std::optional<std::string> plan_file() const;
  /// The TLS server of the command line: --tls-port, and --tls-cert, --tls-key, --tls-ca
  /// (tls_file("tls-cert") …; empty when not given).
  std::optional<std::uint16_t> tls_port() const;
  /// The TR/87 server of the command line: --sip-port.
  std::optional<std::uint16_t> sip_port() const;
  std::string tls_file(const char* name) const;
  bool session_required() const;
  /// --system-status-on-connect: the first server announces itself to each client.
  bool status_on_connect() const;
  /// --system=FILE: the system layout (admin/system_layout.hpp) to use from now on; kept.
  std::optional<std::string> system_file() const;

  int lim = 1;  // --lim: which LIM of the system this process is

  std::string data_dir;                     // empty: data_directory::resolve's default
  std::string log_level = "info";
  std::string metrics;  // HOST:PORT of the metrics and status page; empty: none
  std::string trace;    // the wire trace from the start: "all", ADDR[:PORT], device:NUMBER; empty: off
  std::uint64_t trace_max_bytes = 10 * 1024 * 1024;  // trace.log rotates at this size
  std::string simulation_file;              // people and traffic (JSON); default: the demo's
  double traffic = 0;                       // calls per hour from outside numbers; 0: none
  std::string traffic_target = "6000";      // where that traffic goes
  std::uint64_t traffic_seed = 1;
  std::uint64_t output_queue_limit = 16 * 1024 * 1024;  // per connection (write flow control)
  std::uint64_t output_high_water = 4 * 1024 * 1024;    // per connection: overloadImminent
  std::uint64_t max_monitors_per_session = 100000;
  std::uint64_t max_monitors = 1000000;
  std::uint64_t max_outstanding = 1000;
  std::int64_t session_cleanup_delay = 0;  // seconds
  std::uint64_t login_timeout = 60;  // seconds
  std::uint64_t max_per_address = 0;
};

/// The CAF configuration of an admin tool: the message types it exchanges with the node, and
/// the application identifier both sides must share.
class admin_tool_config : public caf::actor_system_config {
public:
  admin_tool_config();
};

}  // namespace cstad
