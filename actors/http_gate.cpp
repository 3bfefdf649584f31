#include "actors/http_gate.hpp"

#include <optional>
#include <thread>

#include <httplib.h>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/observed.hpp"
#include "common/log.hpp"

namespace cstad {

extern const char* const status_page_html;  // status_page.cpp, generated from status_page.html

struct http_gate::impl {
  caf::actor_system& sys;
  node_actor node;
  httplib::Server server;
  std::thread thread;
  std::uint16_t port = 0;

  impl(caf::actor_system& s, node_actor n) : sys(s), node(std::move(n)) {}
};

namespace {

constexpr auto ask_timeout = std::chrono::seconds(3);

// A fresh look at the node, or nothing when it does not answer in time.
std::optional<observed> look(caf::actor_system& sys, const node_actor& node) {
  caf::scoped_actor self{sys};
  observed o;
  bool ok = true;
  auto failed = [&](const caf::error&) { ok = false; };
  self->request(node, ask_timeout, atom::status_v).receive([&](node_status& s) { o.status = std::move(s); }, failed);
  if (!ok)
    return std::nullopt;
  self->request(node, ask_timeout, atom::report_v, true)
      .receive([&](admin::system_report& r) { o.report = std::move(r); }, failed);
  if (!ok)
    return std::nullopt;
  std::optional<lim_actor> lim;
  self->request(node, ask_timeout, atom::lim_v, o.report.lim)
      .receive([&](lim_actor& l) { lim = std::move(l); }, [](const caf::error&) {});
  if (lim)  // a LIM that is down has no groups to show
    self->request(*lim, ask_timeout, atom::groups_v)
        .receive([&](std::vector<admin::group_report>& g) { o.groups = std::move(g); }, [](const caf::error&) {});
  return o;
}

template <class Render>
void answer(http_gate::impl& gate, httplib::Response& res, const char* type, Render render) {
  auto o = look(gate.sys, gate.node);
  if (!o) {
    res.status = 503;
    res.set_content("the node did not answer\n", "text/plain; charset=utf-8");
    return;
  }
  res.set_content(render(*o), type);
}

}  // namespace

http_gate::http_gate(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

http_gate::~http_gate() {
  impl_->server.stop();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

std::uint16_t http_gate::port() const { return impl_->port; }

std::unique_ptr<http_gate> http_gate::start(caf::actor_system& sys, node_actor node, const std::string& host,
                                            std::uint16_t port, std::string& error) {
  auto i = std::make_unique<impl>(sys, std::move(node));
  auto* gate = i.get();
  // Read-only: GET only; a page that loads nothing from elsewhere.
  i->server.set_default_headers({{"Cache-Control", "no-store"},
                                 {"X-Content-Type-Options", "nosniff"},
                                 {"Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                                                             "style-src 'unsafe-inline'"}});
  i->server.Get("/metrics", [gate](const httplib::Request&, httplib::Response& res) {
    answer(*gate, res, "text/plain; version=0.0.4; charset=utf-8", prometheus_text);
  });
  i->server.Get("/status.json", [gate](const httplib::Request&, httplib::Response& res) {
    answer(*gate, res, "application/json", status_json);
  });
  i->server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(status_page_html, "text/html; charset=utf-8");
  });
  int bound = port == 0 ? i->server.bind_to_any_port(host) : (i->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + " for --metrics";
    return nullptr;
  }
  i->port = static_cast<std::uint16_t>(bound);
  i->thread = std::thread([gate] { gate->server.listen_after_bind(); });
  log::node().info("metrics and status page on http://{}:{}/", host, i->port);
  return std::make_unique<http_gate>(std::move(i));
}

}  // namespace cstad
