#include "test_server.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/config.hpp"
#include "actors/log.hpp"
#include "actors/server.hpp"

namespace cstad::test {

struct test_server::impl {
  cstad_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  running_server server;
};

test_server::test_server(sim::exchange_timing timing, session_policy sessions,
                         sim::simulation_config simulation)
    : impl_(std::make_unique<impl>()) {
  log::setup("warn");
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  server_settings settings;
  settings.port = 0;
  settings.timing = timing;
  settings.sessions = std::move(sessions);
  settings.simulation = std::move(simulation);
  std::string error;
  auto s = start_server(*impl_->sys, std::move(settings), error);
  if (!s)
    throw std::runtime_error(error);
  impl_->server = *s;
}

test_server::~test_server() {
  stop_server(*impl_->sys, impl_->server);
  impl_->sys.reset();  // waits for every actor
}

std::uint16_t test_server::port() const { return impl_->server.port; }

sim::traffic_counters test_server::traffic() const {
  caf::scoped_actor self{*impl_->sys};
  sim::traffic_counters counters;
  self->request(impl_->server.lim, std::chrono::seconds(5), atom::stats_v)
      .receive([&](const sim::traffic_counters& c) { counters = c; }, [&](caf::error&) {});
  return counters;
}

std::string test_server::incoming_call(const std::string& from, const std::string& to) {
  caf::scoped_actor self{*impl_->sys};
  sim::operation op;
  op.kind = sim::operation_kind::incoming_call;
  op.device = from;
  op.other = to;
  std::string call;
  self->request(impl_->server.lim, std::chrono::seconds(5), op)
      .receive([&](const sim::outcome& out) { call = std::to_string(out.call); },
               [&](caf::error&) {});
  return call;
}

}  // namespace cstad::test
