#pragma once
// Ids that are unique in a system of several LIMs. Each LIM numbers its calls (and its
// monitors' cross-references, its registrations) in a block of its own, so ids never collide
// between LIM processes and the LIM that owns an id is read off the id itself: call ids on the
// wire are decimal, and LIM 2's first call is 2000000000001.

#include <cstdint>

namespace cstad::sim {

/// How many ids each LIM has.
inline constexpr std::uint64_t ids_per_lim = 1'000'000'000'000;

/// The first id of a LIM's block (LIM 0 is the block of plain 1, 2, 3, … used by tests).
constexpr std::uint64_t first_id_of(int lim) {
  return static_cast<std::uint64_t>(lim) * ids_per_lim + 1;
}

/// The LIM whose block holds the id.
constexpr int lim_of(std::uint64_t id) { return static_cast<int>(id / ids_per_lim); }

}  // namespace cstad::sim
