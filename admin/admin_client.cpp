#include "admin/admin_client.hpp"

#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/actors.hpp"
#include "actors/config.hpp"
#include "actors/error_text.hpp"
#include "actors/unix_socket_basp.hpp"
#include "admin/data_directory.hpp"

namespace cstad::admin {
namespace {

// A restore restarts the LIM and every server; the rest answers at once.
constexpr auto request_timeout = std::chrono::seconds(90);

// Long enough for a busy server to accept, short enough that a tool never seems to hang.
constexpr auto connect_timeout = std::chrono::seconds(10);

std::string reason_of(caf::actor_system& sys, const caf::error& err) { return render_reason(sys, err); }

}  // namespace

struct admin_client::impl {
  cstad::admin_tool_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  admin_actor gate;
  std::string secret;

  template <class Answer, class... Ts>
  std::optional<Answer> ask(std::string& error, const Ts&... xs) {
    std::optional<Answer> out;
    caf::scoped_actor self{*sys};
    self->request(gate, request_timeout, xs...)
        .receive([&](Answer& a) { out = std::move(a); },
                 [&](caf::error& err) { error = reason_of(*sys, err); });
    return out;
  }
};

admin_client::admin_client(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

admin_client::~admin_client() = default;

std::unique_ptr<admin_client> admin_client::connect(const std::string& data_dir, std::string& error) {
  data_directory dir{data_directory::resolve(data_dir)};
  auto secret = dir.admin_secret(false, error);
  if (!secret)
    return nullptr;
  auto i = std::make_unique<impl>();
  i->secret = *secret;
  i->sys = std::make_unique<caf::actor_system>(i->cfg);
  auto gate = connect_to_unix_socket(*i->sys, dir.admin_socket(), i->sys->message_types<admin_actor>(),
                                     connect_timeout);
  if (!gate) {
    error = "no cstad is running on the data directory " + dir.path() + " (" + reason_of(*i->sys, gate.error()) +
            ")";
    return nullptr;
  }
  i->gate = caf::actor_cast<admin_actor>(*gate);
  return std::unique_ptr<admin_client>(new admin_client(std::move(i)));
}

std::optional<admin_reply> admin_client::add_server(const server_config& c, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::srv_add_v, impl_->secret, c);
}

std::optional<admin_reply> admin_client::trace(const trace_selection& s, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::trace_v, impl_->secret, s);
}

std::optional<admin_reply> admin_client::remove_server(int lim, std::uint16_t port, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::srv_remove_v, impl_->secret, lim, port);
}

std::optional<system_report> admin_client::report(bool devices, std::string& error) {
  return impl_->ask<system_report>(error, atom::report_v, impl_->secret, devices);
}

std::optional<admin_reply> admin_client::set_account(const account& a, bool create, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::acct_set_v, impl_->secret, a, create);
}

std::optional<admin_reply> admin_client::remove_account(const std::string& user, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::acct_rm_v, impl_->secret, user);
}

std::optional<auth_report> admin_client::accounts(std::string& error) {
  return impl_->ask<auth_report>(error, atom::accounts_v, impl_->secret);
}

std::optional<admin_reply> admin_client::backup(std::string& error) {
  return impl_->ask<admin_reply>(error, atom::backup_v, impl_->secret);
}

std::optional<admin_reply> admin_client::restore(const std::string& json, std::string& error) {
  return impl_->ask<admin_reply>(error, atom::restore_v, impl_->secret, json);
}

}  // namespace cstad::admin
