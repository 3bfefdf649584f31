// What cstad's command line changes in the configuration kept in the data directory: the
// system file, the first server's host and port, whether it requires application sessions or
// greets with a SystemStatus, the TLS server, the number plan.

#include "actors/command_line.hpp"

#include <algorithm>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "admin/data_directory.hpp"
#include "admin/system_layout.hpp"

namespace cstad {

// An absolute form of a path, so a file named relative to where cstad was started is found
// again at the next start from elsewhere.
static std::string absolute(const std::string& path) {
  if (path.empty() || path.front() == '/')
    return path;
  char cwd[4096];
  return ::getcwd(cwd, sizeof cwd) ? std::string{cwd} + "/" + path : path;
}

// --tls-port=P [--tls-cert=FILE --tls-key=FILE] [--tls-ca=FILE]: the TLS server on P (made
// when there is none), its files when given; without files it uses mxone_certificate's.
static bool apply_tls_options(const cstad_config& cfg, admin::system_config& c, int lim, std::uint16_t port,
                       bool& changed, std::string& error) {
  admin::server_config wanted;
  wanted.lim = lim;
  wanted.tls = true;
  wanted.port = port;
  if (auto host = cfg.host())
    wanted.host = *host;
  auto i = std::find_if(c.servers.begin(), c.servers.end(), [&](const admin::server_config& s) {
    return s.lim == lim && s.type == "xml" && s.port == port;
  });
  if (i != c.servers.end()) {
    wanted = *i;
    wanted.tls = true;
  }
  wanted.tls_certificate = absolute(cfg.tls_file("tls-cert"));
  wanted.tls_key = absolute(cfg.tls_file("tls-key"));
  wanted.tls_client_ca = absolute(cfg.tls_file("tls-ca"));
  if (wanted.tls_certificate.empty() != wanted.tls_key.empty()) {
    error = "--tls-cert and --tls-key go together";
    return false;
  }
  if (i == c.servers.end()) {
    c.servers.push_back(wanted);
    changed = true;
  } else if (!(*i == wanted)) {
    *i = wanted;
    changed = true;
  }
  return true;
}

// What the command line changes in the configuration; true when something changed.
bool apply_command_line(const cstad_config& cfg, admin::system_config& c, int lim,
                        std::string& error) {
  bool changed = false;
  if (auto file = cfg.system_file()) {
    auto text = admin::read_file(*file, error);
    if (!text)
      return false;
    auto layout = admin::system_layout::from_json(*text, error);
    if (!layout) {
      error = *file + ": " + error;
      return false;
    }
    if (layout->text() != c.system) {
      c.system = layout->text();
      changed = true;
    }
  }
  // The port of the first server: --port, else the one the system file names for this LIM.
  auto wanted_port = cfg.port();
  if (!wanted_port && !c.system.empty()) {
    std::string ignored;
    if (auto layout = admin::system_layout::from_json(c.system, ignored))
      if (auto own = layout->find(lim); own && own->port != 0)
        wanted_port = own->port;
  }
  // The first server is the first XML server of this LIM; but when one of them has the port
  // given already, that one is meant (nothing moves, and no two servers share a port).
  auto xml_here = [&](const admin::server_config& s) { return s.lim == lim && s.type == "xml"; };
  auto first = std::find_if(c.servers.begin(), c.servers.end(), xml_here);
  if (wanted_port && *wanted_port != 0) {
    auto same = std::find_if(c.servers.begin(), c.servers.end(),
                             [&](const admin::server_config& s) { return xml_here(s) && s.port == *wanted_port; });
    if (same != c.servers.end())
      first = same;
  }
  if ((cfg.host() || wanted_port || cfg.session_required() || cfg.status_on_connect()) && first == c.servers.end()) {
    admin::server_config s;
    s.lim = lim;
    c.servers.insert(c.servers.begin(), s);
    first = c.servers.begin();
    changed = true;
  }
  if (auto host = cfg.host(); host && *host != first->host) {
    first->host = *host;
    changed = true;
  }
  if (wanted_port && *wanted_port != first->port) {
    first->port = *wanted_port;
    changed = true;
  }
  if (cfg.session_required() && first->auth != "mandatory") {
    first->auth = "mandatory";
    changed = true;
  }
  if (cfg.status_on_connect() && !first->status_on_connect) {
    first->status_on_connect = true;
    changed = true;
  }
  if (auto tls_port = cfg.tls_port(); tls_port && !apply_tls_options(cfg, c, lim, *tls_port, changed, error))
    return false;
  if (auto sip_port = cfg.sip_port()) {
    // --sip-port=P: a TR/87 server on P, made when there is none.
    auto has = std::any_of(c.servers.begin(), c.servers.end(), [&](const admin::server_config& s) {
      return s.lim == lim && s.type == "tr87" && s.port == *sip_port;
    });
    if (!has) {
      admin::server_config s;
      s.lim = lim;
      s.type = "tr87";
      s.port = *sip_port;
      if (auto host = cfg.host())
        s.host = *host;
      c.servers.push_back(s);
      changed = true;
    }
  }
  if (auto file = cfg.plan_file()) {
    auto text = admin::read_file(*file, error);
    if (!text)
      return false;
    auto doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      error = *file + ": not a JSON object";
      return false;
    }
    auto plan = doc.dump();
    if (plan != c.plan) {
      c.plan = plan;
      c.features.clear();  // DND and forwarding belonged to the old plan's numbers
      changed = true;
    }
  }
  return changed;
}

}  // namespace cstad
