#pragma once
// Factories for each actor; the behaviours and their states stay inside their own .cpp files,
// so only those translation units pay for CAF's template instantiations.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/actors.hpp"
#include "admin/data_directory.hpp"
#include "admin/system_config.hpp"
#include "service/session_core.hpp"
#include "sim/exchange.hpp"
#include "sim/number_plan.hpp"
#include "sim/simulation.hpp"
#include "transport/listener.hpp"

namespace cstad {

/// The LIMs of the system by id, as a session reaches them.
using lim_table = std::unordered_map<int, lim_actor>;

struct lim_settings {
  int id = 1;
  sim::number_plan plan = sim::number_plan::demo();
  sim::simulation_config simulation = sim::simulation_config::demo();  // people and traffic
  sim::exchange_timing timing;  // ring cycle, no-answer rings, ring limit
  std::vector<admin::feature_entry> features;  // DND and forwarding set at start
  // Every number of the system with its LIM (null: this LIM is the whole system): numbers of
  // other LIMs are reached through inter-LIM signalling.
  std::shared_ptr<const service::directory> system;
};

/// A LIM hosting the exchange of its plan, on the given clock. It tells node (when there is
/// one) whenever clients change DND or forwarding.
lim_actor spawn_lim(caf::actor_system& sys, lim_settings settings,
                    std::shared_ptr<const sim::clock> clock, node_actor node = {});

/// The authenticator with these accounts, on a thread of its own unless told otherwise (tests
/// on the deterministic test coordinator).
authenticator_actor spawn_authenticator(caf::actor_system& sys, std::vector<service::account> accounts,
                                        std::shared_ptr<const sim::clock> clock, bool own_thread = true);

/// Where this process's LIM reaches another LIM of the system.
struct link_settings {
  int own_lim = 1;
  int far_lim = 2;
  std::string host;
  std::uint16_t cluster_port = 0;
  node_actor node;  // told when the far LIM comes up or goes down
  // This process's LIM: signalling the far LIM cannot take is answered to it. A restore
  // replaces the LIM; the node then names the new one ((atom::join, own_lim, sink)).
  signal_sink_actor lim;
};

/// The link to another LIM: connects at once and again whenever it is lost.
lim_link_actor spawn_lim_link(caf::actor_system& sys, link_settings settings);

/// What this LIM publishes on its cluster port (see peer_actor).
peer_actor spawn_peer_gate(caf::actor_system& sys, node_actor node);

/// What a session needs besides its carrier.
struct session_environment {
  service::session_context context;
  std::shared_ptr<const lim_table> lims;
  std::shared_ptr<const sim::clock> clock;
  node_actor node;  // told when the session starts and ends; may be null (tests)
  authenticator_actor authenticator;  // null: no accounts (sessions start unless mandatory)
  int server = 0;   // the id of its CSTA server at the node
  int home_lim = 0;  // the LIM of this process, not a link to another (0: none)
};

/// The session of one client, served over carrier.
session_actor spawn_session(caf::actor_system& sys, carrier_actor carrier, std::string peer,
                            session_environment env);

struct node_settings {
  int lim = 1;  // this node's LIM
  admin::system_config config = admin::system_config::fresh();  // servers, accounts, plan, DND/forwarding
  sim::simulation_config simulation;  // people and traffic (not kept in the configuration)
  sim::exchange_timing timing;
  transport::write_limits limits;     // of every connection
  // What sessions may hold: monitors each and all together, requests waiting each.
  std::size_t max_monitors_per_session = 100000;
  std::size_t max_monitors = 1000000;
  std::size_t max_outstanding = 1000;
  // Seconds an application session outlives a lost connection when its client asks for no
  // clean-up delay (0: it ends at once).
  int session_cleanup_delay = 0;
  std::chrono::seconds login_timeout{60};  // servers requiring a session: to start one
  std::size_t max_per_address = 0;         // connections open from one client address; 0: no limit
  std::shared_ptr<admin::data_directory> store;  // where changes are kept; null: nowhere (tests)
  // Servers the start cannot do without besides the first (those the command line named).
  std::vector<std::uint16_t> essential_ports;
};

/// The node of this process: it starts the LIM and the configured servers at once. Its answer
/// to atom::start says when they listen (or why one cannot).
node_actor spawn_node(caf::actor_system& sys, node_settings settings);

/// The admin gate for the tools: checks each request's secret and passes it to the node.
admin_actor spawn_admin_gate(caf::actor_system& sys, node_actor node, std::string secret);

/// Ends the node in order (listeners and their connections, then the LIM) and waits for it,
/// at most the given time.
void stop_node(caf::actor_system& sys, const node_actor& node,
               std::chrono::milliseconds patience = std::chrono::seconds(1));

}  // namespace cstad
