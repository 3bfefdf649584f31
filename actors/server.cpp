#include "actors/server.hpp"

#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/spawn.hpp"

namespace cstad {

std::optional<running_server> start_server(caf::actor_system& sys, server_settings settings,
                                           std::string& error) {
  running_server out;
  out.lim = spawn_lim(sys, std::move(settings.plan), std::move(settings.simulation), settings.timing);
  caf::scoped_actor self{sys};
  directory_ptr dir;
  self->request(out.lim, std::chrono::seconds(10), atom::directory_v)
      .receive([&](directory_ptr d) { dir = std::move(d); },
               [&](caf::error& err) { error = "LIM did not start: " + sys.render(err); });
  if (!dir) {
    caf::anon_send_exit(out.lim, caf::exit_reason::user_shutdown);
    return std::nullopt;
  }
  out.listener = spawn_listener(sys, settings.host, settings.port, std::move(dir),
                                std::make_shared<const session_policy>(settings.sessions));
  self->request(out.listener, std::chrono::seconds(10), atom::port_v)
      .receive([&](std::uint16_t port) { out.port = port; },
               [&](caf::error&) {
                 error = "cannot listen on " + settings.host + ":" + std::to_string(settings.port);
               });
  if (out.port == 0) {
    caf::anon_send_exit(out.lim, caf::exit_reason::user_shutdown);
    return std::nullopt;
  }
  return out;
}

void stop_server(caf::actor_system& sys, const running_server& server) {
  // Wait until listener (after all its connections) and LIM are gone, so nothing is left
  // half-done when the middleman stops; give up after a second, as promised for SIGTERM.
  caf::scoped_actor self{sys};
  self->monitor(server.listener);
  self->monitor(server.lim);
  caf::anon_send_exit(server.listener, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(server.lim, caf::exit_reason::user_shutdown);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (int down = 0; down < 2;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      break;
    bool timed_out = false;
    self->receive([&](const caf::down_msg&) { ++down; },
                  caf::after(left) >> [&] { timed_out = true; });
    if (timed_out)
      break;
  }
}

}  // namespace cstad
