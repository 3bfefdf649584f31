#include "test_server.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/config.hpp"
#include "actors/spawn.hpp"
#include "actors/status.hpp"
#include "common/log.hpp"

namespace cstad::test {

struct test_server::impl {
  cstad_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  node_actor node;
  lim_actor lim;
  std::uint16_t port = 0;
};

test_server::test_server(sim::exchange_timing timing, service::session_policy sessions,
                         sim::simulation_config simulation, transport::write_limits limits,
                         std::vector<service::account> accounts)
    : impl_(std::make_unique<impl>()) {
  log::setup("warn");
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  node_settings settings;
  auto& server = settings.config.servers.front();
  server.port = 0;
  server.auth = sessions.required ? "mandatory" : "optional";
  server.status_on_connect = sessions.status_on_connect;
  settings.config.durations = {sessions.default_duration, sessions.min_duration, sessions.max_duration};
  settings.config.accounts = std::move(accounts);
  settings.limits = limits;
  settings.timing = timing;
  settings.simulation = std::move(simulation);
  impl_->node = spawn_node(*impl_->sys, std::move(settings));
  caf::scoped_actor self{*impl_->sys};
  std::string error;
  self->request(impl_->node, std::chrono::seconds(10), atom::start_v)
      .receive([&](const std::vector<transport::listener_status>& ls) { impl_->port = ls.at(0).port; },
               [&](caf::error& err) { error = impl_->sys->render(err); });
  self->request(impl_->node, std::chrono::seconds(10), atom::lim_v, 1)
      .receive([&](const lim_actor& lim) { impl_->lim = lim; },
               [&](caf::error& err) { error = impl_->sys->render(err); });
  if (!error.empty()) {
    stop_node(*impl_->sys, impl_->node);
    throw std::runtime_error(error);
  }
}

test_server::~test_server() {
  stop_node(*impl_->sys, impl_->node);
  impl_->lim = nullptr;
  impl_->node = nullptr;
  impl_->sys.reset();  // waits for every actor
}

std::uint16_t test_server::port() const { return impl_->port; }

sim::traffic_counters test_server::traffic() const {
  caf::scoped_actor self{*impl_->sys};
  sim::traffic_counters counters;
  self->request(impl_->lim, std::chrono::seconds(5), atom::stats_v)
      .receive([&](const sim::traffic_counters& c) { counters = c; }, [&](caf::error&) {});
  return counters;
}

node_status test_server::status() const {
  caf::scoped_actor self{*impl_->sys};
  node_status out;
  self->request(impl_->node, std::chrono::seconds(5), atom::status_v)
      .receive([&](const node_status& s) { out = s; }, [&](caf::error&) {});
  return out;
}

std::string test_server::incoming_call(const std::string& from, const std::string& to) {
  caf::scoped_actor self{*impl_->sys};
  sim::operation op;
  op.kind = sim::operation_kind::incoming_call;
  op.device = from;
  op.other = to;
  std::string call;
  self->request(impl_->lim, std::chrono::seconds(5), op)
      .receive([&](const sim::outcome& out) { call = std::to_string(out.call); },
               [&](caf::error&) {});
  return call;
}

}  // namespace cstad::test
