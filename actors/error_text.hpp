#pragma once
// What an operator should read of a CAF error: CAF renders a refusal as
// error(runtime_error, "…"), and the words inside the quotes are the reason.

#include <string>

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace cstad {

inline std::string render_reason(caf::actor_system& sys, const caf::error& err) {
  auto text = sys.render(err);
  auto open = text.find('"');
  auto close = text.rfind('"');
  if (open != std::string::npos && close > open)
    return text.substr(open + 1, close - open - 1);
  return text;
}

}  // namespace cstad
