#include "admin/system_config.hpp"

#include <algorithm>
#include <climits>
#include <memory>
#include <unordered_map>
#include <cstdint>
#include <set>
#include <type_traits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "admin/system_layout.hpp"
#include "protocol/forwarding_type.hpp"
#include "service/device_scope.hpp"
#include "service/password_hash.hpp"
#include "sim/clock.hpp"
#include "sim/exchange.hpp"
#include "sim/number_plan.hpp"

namespace cstad::admin {

using nlohmann::json;

std::uint16_t default_port(const std::string& type, bool tls) {
  if (type == "tr87")
    return 5062;
  return tls ? 8883 : 8882;
}

system_config system_config::fresh() {
  system_config c;
  c.servers.push_back(server_config{});
  return c;
}

const account* system_config::find_account(const std::string& user) const {
  auto i = std::find_if(accounts.begin(), accounts.end(), [&](const account& a) { return a.user == user; });
  return i == accounts.end() ? nullptr : &*i;
}

server_config* system_config::find_server(int lim, std::uint16_t port) {
  auto i = std::find_if(servers.begin(), servers.end(),
                        [&](const server_config& s) { return s.lim == lim && s.port == port; });
  return i == servers.end() ? nullptr : &*i;
}

std::string to_json(const system_config& c) {
  json doc;
  doc["version"] = 1;
  doc["servers"] = json::array();
  for (auto& s : c.servers) {
    json entry = {{"lim", s.lim},   {"type", s.type}, {"host", s.host},
                  {"port", s.port}, {"tls", s.tls},   {"auth", s.auth}, {"max_sessions", s.max_sessions}};
    if (s.status_on_connect)
      entry["system_status_on_connect"] = true;
    for (auto [name, value] : {std::pair{"tls_certificate", &s.tls_certificate}, std::pair{"tls_key", &s.tls_key},
                               std::pair{"tls_client_ca", &s.tls_client_ca}})
      if (!value->empty())
        entry[name] = *value;
    doc["servers"].push_back(entry);
  }
  doc["authentication"] = {{"default_duration", c.durations.default_duration},
                           {"min_duration", c.durations.min_duration},
                           {"max_duration", c.durations.max_duration},
                           {"accounts", json::array()}};
  for (auto& a : c.accounts)
    doc["authentication"]["accounts"].push_back({{"user", a.user},
                                                 {"password_hash", a.password_hash},
                                                 {"level", a.level},
                                                 {"applications", a.applications},
                                                 {"max_duration", a.max_duration},
                                                 {"devices", a.devices}});
  doc["plan"] = c.plan.empty() ? json(nullptr) : json::parse(c.plan);
  if (!c.system.empty())
    doc["system"] = json::parse(c.system);
  if (c.revision != 0)
    doc["revision"] = c.revision;
  if (!c.server_revisions.empty()) {
    doc["server_revisions"] = json::object();
    for (auto& [lim, rev] : c.server_revisions)
      doc["server_revisions"][std::to_string(lim)] = rev;
  }
  doc["exchange"] = {{"features", json::array()}};
  for (auto& f : c.features) {
    json e = {{"device", f.device}, {"feature", f.feature}};
    if (f.feature != "doNotDisturb") {
      e["destination"] = f.destination;
      e["ring_count"] = f.ring_count;
    }
    doc["exchange"]["features"].push_back(e);
  }
  return doc.dump(2) + "\n";
}

namespace {

// Reads field `name` of object `o` (at `where`) as T; a missing field keeps `out`.
template <class T>
void read(const json& o, const char* name, T& out, const std::string& where) {
  if (!o.contains(name))
    return;
  auto& v = o.at(name);
  try {
    if constexpr (std::is_same_v<T, int>) {
      // nlohmann would truncate 1.5 and wrap 1e20 or 2^40; a number of the wrong kind is an
      // error here, named like any other.
      if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT_MAX) ||
          (!v.is_number_unsigned() && (v.get<std::int64_t>() < INT_MIN || v.get<std::int64_t>() > INT_MAX)))
        throw std::runtime_error(where + "." + name + ": " + v.dump() + " is not a whole number in range");
      out = static_cast<int>(v.get<std::int64_t>());
    } else {
      out = v.get<T>();
    }
  } catch (const json::exception&) {
    throw std::runtime_error(where + "." + name + ": " + v.dump() + " has the wrong type");
  }
}

