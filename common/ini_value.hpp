#pragma once
// One value of an INI file as CAF reads its configuration files ([global] log-level="debug"),
// for what cstad reads again on SIGHUP without restarting CAF.

#include <optional>
#include <string>
#include <string_view>

namespace cstad {

/// The value of `key` in `section` (quotes removed); nothing when it is not there. Lines
/// starting with ';' or '#' are comments.
std::optional<std::string> ini_value(std::string_view text, std::string_view section, std::string_view key);

}  // namespace cstad
