// The admin gate: what the admin tools reach over CAF's middleman (on the admin socket). It
// lets through only requests that carry the data directory's admin secret, so another local
// user cannot administer the server, and passes them on to the node.

#include <chrono>

#include <openssl/crypto.h>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/spawn.hpp"
#include "common/log.hpp"

namespace cstad {
namespace {

// Long enough for a restore (it restarts the LIM and every server).
constexpr auto admin_timeout = std::chrono::seconds(60);

struct admin_gate_state {
  static inline const char* name = "cstad.admin-gate";
  node_actor node;
  std::string secret;
};

using gate_pointer = admin_actor::stateful_pointer<admin_gate_state>;

bool allowed(gate_pointer self, const std::string& secret, const char* what) {
  auto& mine = self->state.secret;
  bool ok = secret.size() == mine.size() && CRYPTO_memcmp(secret.data(), mine.data(), mine.size()) == 0;
  if (!ok)
    log::node().warn("admin request ({}) with a wrong secret refused", what);
  return ok;
}

// Passes an accepted request to the node and its answer back; refuses the rest with an error.
template <class Answer, class... Ts>
caf::typed_response_promise<Answer> pass(gate_pointer self, const std::string& secret, const char* what,
                                         Ts&&... xs) {
  auto rp = self->make_response_promise<Answer>();
  if (!allowed(self, secret, what)) {
    rp.deliver(caf::make_error(caf::sec::runtime_error, "refused: wrong admin secret"));
    return rp;
  }
  self->request(self->state.node, admin_timeout, std::forward<Ts>(xs)...)
      .then([rp](Answer& a) mutable { rp.deliver(std::move(a)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

admin_actor::behavior_type admin_gate(gate_pointer self, node_actor node, std::string secret) {
  self->state.node = std::move(node);
  self->state.secret = std::move(secret);
  return {
      [self](atom::trace, const std::string& secret, trace_selection& s) {
        return pass<admin::admin_reply>(self, secret, "csta -t", atom::trace_v, std::move(s));
      },
      [self](atom::srv_add, const std::string& secret, admin::server_config& c) {
        return pass<admin::admin_reply>(self, secret, "csta -i", atom::srv_add_v, std::move(c));
      },
      [self](atom::srv_remove, const std::string& secret, int lim, std::uint16_t port) {
        return pass<admin::admin_reply>(self, secret, "csta -e", atom::srv_remove_v, lim, port);
      },
      [self](atom::report, const std::string& secret, bool devices) {
        return pass<admin::system_report>(self, secret, "csta -p", atom::report_v, devices);
      },
      [self](atom::acct_set, const std::string& secret, service::account& a, bool create) {
        return pass<admin::admin_reply>(self, secret, "csta_authentication", atom::acct_set_v, std::move(a), create);
      },
      [self](atom::acct_rm, const std::string& secret, std::string& user) {
        return pass<admin::admin_reply>(self, secret, "csta_authentication -e", atom::acct_rm_v, std::move(user));
      },
      [self](atom::accounts, const std::string& secret) {
        return pass<admin::auth_report>(self, secret, "csta_authentication -p", atom::accounts_v);
      },
      [self](atom::backup, const std::string& secret) {
        return pass<admin::admin_reply>(self, secret, "data_backup", atom::backup_v);
      },
      [self](atom::restore, const std::string& secret, std::string& json) {
        return pass<admin::admin_reply>(self, secret, "data_restore", atom::restore_v, std::move(json));
      },
  };
}

}  // namespace

admin_actor spawn_admin_gate(caf::actor_system& sys, node_actor node, std::string secret) {
  return sys.spawn(admin_gate, std::move(node), std::move(secret));
}

}  // namespace cstad
