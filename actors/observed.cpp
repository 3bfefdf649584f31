#include "actors/observed.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "protocol/csta_error.hpp"
#include "service/service_table.hpp"

namespace cstad {
namespace {

std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Writes one metric family at a time: HELP and TYPE once, then its samples.
class exposition {
public:
  void family(const std::string& name, const char* type, const std::string& help) {
    out_ << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
    name_ = name;
  }
  template <class Number>
  void sample(Number value, std::initializer_list<std::pair<const char*, std::string>> labels = {}) {
    out_ << name_;
    if (labels.size() > 0) {
      out_ << '{';
      bool first = true;
      for (auto& [k, v] : labels) {
        out_ << (first ? "" : ",") << k << "=\"" << escaped(v) << '"';
        first = false;
      }
      out_ << '}';
    }
    out_ << ' ' << value << '\n';
  }
  std::string str() const { return out_.str(); }

private:
  std::ostringstream out_;
  std::string name_;
};

// The calls of this node's LIM now, and its simulated traffic's counters (both pages show
// them).
std::pair<std::uint64_t, sim::traffic_counters> exchange_totals(const node_status& s) {
  std::uint64_t calls = 0;
  sim::traffic_counters traffic;
  for (auto& l : s.lims) {
    calls += l.calls;
    traffic = l.traffic;
  }
  return {calls, traffic};
}

// Requests by the name of their service, every service of the table (0 until used) and
// "other" for the rest.
std::vector<std::pair<std::string, std::uint64_t>> requests_by_service(const service::session_stats& s) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  std::uint64_t served = 0;
  auto& table = service::services();
  for (std::size_t i = 0; i < table.size(); ++i) {
    auto n = i < s.requests_by_service.size() ? s.requests_by_service[i] : 0;
    served += n;
    out.emplace_back(std::string{table[i].request}, n);
  }
  out.emplace_back("other", s.requests - std::min(served, s.requests));
  return out;
}

}  // namespace

std::string prometheus_text(const observed& o) {
  auto& s = o.status;
  auto& r = o.report;
  auto carriers = s.carriers();
  exposition e;
  e.family("cstad_sessions", "gauge", "Client sessions open, by CSTA server port.");
  std::map<std::uint16_t, std::uint64_t> by_server;
  for (auto& srv : r.servers)
    by_server[srv.bound_port] += 0;
  for (auto& sess : r.sessions)
    ++by_server[sess.server_port];
  for (auto& [port, n] : by_server)
    e.sample(n, {{"server", std::to_string(port)}});
  e.family("cstad_connections", "gauge", "Connections open, by CSTA server, its type and whether it is TLS.");
  for (auto& srv : r.servers)
    e.sample(srv.connections, {{"server", std::to_string(srv.bound_port)},
                               {"type", srv.config.type},
                               {"tls", srv.config.tls ? "yes" : "no"}});
  e.family("cstad_sessions_detached", "gauge",
           "Sessions whose connection is lost, kept for their clean-up delay to be taken over.");
  e.sample(s.sessions.detached);
  e.family("cstad_monitors", "gauge", "Device and call monitors the sessions hold.");
  e.sample(s.sessions.monitors);
  e.family("cstad_requests_total", "counter",
           "CSTA and ECMA-354 requests received, by service (other: not a service of this server, or unreadable).");
  for (auto& [service, n] : requests_by_service(s.sessions))
    e.sample(n, {{"service", service}});
  e.family("cstad_request_errors_total", "counter",
           "CSTAErrorCode answers, by the request's service and the error's category and value.");
  for (auto& [kind, n] : s.sessions.errors)
    e.sample(n, {{"service", kind.service},
                 {"category", std::string{protocol::to_string(kind.category)}},
                 {"value", kind.value}});
  e.family("cstad_application_sessions_total", "counter", "ECMA-354 application sessions started.");
  e.sample(s.sessions.application_sessions);
  e.family("cstad_application_session_refusals_total", "counter", "ECMA-354 negative responses.");
  e.sample(s.sessions.session_refusals);
  e.family("cstad_events_delivered_total", "counter", "Events sent to clients.");
  e.sample(s.sessions.events);
  e.family("cstad_output_queued_bytes", "gauge", "Bytes waiting for slow clients to read.");
  e.sample(carriers.queued_bytes);
  e.family("cstad_received_bytes_total", "counter", "Bytes received from clients.");
  e.sample(carriers.bytes_in);
  e.family("cstad_sent_bytes_total", "counter", "Bytes handed to the sockets of clients.");
  e.sample(carriers.bytes_out);
  e.family("cstad_frames_received_total", "counter", "Requests (frames) received.");
  e.sample(carriers.frames_in);
  e.family("cstad_frames_sent_total", "counter", "Answers and notifications (frames) sent.");
  e.sample(carriers.frames_out);
  e.family("cstad_broken_frames_total", "counter", "Frames that could not be read (the connection then closed).");
  e.sample(carriers.broken);
  e.family("cstad_tls_handshakes_total", "counter",
           "TLS handshakes on each TLS server, by result: ok, failed (refused, not TLS, or the client left) "
           "or timeout.");
  for (auto& l : s.listeners) {
    if (!l.role.tls)
      continue;
    auto server = std::to_string(l.port);
    e.sample(l.carriers.tls_handshakes, {{"server", server}, {"result", "ok"}});
    e.sample(l.carriers.tls_handshake_failures, {{"server", server}, {"result", "failed"}});
    e.sample(l.carriers.tls_handshake_timeouts, {{"server", server}, {"result", "timeout"}});
  }
  e.family("cstad_limit_hits_total", "counter", "Times each limit was hit (csta -p shows the same).");
  for (auto& l : r.limits)
    e.sample(l.hits, {{"limit", l.name}});
  e.family("cstad_lim_up", "gauge", "Whether each LIM of the system is up, as this LIM sees it.");
  e.sample(1, {{"lim", std::to_string(r.lim)}});
  for (auto& other : r.others)
    e.sample(other.state == "up" ? 1 : 0, {{"lim", std::to_string(other.lim)}});
  auto [calls, traffic] = exchange_totals(s);
  e.family("cstad_calls", "gauge", "Calls in the exchange of this LIM now.");
  e.sample(calls);
  e.family("cstad_acd_calls_waiting", "gauge", "Calls waiting in each ACD group's queue.");
  for (auto& g : o.groups)
    e.sample(g.waiting, {{"group", g.number}});
  e.family("cstad_acd_agents", "gauge", "Agents logged on to each ACD group, by state.");
  for (auto& g : o.groups) {
    e.sample(g.ready, {{"group", g.number}, {"state", "ready"}});
    e.sample(g.busy, {{"group", g.number}, {"state", "busy"}});
    e.sample(g.not_ready, {{"group", g.number}, {"state", "not_ready"}});
    e.sample(g.after_call_work, {{"group", g.number}, {"state", "after_call_work"}});
  }
  e.family("cstad_traffic_offered_total", "counter", "Simulated outside calls that arrived.");
  e.sample(traffic.offered);
  e.family("cstad_traffic_answered_total", "counter", "Simulated outside calls answered.");
  e.sample(traffic.answered);
  e.family("cstad_traffic_abandoned_total", "counter", "Simulated outside callers who hung up before an answer.");
  e.sample(traffic.abandoned);
  e.family("cstad_traffic_failed_total", "counter", "Simulated outside calls refused.");
  e.sample(traffic.failed);
  e.family("cstad_traffic_wait_seconds_total", "counter", "Seconds answered calls waited, summed.");
  e.sample(std::chrono::duration<double>(traffic.total_wait).count());
  e.family("cstad_traffic_service_level_ratio", "gauge",
           "Calls answered within the service-level threshold, of those answered or abandoned.");
  e.sample(traffic.service_level());
  return e.str();
}

