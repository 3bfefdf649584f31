#pragma once
// Why a load run cannot go on (the server died, closed a connection, sent a broken frame,
// did not answer in time): thrown from deep in the event loop, caught where the run is
// reported, so every such path ends the same way (exit status 2, servers stopped).

#include <string>

namespace cstad::load {

struct run_failure {
  std::string what;
};

}  // namespace cstad::load
