#pragma once
// The node actor's state and what its parts share (node.cpp runs the configuration and the
// LIM; node_admin.cpp the admin commands that change the configuration; node_servers.cpp the
// CSTA servers; node_report.cpp answers what the node is doing: status, csta -p, limits,
// session takeovers; node_trace.cpp the wire trace's selection). Only these files include it.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/spawn.hpp"
#include "actors/status.hpp"
#include "admin/system_layout.hpp"

namespace cstad::node_impl {

// The limits hit are logged at most this often, one line each (a client that keeps hitting one
// cannot flood the log).
constexpr auto limits_log_interval = std::chrono::seconds(60);
// How long a status or report waits for each part of the node.
constexpr auto status_timeout = std::chrono::milliseconds(2000);
// How long a removed server's clients have to close before their connections are closed.
constexpr auto removal_grace = std::chrono::seconds(2);
// DND and forwarding changes are written at most this often (each admin change at once).
constexpr auto flush_delay = std::chrono::seconds(1);

using admin::admin_reply;
using reply_promise = caf::typed_response_promise<admin_reply>;

struct server_entry {
  int id = 0;
  admin::server_config config;
  listener_actor listener;
  std::uint16_t bound_port = 0;
  std::string state = "starting";     // starting, running, removing, failed: …
  bool essential = false;              // the first server: the start fails without it
  std::optional<reply_promise> added;  // csta -i waits for the listener's port
  std::vector<reply_promise> removed;  // csta -e waits for the listener's end
};

struct node_state {
  static inline const char* name = "cstad.node";
  node_settings settings;  // settings.config is the configuration in force
  std::shared_ptr<const sim::clock> clock;
  lim_actor lim;
  bool lim_alive = false;
  std::shared_ptr<const lim_table> lims;
  std::shared_ptr<const service::directory> dir;
  std::shared_ptr<service::id_source> ids;
  std::shared_ptr<service::monitor_budget> monitors;  // every session's monitors together
  authenticator_actor authenticator;
  std::vector<server_entry> servers;
  int next_server = 1;
  std::vector<std::pair<session_actor, int>> sessions;  // open now, with their server's id
  service::session_stats retired;                        // what ended sessions did
  std::vector<caf::typed_response_promise<std::vector<transport::listener_status>>> starting;
  bool flush_due = false;
  // Stopping everything: for a shutdown (the exit reason; then the node ends) or for a
  // restore (the promise; then it starts again from the new configuration).
  std::optional<caf::error> shutdown;
  std::optional<reply_promise> restoring;
  // A system of several LIMs (empty: this LIM is the whole system): the links to the other
  // LIMs and whether each is up, and the cluster port the others reach this one on.
  std::optional<admin::system_layout> layout;
  std::vector<std::pair<int, lim_link_actor>> links;
  std::map<int, bool> far_up;
  std::string cluster_state;  // "", starting, running, failed: …
  std::vector<admin::limit_report> limits_logged;  // as last logged (log_limits_hit)
  // Sessions by their ECMA-354 session id, for a client that comes back to take one over.
  std::unordered_map<std::string, session_actor> session_ids;
};

using node_pointer = node_actor::stateful_pointer<node_state>;

server_entry* find_server(node_pointer self, int id);
/// This node's server of LIM lim on port, if there is one.
server_entry* find_server(node_pointer self, int lim, std::uint16_t port);
/// Keeps a changed configuration in the data directory and hands it to the other LIMs; the
/// error when it cannot be kept.
std::string keep(node_pointer self, admin::system_config& c);
/// Stopping everything: the next step, once servers or the LIM are gone.
void continue_stopping(node_pointer self);
/// Stops every server and session (shutdown, restore), then the LIM.
void stop_everything(node_pointer self, const std::string& reason);

// node_admin.cpp
/// csta -i: a server added to the configuration; answered once it listens (or cannot).
reply_promise initiate_server(node_pointer self, admin::server_config c);
/// csta -e: a server removed from the configuration; answered once it has stopped.
reply_promise end_server(node_pointer self, int lim, std::uint16_t port);
/// The configuration as another LIM of the system has it, merged and put in force.
void adopt_configuration(node_pointer self, int from, const std::string& json);
/// SIGHUP: config.json as it is now is the configuration.
void reload(node_pointer self);
/// data_restore: the backup is kept, then every session ends and everything starts again.
reply_promise restore_configuration(node_pointer self, const std::string& json);
/// csta_authentication -p: the accounts, durations and servers.
admin::auth_report auth_report_of(const admin::system_config& c);
/// csta_authentication -i (create) or -c: an account added or changed.
admin_reply set_account(node_pointer self, service::account a, bool create);
/// csta_authentication -e: an account removed.
admin_reply remove_account(node_pointer self, const std::string& user);

// node_servers.cpp
/// A server of the configuration, not yet started.
server_entry& add_server(node_pointer self, const admin::server_config& c);
/// Starts every server of the configuration that is not running.
void start_servers(node_pointer self);
/// A listener's port is known (or it could not listen, and why).
void server_resolved(node_pointer self, int id, std::optional<std::uint16_t> port, const std::string& why);
/// Answers those waiting for the servers to start, once none is starting any more.
void answer_starting(node_pointer self);
/// Why the server with this id cannot listen (empty when it can).
std::string cannot_listen(node_pointer self, int id);
void stop_server(node_pointer self, server_entry& e, const std::string& reason);
/// Forgets the servers that failed to start.
void forget_failed(node_pointer self);
/// Where a TLS server's certificate comes from; nothing, and why, when there is none usable.
std::shared_ptr<transport::tls_context_source> tls_source_of(node_pointer self, const admin::server_config& c,
                                                             std::string& why);

// node_report.cpp
/// What the node's parts have done: its sessions (open and ended), listeners and LIM.
void collect_status(node_pointer self, std::function<void(node_status)> done);
/// Session recovery: the session with this id hands its monitors to the taker.
caf::result<service::session_handover> take_over(node_pointer self, const std::string& id, std::string& user,
                                                 const session_actor& taker);
/// Once per interval: the limits hit since the last time, one line each.
void log_limits_hit(node_pointer self, const node_status& status);
/// This LIM's part of csta -p: its servers, sessions and (when asked) monitored devices.
void describe_lim(node_pointer self, bool devices, std::function<void(admin::system_report)> done);
/// The other LIMs of the system, each as it describes itself (or down), after this LIM's part.
void add_other_lims(node_pointer self, admin::system_report r, caf::typed_response_promise<admin::system_report> rp);

// node_trace.cpp
/// csta -t: puts the selection in force, once it names a client, session or device there is;
/// every session is told (it decides when chosen by its sessionID or devices).
caf::result<admin_reply> select_trace(node_pointer self, trace_selection s);
/// A new session learns the selection in force when it is one that sessions decide.
void tell_trace_selection(node_pointer self, const session_actor& session);

}  // namespace cstad::node_impl
