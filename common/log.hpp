#pragma once
// Per-component loggers (CAF's own logger is compiled out in Debian's build). Info level logs
// one line per connection opened/closed and per error; debug adds every frame in and out (the
// carriers' wire trace).

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace cstad::log {

/// Creates the loggers writing to stderr at the given level ("info", "debug", …).
/// Safe to call more than once; the last level wins.
void setup(std::string_view level);

spdlog::logger& listener();
spdlog::logger& connection();  // carriers: the wire trace and connection life
spdlog::logger& session();
spdlog::logger& device();
spdlog::logger& lim();
spdlog::logger& node();
spdlog::logger& main();

}  // namespace cstad::log