const json& object_at(const json& o, const char* name, const std::string& where) {
  static const json empty = json::object();
  if (!o.contains(name))
    return empty;
  if (!o.at(name).is_object())
    throw std::runtime_error(where + "." + name + " is not an object");
  return o.at(name);
}

const json& array_at(const json& o, const char* name, const std::string& where) {
  static const json empty = json::array();
  if (!o.contains(name))
    return empty;
  if (!o.at(name).is_array())
    throw std::runtime_error(where + "." + name + " is not a list");
  return o.at(name);
}

system_config parse(const json& doc) {
  if (!doc.is_object())
    throw std::runtime_error("the configuration is not a JSON object");
  int version = 1;
  read(doc, "version", version, "configuration");
  if (version != 1)
    throw std::runtime_error("version " + std::to_string(version) + " is not one this cstad reads (1)");
  system_config c;
  auto& servers = array_at(doc, "servers", "configuration");
  for (std::size_t i = 0; i < servers.size(); ++i) {
    auto where = "servers[" + std::to_string(i) + "]";
    if (!servers[i].is_object())
      throw std::runtime_error(where + " is not an object");
    server_config s;
    int port = s.port;
    read(servers[i], "lim", s.lim, where);
    read(servers[i], "type", s.type, where);
    read(servers[i], "host", s.host, where);
    read(servers[i], "port", port, where);
    read(servers[i], "tls", s.tls, where);
    read(servers[i], "auth", s.auth, where);
    read(servers[i], "max_sessions", s.max_sessions, where);
    read(servers[i], "tls_certificate", s.tls_certificate, where);
    read(servers[i], "tls_key", s.tls_key, where);
    read(servers[i], "tls_client_ca", s.tls_client_ca, where);
    read(servers[i], "system_status_on_connect", s.status_on_connect, where);
    if (port < 0 || port > 65535)
      throw std::runtime_error(where + ".port: " + std::to_string(port) + " is not a port");
    s.port = static_cast<std::uint16_t>(port);
    c.servers.push_back(s);
  }
  auto& auth = object_at(doc, "authentication", "configuration");
  read(auth, "default_duration", c.durations.default_duration, "authentication");
  read(auth, "min_duration", c.durations.min_duration, "authentication");
  read(auth, "max_duration", c.durations.max_duration, "authentication");
  auto& accounts = array_at(auth, "accounts", "authentication");
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    auto where = "authentication.accounts[" + std::to_string(i) + "]";
    if (!accounts[i].is_object())
      throw std::runtime_error(where + " is not an object");
    account a;
    read(accounts[i], "user", a.user, where);
    read(accounts[i], "password_hash", a.password_hash, where);
    read(accounts[i], "level", a.level, where);
    read(accounts[i], "applications", a.applications, where);
    read(accounts[i], "max_duration", a.max_duration, where);
    read(accounts[i], "devices", a.devices, where);
    c.accounts.push_back(std::move(a));
  }
  if (doc.contains("plan") && !doc.at("plan").is_null()) {
    if (!doc.at("plan").is_object())
      throw std::runtime_error("plan is not a JSON object");
    c.plan = doc.at("plan").dump();
  }
  if (doc.contains("system") && !doc.at("system").is_null()) {
    std::string problem;
    auto layout = system_layout::from_json(doc.at("system").dump(), problem);
    if (!layout)
      throw std::runtime_error("system: " + problem);
    c.system = layout->text();
  }
  if (doc.contains("revision")) {
    auto& r = doc.at("revision");
    if (!r.is_number_unsigned())
      throw std::runtime_error("revision: " + r.dump() + " is not a count");
    c.revision = r.get<std::uint64_t>();
  }
  if (doc.contains("server_revisions")) {
    auto& revs = doc.at("server_revisions");
    if (!revs.is_object())
      throw std::runtime_error("server_revisions is not an object");
    for (auto& [lim, rev] : revs.items()) {
      if (lim.empty() || lim.size() > 3 || lim.find_first_not_of("0123456789") != std::string::npos ||
          !rev.is_number_unsigned())
        throw std::runtime_error("server_revisions: " + lim + ": " + rev.dump() + " is not a LIM's count");
      c.server_revisions[std::stoi(lim)] = rev.get<std::uint64_t>();
    }
  }
  auto& exchange = object_at(doc, "exchange", "configuration");
  auto& features = array_at(exchange, "features", "exchange");
  for (std::size_t i = 0; i < features.size(); ++i) {
    auto where = "exchange.features[" + std::to_string(i) + "]";
    if (!features[i].is_object())
      throw std::runtime_error(where + " is not an object");
    feature_entry f;
    read(features[i], "device", f.device, where);
    read(features[i], "feature", f.feature, where);
    read(features[i], "destination", f.destination, where);
    read(features[i], "ring_count", f.ring_count, where);
    c.features.push_back(std::move(f));
  }
  return c;
}

}  // namespace

