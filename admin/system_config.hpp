#pragma once
// What an operator configures, as it is kept in the data directory (config.json) and dumped by
// data_backup: the CSTA servers of each LIM (csta -i / -e), application session authentication
// (csta_authentication), the number plan, and the exchange data clients change (DND,
// forwarding). Plain data with a JSON form; no CAF, no I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "service/account.hpp"
#include "sim/operation.hpp"

namespace cstad::admin {

/// One CSTA server: what `csta -i` initiates.
struct server_config {
  int lim = 1;
  std::string type = "xml";  // xml | tr87
  std::string host = "127.0.0.1";
  std::uint16_t port = 8882;
  bool tls = false;
  std::string auth = "optional";  // optional | mandatory: is an application session required?
  int max_sessions = 0;           // concurrent connections; 0: no limit
  // XML servers: a SystemStatus (normal) to every client as soon as it connects, for clients
  // that wait for one before they send anything (OpenScape style).
  bool status_on_connect = false;
  // TLS: PEM files given with cstad --tls-cert/--tls-key/--tls-ca; empty: what
  // mxone_certificate installed in the data directory.
  std::string tls_certificate;
  std::string tls_key;
  std::string tls_client_ca;

  friend bool operator==(const server_config& a, const server_config& b) {
    return a.lim == b.lim && a.type == b.type && a.host == b.host && a.port == b.port &&
           a.tls == b.tls && a.auth == b.auth && a.max_sessions == b.max_sessions &&
           a.tls_certificate == b.tls_certificate && a.tls_key == b.tls_key && a.tls_client_ca == b.tls_client_ca &&
           a.status_on_connect == b.status_on_connect;
  }
};

template <class Inspector>
auto inspect(Inspector& f, server_config& x) {
  return f(x.lim, x.type, x.host, x.port, x.tls, x.auth, x.max_sessions, x.tls_certificate, x.tls_key,
           x.tls_client_ca, x.status_on_connect);
}

/// The default port of a server type: 8882 for XML, 8883 for XML with TLS, 5062 for TR/87.
std::uint16_t default_port(const std::string& type, bool tls);

/// An account for application session authentication (csta_authentication -i/-c).
using account = service::account;

/// Session durations the server grants (ECMA-354 requestedSessionDuration is clamped to them).
struct session_durations {
  int default_duration = 300;
  int min_duration = 10;
  int max_duration = 3600;

  friend bool operator==(const session_durations& a, const session_durations& b) {
    return a.default_duration == b.default_duration && a.min_duration == b.min_duration &&
           a.max_duration == b.max_duration;
  }
};

template <class Inspector>
auto inspect(Inspector& f, session_durations& x) {
  return f(x.default_duration, x.min_duration, x.max_duration);
}

/// A device's do-not-disturb, or one of its forwardings, as clients set them.
struct feature_entry {
  std::string device;
  std::string feature;      // "doNotDisturb", or a forwarding type ("forwardImmediate", …)
  std::string destination;  // forwarding only
  int ring_count = 0;       // forwarding only; 0: the exchange's default

  friend bool operator==(const feature_entry& a, const feature_entry& b) {
    return a.device == b.device && a.feature == b.feature && a.destination == b.destination &&
           a.ring_count == b.ring_count;
  }
};

template <class Inspector>
auto inspect(Inspector& f, feature_entry& x) {
  return f(x.device, x.feature, x.destination, x.ring_count);
}

struct system_config {
  std::vector<server_config> servers;
  session_durations durations;
  std::vector<account> accounts;
  std::string plan;  // the number plan's JSON (sim::number_plan::from_json); "": the demo
  std::vector<feature_entry> features;  // DND and forwarding set on devices
  // The LIMs of a system of several (admin::system_layout's JSON); "": one LIM with `plan`.
  // With a system, each LIM's plan is its part of it and `plan` is not used.
  std::string system;
  // Count the changes, so the LIMs of a system keep the latest of each part (replication.hpp):
  // of the system-wide part (accounts, durations, layout, plan), and of each LIM's servers.
  std::uint64_t revision = 0;
  std::map<int, std::uint64_t> server_revisions;

  friend bool operator==(const system_config& a, const system_config& b) {
    return a.servers == b.servers && a.durations == b.durations && a.accounts == b.accounts &&
           a.plan == b.plan && a.features == b.features && a.system == b.system;
  }

  /// A fresh system: the demo exchange with one XML server on 127.0.0.1:8882.
  static system_config fresh();

  const account* find_account(const std::string& user) const;
  server_config* find_server(int lim, std::uint16_t port);
};

template <class Inspector>
auto inspect(Inspector& f, system_config& x) {
  return f(x.servers, x.durations, x.accounts, x.plan, x.features, x.system, x.revision, x.server_revisions);
}

/// The JSON text of a configuration (as config.json and backups hold it).
std::string to_json(const system_config& c);

/// Reads and checks a configuration; on any problem returns nothing and says what and where in
/// error (e.g. "servers[1].port: 70000 is not a port").
std::optional<system_config> from_json(const std::string& text, std::string& error);

/// The exchange operation that sets a kept feature; nothing for an unknown feature.
std::optional<sim::operation> operation_of(const feature_entry& f);

/// Why a user or application name cannot be used (empty, too long, control characters that
/// would forge log lines and tables, surrounding spaces); empty when it can.
std::string name_problem(const std::string& name);

/// Checks what JSON cannot: types, ports, duplicate servers and accounts, the number plan.
/// Empty when it is fine.
std::string check(const system_config& c);

}  // namespace cstad::admin
