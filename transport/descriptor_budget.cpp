#include "transport/descriptor_budget.hpp"

#include <dirent.h>
#include <sys/resource.h>

#include <atomic>
#include <limits>

namespace cstad::transport {
namespace {

std::atomic<std::size_t> budget{std::numeric_limits<std::size_t>::max()};
std::atomic<std::size_t> taken{0};

std::size_t count_open_descriptors() {
  std::size_t n = 0;
  if (auto dir = ::opendir("/proc/self/fd")) {
    while (auto entry = ::readdir(dir))
      if (entry->d_name[0] != '.')
        ++n;
    ::closedir(dir);
    return n > 0 ? n - 1 : 0;  // the directory's own descriptor
  }
  return 16;  // no /proc: a guess that errs on the safe side for a process just started
}

}  // namespace

descriptor_limits prepare_descriptors(std::size_t reserve) {
  descriptor_limits out;
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &rl);
      ::getrlimit(RLIMIT_NOFILE, &rl);
    }
    out.limit = rl.rlim_cur == RLIM_INFINITY ? std::numeric_limits<std::size_t>::max() / 2
                                             : static_cast<std::size_t>(rl.rlim_cur);
  }
  out.open_at_start = count_open_descriptors();
  auto used = out.open_at_start + reserve;
  out.connections = out.limit > used ? out.limit - used : 0;
  budget = out.connections;
  return out;
}

void set_connection_budget(std::size_t slots) { budget = slots; }

bool take_connection_slot() {
  auto now = taken.load();
  do {
    if (now >= budget.load())
      return false;
  } while (!taken.compare_exchange_weak(now, now + 1));
  return true;
}

void give_back_connection_slot() {
  auto now = taken.load();
  while (now > 0 && !taken.compare_exchange_weak(now, now - 1)) {
  }
}

std::size_t connections_open() { return taken.load(); }

}  // namespace cstad::transport
