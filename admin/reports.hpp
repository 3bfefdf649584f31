#pragma once
// What the admin commands get back from the running server: plain data, sent over CAF between
// the tools and the node, printed as tables or JSON by the tools.

#include <cstdint>
#include <string>
#include <vector>

#include "admin/system_config.hpp"

namespace cstad::admin {

/// The outcome of a change: an error (empty when it worked) and what to tell the operator.
struct admin_reply {
  std::string error;
  std::string message;
};

template <class Inspector>
auto inspect(Inspector& f, admin_reply& x) {
  return f(x.error, x.message);
}

struct server_report {
  server_config config;
  std::string state;               // running, removing, failed: …
  std::uint16_t bound_port = 0;    // the port it listens on (config.port may say 0: any)
  std::uint64_t connections = 0;   // open now
};

template <class Inspector>
auto inspect(Inspector& f, server_report& x) {
  return f(x.config, x.state, x.bound_port, x.connections);
}

struct session_report {
  std::uint16_t server_port = 0;  // the server it came through
  std::string peer;               // client address:port
  std::string application;        // ECMA-354 applicationID, "" without an application session
  std::string user;
  std::int64_t age_seconds = 0;
  std::uint64_t monitors = 0;
  std::uint64_t events = 0;       // events sent
  std::string session_id;         // its ECMA-354 sessionID, else its TR/87 dialog's id (csta -t on --session)
};

template <class Inspector>
auto inspect(Inspector& f, session_report& x) {
  // session_id last: the fields before it keep their places on the wire between LIMs.
  return f(x.server_port, x.peer, x.application, x.user, x.age_seconds, x.monitors, x.events, x.session_id);
}

struct device_report {
  std::string number;
  std::string kind;
  std::uint64_t monitors = 0;
};

template <class Inspector>
auto inspect(Inspector& f, device_report& x) {
  return f(x.number, x.kind, x.monitors);
}

/// Another LIM of the system, as csta -p on this one shows it.
struct lim_report {
  int lim = 0;
  std::string address;  // its cluster address, host:port
  std::string state;    // up, down (not reachable from this LIM)
  std::vector<server_report> servers;
  std::vector<session_report> sessions;
};

template <class Inspector>
auto inspect(Inspector& f, lim_report& x) {
  return f(x.lim, x.address, x.state, x.servers, x.sessions);
}

/// An ACD group as the status page and the metrics show it: calls waiting, agents by state.
struct group_report {
  std::string number;
  std::string name;
  std::uint64_t waiting = 0;
  std::uint64_t agents = 0;  // logged on
  std::uint64_t ready = 0;
  std::uint64_t busy = 0;
  std::uint64_t not_ready = 0;
  std::uint64_t after_call_work = 0;
};

template <class Inspector>
auto inspect(Inspector& f, group_report& x) {
  return f(x.number, x.name, x.waiting, x.agents, x.ready, x.busy, x.not_ready, x.after_call_work);
}

/// One limit of the server: what it is set to, and how often it was hit since the start.
struct limit_report {
  std::string name;
  std::string setting;
  std::uint64_t hits = 0;

  friend bool operator==(const limit_report& a, const limit_report& b) {
    return a.name == b.name && a.setting == b.setting && a.hits == b.hits;
  }
};

template <class Inspector>
auto inspect(Inspector& f, limit_report& x) {
  return f(x.name, x.setting, x.hits);
}

/// csta -p.
struct system_report {
  int lim = 1;
  std::vector<server_report> servers;
  std::vector<session_report> sessions;
  std::vector<device_report> devices;  // monitored ones, when asked for
  std::vector<lim_report> others;      // the other LIMs of a system of several
  std::vector<limit_report> limits;    // this LIM's
};

template <class Inspector>
auto inspect(Inspector& f, system_report& x) {
  return f(x.lim, x.servers, x.sessions, x.devices, x.others, x.limits);
}

/// An account as csta_authentication -p shows it: never the password or its hash.
struct account_summary {
  std::string user;
  int level = 1;
  std::vector<std::string> applications;
  int max_duration = 0;
  std::vector<std::string> devices;  // empty: any
};

template <class Inspector>
auto inspect(Inspector& f, account_summary& x) {
  return f(x.user, x.level, x.applications, x.max_duration, x.devices);
}

/// csta_authentication -p.
struct auth_report {
  session_durations durations;
  std::vector<server_config> servers;  // for their authentication mode
  std::vector<account_summary> accounts;
};

template <class Inspector>
auto inspect(Inspector& f, auth_report& x) {
  return f(x.durations, x.servers, x.accounts);
}

}  // namespace cstad::admin