std::string status_json(const observed& o) {
  auto& s = o.status;
  auto& r = o.report;
  nlohmann::json doc;
  doc["lim"] = r.lim;
  doc["servers"] = nlohmann::json::array();
  std::uint64_t connections = 0;
  for (auto& srv : r.servers) {
    connections += srv.connections;
    doc["servers"].push_back({{"type", srv.config.type + (srv.config.tls ? "+tls" : "")},
                              {"host", srv.config.host},
                              {"port", srv.bound_port},
                              {"connections", srv.connections}});
  }
  doc["sessions"] = nlohmann::json::array();
  for (auto& sess : r.sessions)
    doc["sessions"].push_back({{"peer", sess.peer},
                               {"server", sess.server_port},
                               {"application", sess.application},
                               {"user", sess.user},
                               {"monitors", sess.monitors},
                               {"events", sess.events},
                               {"age", sess.age_seconds}});
  doc["connections"] = connections;
  doc["tls_handshakes"] = nlohmann::json::array();
  for (auto& l : s.listeners)
    if (l.role.tls)
      doc["tls_handshakes"].push_back({{"server", l.port},
                                       {"ok", l.carriers.tls_handshakes},
                                       {"failed", l.carriers.tls_handshake_failures},
                                       {"timeout", l.carriers.tls_handshake_timeouts}});
  doc["monitors"] = s.sessions.monitors;
  doc["requests"] = s.sessions.requests;
  doc["requests_by_service"] = nlohmann::json::object();
  for (auto& [service, n] : requests_by_service(s.sessions))
    if (n > 0)
      doc["requests_by_service"][service] = n;
  doc["errors"] = s.sessions.errors_total();
  doc["errors_by_kind"] = nlohmann::json::array();
  for (auto& [kind, n] : s.sessions.errors)
    doc["errors_by_kind"].push_back({{"service", kind.service},
                                     {"category", std::string{protocol::to_string(kind.category)}},
                                     {"value", kind.value},
                                     {"count", n}});
  doc["events"] = s.sessions.events;
  auto [calls, traffic] = exchange_totals(s);
  doc["calls"] = calls;
  doc["groups"] = nlohmann::json::array();
  for (auto& g : o.groups)
    doc["groups"].push_back({{"number", g.number},
                             {"name", g.name},
                             {"waiting", g.waiting},
                             {"agents", g.agents},
                             {"ready", g.ready},
                             {"busy", g.busy},
                             {"not_ready", g.not_ready},
                             {"after_call_work", g.after_call_work}});
  doc["devices"] = nlohmann::json::array();
  for (auto& d : r.devices)
    doc["devices"].push_back({{"number", d.number}, {"kind", d.kind}, {"monitors", d.monitors}});
  doc["traffic"] = {{"offered", traffic.offered},
                    {"answered", traffic.answered},
                    {"abandoned", traffic.abandoned},
                    {"failed", traffic.failed},
                    {"average_wait", traffic.average_wait_seconds()},
                    {"service_level", traffic.service_level()}};
  return doc.dump();
}

}  // namespace cstad
