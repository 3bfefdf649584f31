#pragma once
// How the LIMs of a system keep one configuration. Every LIM keeps the whole configuration in
// its own data directory and sends it to the others after each change and whenever one joins.
// A configuration has parts with their own owners and counts:
//   - the system-wide part (accounts, session durations, the layout, the plan): the later
//     `revision` wins;
//   - the servers of each LIM: the later `server_revisions[lim]` wins, so csta -i on LIM 1
//     for LIM 2 and a --port given at LIM 2's start both reach every LIM, and neither undoes
//     the other;
//   - DND and forwarding of a device: what its own LIM says (clients set them there).
// A tie between changes made on two LIMs that could not reach each other goes to the lower
// LIM id, so every LIM settles on the same configuration. Plain data, no CAF, no I/O.

#include <functional>

#include "admin/system_config.hpp"

namespace cstad::admin {

/// Counts the changes from before to after into after's revisions: the system-wide revision
/// when that part changed, a LIM's server revision when its servers changed.
void count_changes(const system_config& before, system_config& after);

/// Which LIM owns a device number (0: none).
using owner_of = std::function<int(const std::string& number)>;

/// What this LIM (own_lim, holding mine) keeps when LIM from sends theirs: each part from
/// whichever side is later (see above). Equal to mine when theirs brings nothing new.
system_config merge(const system_config& mine, int own_lim, const system_config& theirs, int from,
                    const owner_of& owner);

}  // namespace cstad::admin
