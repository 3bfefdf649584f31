#pragma once
// What cstad's command line changes in the configuration kept in the data directory
// (command_line.cpp); main.cpp applies it at start-up.

#include <string>

#include "actors/config.hpp"
#include "admin/system_config.hpp"

namespace cstad {

/// Puts the options given on the command line (--system, --host, --port, --session-required,
/// --system-status-on-connect, --tls-*, --plan) into c, the configuration of LIM lim. True
/// when that changed c; false with error set when an option's file cannot be used.
bool apply_command_line(const cstad_config& cfg, admin::system_config& c, int lim, std::string& error);

}  // namespace cstad
