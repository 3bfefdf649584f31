#include "admin/report_format.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/printable.hpp"

namespace cstad::admin {
namespace {

using row = std::vector<std::string>;

// Columns as wide as their widest cell, two spaces apart, indented under a title.
std::string table(const std::string& title, const row& header, const std::vector<row>& rows,
                  const std::string& empty) {
  std::ostringstream out;
  out << title << "\n";
  if (rows.empty()) {
    out << "  " << empty << "\n";
    return out.str();
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (auto& r : rows)
      width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const row& r) {
    std::string s = " ";
    for (std::size_t c = 0; c < r.size(); ++c)
      s += " " + r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 1, ' ') : "");
    out << s << "\n";
  };
  line(header);
  for (auto& r : rows)
    line(r);
  return out.str();
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v)
    out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string age(std::int64_t seconds) {
  if (seconds < 120)
    return std::to_string(seconds) + " s";
  if (seconds < 7200)
    return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds / 3600) + " h";
}

nlohmann::json server_json(const server_config& c) {
  return {{"lim", c.lim}, {"type", c.type}, {"host", c.host}, {"port", c.port}, {"tls", c.tls},
          {"auth", c.auth}, {"max_sessions", c.max_sessions}};
}

}  // namespace

namespace {

// One LIM's servers and sessions: the same tables for this LIM and for the others.
std::string lim_tables(int lim, const std::string& state, const std::vector<server_report>& server_list,
                       const std::vector<session_report>& session_list) {
  std::vector<row> servers;
  for (auto& s : server_list)
    servers.push_back({s.config.type, s.config.host, std::to_string(s.bound_port ? s.bound_port : s.config.port),
                       s.config.tls ? "yes" : "no", s.config.auth,
                       s.config.max_sessions ? std::to_string(s.config.max_sessions) : "-", s.state,
                       std::to_string(s.connections)});
  std::vector<row> sessions;
  for (auto& s : session_list)
    sessions.push_back({std::to_string(s.server_port), s.peer, or_dash(s.session_id), or_dash(printable(s.application)),
                        or_dash(printable(s.user)),
                        age(s.age_seconds), std::to_string(s.monitors), std::to_string(s.events)});
  auto out = table("CSTA servers of LIM " + std::to_string(lim) + state,
                   {"type", "address", "port", "TLS", "authentication", "max sessions", "state", "connections"},
                   servers, "none (csta -i initiates one)");
  out += table("Sessions of LIM " + std::to_string(lim),
               {"server", "client", "session", "application", "user", "age", "monitors", "events sent"}, sessions,
               "none");
  return out;
}

nlohmann::json lim_json(int lim, const std::vector<server_report>& server_list,
                        const std::vector<session_report>& session_list) {
  nlohmann::json doc = {{"lim", lim}, {"servers", nlohmann::json::array()}, {"sessions", nlohmann::json::array()}};
  for (auto& s : server_list) {
    auto j = server_json(s.config);
    j["port"] = s.bound_port ? s.bound_port : s.config.port;
    j["state"] = s.state;
    j["connections"] = s.connections;
    doc["servers"].push_back(j);
  }
  for (auto& s : session_list)
    doc["sessions"].push_back({{"server_port", s.server_port}, {"client", s.peer}, {"session_id", s.session_id},
                               {"application", s.application},
                               {"user", s.user}, {"age_seconds", s.age_seconds}, {"monitors", s.monitors},
                               {"events_sent", s.events}});
  return doc;
}

}  // namespace

std::string as_table(const system_report& r, bool devices) {
  std::vector<row> lims;
  if (!r.others.empty()) {
    lims.push_back({std::to_string(r.lim), "this LIM", "up"});
    for (auto& o : r.others)
      lims.push_back({std::to_string(o.lim), o.address, o.state});
  }
  std::string out;
  if (!lims.empty())
    out += table("LIMs of the system", {"LIM", "cluster address", "state"}, lims, "none");
  out += lim_tables(r.lim, r.others.empty() ? "" : " (this LIM)", r.servers, r.sessions);
  for (auto& o : r.others)
    if (o.state == "up")
      out += lim_tables(o.lim, "", o.servers, o.sessions);
  if (devices) {
    std::vector<row> ds;
    for (auto& d : r.devices)
      ds.push_back({d.number, d.kind, std::to_string(d.monitors)});
    out += table("Monitored devices", {"number", "kind", "monitors"}, ds, "none");
  }
  std::vector<row> limits;
  for (auto& l : r.limits)
    limits.push_back({l.name, l.setting, std::to_string(l.hits)});
  out += table("Limits of LIM " + std::to_string(r.lim), {"limit", "set to", "hit"}, limits, "none");
  return out;
}

std::string as_json(const system_report& r, bool devices) {
  auto doc = lim_json(r.lim, r.servers, r.sessions);
  if (!r.others.empty()) {
    doc["lims"] = nlohmann::json::array();
    for (auto& o : r.others) {
      auto j = lim_json(o.lim, o.servers, o.sessions);
      j["address"] = o.address;
      j["state"] = o.state;
      doc["lims"].push_back(j);
    }
  }
  if (devices) {
    doc["devices"] = nlohmann::json::array();
    for (auto& d : r.devices)
      doc["devices"].push_back({{"number", d.number}, {"kind", d.kind}, {"monitors", d.monitors}});
  }
  doc["limits"] = nlohmann::json::array();
  for (auto& l : r.limits)
    doc["limits"].push_back({{"limit", l.name}, {"setting", l.setting}, {"hits", l.hits}});
  return doc.dump(2) + "\n";
}

std::string as_table(const auth_report& r) {
  std::vector<row> servers;
  for (auto& s : r.servers)
    servers.push_back({std::to_string(s.lim), s.type, std::to_string(s.port), s.auth});
  std::vector<row> accounts;
  for (auto& a : r.accounts)
    accounts.push_back({a.user, std::to_string(a.level), a.applications.empty() ? "any" : join(a.applications),
                        a.max_duration ? std::to_string(a.max_duration) + " s" : "-",
                        a.devices.empty() ? "any" : join(a.devices)});
  auto& d = r.durations;
  std::ostringstream out;
  out << "Application session durations: default " << d.default_duration << " s, at least " << d.min_duration
      << " s, at most " << d.max_duration << " s\n";
  out << table("Authentication by server", {"LIM", "type", "port", "application sessions"}, servers, "no server");
  out << table("Accounts", {"user", "level", "applications", "longest session", "devices"}, accounts,
               "none (csta_authentication -i adds one)");
  return out.str();
}

std::string as_json(const auth_report& r) {
  nlohmann::json doc = {{"durations",
                         {{"default", r.durations.default_duration},
                          {"min", r.durations.min_duration},
                          {"max", r.durations.max_duration}}},
                        {"servers", nlohmann::json::array()},
                        {"accounts", nlohmann::json::array()}};
  for (auto& s : r.servers)
    doc["servers"].push_back(server_json(s));
  for (auto& a : r.accounts)
    doc["accounts"].push_back(
        {{"user", a.user}, {"level", a.level}, {"applications", a.applications}, {"max_duration", a.max_duration},
         {"devices", a.devices}});
  return doc.dump(2) + "\n";
}

}  // namespace cstad::admin
