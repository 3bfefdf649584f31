#pragma once
// Debian's CAF 0.17.6 has its logger compiled in at level QUIET: it never writes a line, yet
// every actor's turn on a scheduler or multiplexer thread still records the running actor's id
// for it (logger::thread_local_aid, twice per turn, under a spinlock all threads share): about
// 4% of the server's time under load (issue 15). CAF skips that on a thread with no logger
// registered. A worker registers one as it starts, after the thread hooks have run, so the hooks
// cannot take it away; the first of our handlers to run on each thread does (the event and
// request paths of the LIM, the session and the J.2 carrier call this).

#include <caf/logger.hpp>

namespace cstad::transport {

inline void caf_logger_off_on_this_thread() {
  thread_local bool off = false;
  if (!off) {
    caf::logger::set_current_actor_system(nullptr);
    off = true;
  }
}

}  // namespace cstad::transport