std::optional<system_config> from_json(const std::string& text, std::string& error) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  try {
    auto c = parse(doc);
    error = check(c);
    if (!error.empty())
      return std::nullopt;
    return c;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::optional<sim::operation> operation_of(const feature_entry& f) {
  sim::operation op;
  op.device = f.device;
  op.flag = true;
  if (f.feature == "doNotDisturb") {
    op.kind = sim::operation_kind::set_do_not_disturb;
  } else if (auto type = protocol::parse_forwarding_type(f.feature)) {
    op.kind = sim::operation_kind::set_forwarding;
    op.forwarding = *type;
    op.other = f.destination;
    op.ring_count = f.ring_count;
  } else {
    return std::nullopt;
  }
  return op;
}

std::string name_problem(const std::string& name) {
  if (name.empty())
    return "a name must not be empty";
  if (name.size() > 64)
    return "a name must not be longer than 64 characters";
  for (unsigned char ch : name)
    if (ch < 0x20 || ch == 0x7f)
      return "a name must not hold control characters (line breaks, tabs)";
  if (name.front() == ' ' || name.back() == ' ')
    return "a name must not begin or end with a space";
  return {};
}

namespace {

// Servers and kept features of a system of several LIMs: each server on one of its LIMs, each
// feature accepted by the exchange of the LIM that owns the device (a scratch copy of it, which
// knows the other LIMs' numbers, so a forwarding may lead to any device of the system).
std::string check_system_features(const system_config& c) {
  std::string problem;
  auto layout = system_layout::from_json(c.system, problem);
  if (!layout)
    return "system: " + problem;
  for (std::size_t i = 0; i < c.servers.size(); ++i)
    if (layout->find(c.servers[i].lim) == nullptr)
      return "servers[" + std::to_string(i) + "].lim: the system has no LIM " + std::to_string(c.servers[i].lim);
  auto dir = layout->directory();
  sim::manual_clock clock;
  std::unordered_map<int, std::unique_ptr<sim::exchange>> scratch;
  std::vector<sim::domain_event> ignored;
  for (std::size_t i = 0; i < c.features.size(); ++i) {
    auto& f = c.features[i];
    auto where = "exchange.features[" + std::to_string(i) + "]";
    auto range = dir.find(f.device);
    if (range == nullptr)
      return where + ": " + f.device + " is not a number of the system";
    auto op = operation_of(f);
    if (!op)
      return where + ".feature: \"" + f.feature + "\" is neither doNotDisturb nor a forwarding type";
    auto& ex = scratch[range->lim];
    if (!ex) {
      ex = std::make_unique<sim::exchange>(layout->plan_of(range->lim), clock);
      ex->set_remote_numbers([&dir, lim = range->lim](const std::string& n) {
        auto r = dir.find(n);
        return r != nullptr && r->lim != lim;
      });
    }
    if (auto out = ex->apply(*op, ignored); out.refused)
      return where + ": the exchange refuses " + f.feature + " of " + f.device + " (" + out.error.value + ")";
  }
  return {};
}

}  // namespace

std::string check(const system_config& c) {
  std::set<std::pair<int, std::uint16_t>> ports;
  for (std::size_t i = 0; i < c.servers.size(); ++i) {
    auto& s = c.servers[i];
    auto where = "servers[" + std::to_string(i) + "]";
    if (s.type != "xml" && s.type != "tr87")
      return where + ".type: \"" + s.type + "\" is not xml or tr87";
    if (s.auth != "optional" && s.auth != "mandatory")
      return where + ".auth: \"" + s.auth + "\" is not optional or mandatory";
    if (s.lim < 1)
      return where + ".lim: " + std::to_string(s.lim) + " is not a LIM";
    if (s.max_sessions < 0)
      return where + ".max_sessions: must not be negative";
    if (s.status_on_connect && s.type != "xml")
      return where + ": a SystemStatus on connect is for CSTA XML servers (a TR/87 client opens with its INVITE)";
    if (s.tls_certificate.empty() != s.tls_key.empty())
      return where + ": a TLS certificate file needs its key file, and a key file its certificate";
    if (!s.tls && !(s.tls_certificate.empty() && s.tls_client_ca.empty()))
      return where + ": TLS files are set on a server without TLS";
    if (s.port != 0 && !ports.insert({s.lim, s.port}).second)
      return where + ": LIM " + std::to_string(s.lim) + " has another server on port " + std::to_string(s.port);
  }
  auto& d = c.durations;
  if (d.min_duration < 1 || d.min_duration > d.max_duration || d.default_duration < d.min_duration ||
      d.default_duration > d.max_duration)
    return "authentication: durations must satisfy 1 <= min <= default <= max";
  std::set<std::string> users;
  for (std::size_t i = 0; i < c.accounts.size(); ++i) {
    auto& a = c.accounts[i];
    auto where = "authentication.accounts[" + std::to_string(i) + "]";
    if (auto problem = name_problem(a.user); !problem.empty())
      return where + ".user: " + problem;
    for (auto& app : a.applications)
      if (auto problem = name_problem(app); !problem.empty())
        return where + ".applications: " + problem;
    if (!users.insert(a.user).second)
      return where + ": the user \"" + a.user + "\" has another account";
    if (!service::is_password_hash(a.password_hash))
      return where + ": the account of \"" + a.user + "\" has no password hash of this cstad (" +
             "csta_authentication -c sets a password)";
    if (a.level < 0 || a.level > 99)
      return where + ".level: " + std::to_string(a.level) + " is not a level (0-99)";
    if (a.max_duration < 0)
      return where + ".max_duration: must not be negative";
    for (auto& d : a.devices)
      if (auto problem = service::device_scope::problem(d))
        return where + ".devices: \"" + d + "\": " + *problem;
  }
  if (!c.system.empty())
    return check_system_features(c);
  std::optional<sim::number_plan> plan;
  try {
    plan = c.plan.empty() ? sim::number_plan::demo() : sim::number_plan::from_json(c.plan);
  } catch (const std::exception& e) {
    return std::string{"plan: "} + e.what();
  }
  // The exchange itself says whether it takes a setting: it is applied to a scratch copy.
  sim::manual_clock clock;
  sim::exchange scratch{*plan, clock};
  std::vector<sim::domain_event> ignored;
  for (std::size_t i = 0; i < c.features.size(); ++i) {
    auto& f = c.features[i];
    auto where = "exchange.features[" + std::to_string(i) + "]";
    if (plan->find(f.device) == nullptr)
      return where + ": " + f.device + " is not a number of the plan";
    auto op = operation_of(f);
    if (!op)
      return where + ".feature: \"" + f.feature + "\" is neither doNotDisturb nor a forwarding type";
    if (auto out = scratch.apply(*op, ignored); out.refused)
      return where + ": the exchange refuses " + f.feature + " of " + f.device + " (" + out.error.value + ")";
  }
  return {};
}

}  // namespace cstad::admin
