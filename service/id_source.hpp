#pragma once
// Monitor cross-references, registration ids and service cross-references that are unique in
// the whole system: numbered in the id block of this node's LIM (sim/system_ids.hpp), so a
// stale id can never name another session's monitor, here or on another LIM. One per process,
// shared by its sessions; thread-safe.

#include <atomic>
#include <cstdint>
#include <string>

namespace cstad::service {

class id_source {
public:
  explicit id_source(int lim);

  /// The next id, as it goes on the wire.
  std::string next();

private:
  std::atomic<std::uint64_t> next_;
};

}  // namespace cstad::service
