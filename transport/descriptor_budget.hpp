#pragma once
// How many connections the process can hold: its file descriptor limit, less what it had open
// at start and a reserve for everything else it opens while running (configuration writes,
// certificate reloads, the admin socket, links to other LIMs). Listeners take a slot for each
// connection they accept and give it back when the connection ends; when none is left they
// close the new connection at once. Accepting below the real limit is what keeps an acceptor
// from spinning on EMFILE (CAF's accept loop retries a full descriptor table for ever) and
// keeps the clients already connected served.

#include <cstddef>
#include <string>

namespace cstad::transport {

struct descriptor_limits {
  std::size_t limit = 0;        // RLIMIT_NOFILE's soft limit, after raising it to the hard one
  std::size_t open_at_start = 0;
  std::size_t connections = 0;  // slots for connections
};

/// Raises the soft RLIMIT_NOFILE to the hard limit, counts the descriptors open now and sets
/// the process's connection budget (the limit less those and `reserve`). Call once at start;
/// until then the budget is unlimited (tests).
descriptor_limits prepare_descriptors(std::size_t reserve = 64);

/// Sets the budget directly (tests).
void set_connection_budget(std::size_t slots);

/// A slot for one more connection; false when the budget is spent.
bool take_connection_slot();
/// The slot of a connection that ended.
void give_back_connection_slot();
/// Connections holding a slot now.
std::size_t connections_open();

}  // namespace cstad::transport
