#include "service/session_core.hpp"

#include "common/client_peer.hpp"

#include "protocol/encode_request.hpp"

#include <utility>
#include <variant>

#include "common/log.hpp"
#include "common/printable.hpp"
#include "protocol/decode_request.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/xml_parser.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

bool monitor_budget::take() {
  auto now = open.load();
  do {
    if (now >= limit)
      return false;
  } while (!open.compare_exchange_weak(now, now + 1));
  return true;
}

void monitor_budget::give_back(std::size_t n) {
  auto now = open.load();
  while (!open.compare_exchange_weak(now, now >= n ? now - n : 0)) {
  }
}

namespace p = protocol;

namespace {

// The value a metric names for an error: the schema's own (a finite set), never free text.
std::string value_label(const p::csta_error& e) {
  if (e.value.empty() || (e.category != p::error_category::private_error_code && p::is_known(e)))
    return e.value;
  return "other";
}

}  // namespace

session_core::session_core(session_context context, std::string peer)
    : context_(std::move(context)),
      resolve_([dir = context_.dir](std::string_view id) { return dir->number_of(id); }),
      peer_(std::move(peer)),
      ns_(p::ns_ed3) {
  stats_.sessions = 1;
}

void session_core::take_effects(std::vector<effect_type>& out) {
  if (close_when_answered_ && outstanding() == 0) {
    close(std::move(*close_when_answered_));
    close_when_answered_.reset();
  }
  out.clear();
  out.swap(effects_);
}

std::vector<effect_type> session_core::take_effects() {
  std::vector<effect_type> out;
  take_effects(out);
  return out;
}

// -- Requests -------------------------------------------------------------------------------

bool session_core::client_line() {
  std::uint64_t left_out = 0;
  bool ok = client_lines_.allow(last_now_, left_out);
  if (left_out > 0)
    log::session().warn("{}: {} more log lines about this client's requests were left out", peer_, left_out);
  return ok;
}

void session_core::on_request(transport::correlation corr, std::string_view xml,
                              sim::time_point now) {
  ++stats_.requests;
  last_now_ = now;
  auto parsed = p::parse_xml(xml);
  if (auto failure = std::get_if<p::xml_parse_error>(&parsed)) {
    if (client_line())
      log::session().warn("{}: request {} rejected: malformed XML: {}", peer_, corr.token,
                          printable(failure->reason, 200));
    refuse_in(corr, p::errors::operation("invalidParameterValue"), ns_, {});
    return;
  }
  auto& root = std::get<p::xml_element>(parsed);
  if (root.name == "SystemStatusResponse") {
    // The client acknowledges a SystemStatus this server sent; nothing to answer.
    log::session().debug("{}: SystemStatus acknowledged", peer_);
    return;
  }
  if (corr.reserved) {
    if (client_line())
      log::session().warn("{}: {} refused: its invoke id is the one reserved for the server's events", peer_,
                          printable(root.name.substr(0, 64)));
    refuse_in(corr, p::errors::operation("invalidParameterValue"), ns_, root.name.substr(0, 64));
    return;
  }
  auto entry = find_service(root.name);
  if (entry != nullptr)
    stats_.count_request(place_of(*entry));
  auto decoded = entry != nullptr ? p::decode_request(root, resolve_)
                                  : p::decode_result{p::decode_failure{
                                        root.name, root.ns, p::errors::operation("serviceNotSupported"),
                                        "service not supported: " + root.name, {}}};
  if (auto failure = std::get_if<p::decode_failure>(&decoded)) {
    if (client_line())
      log::session().warn("{}: request {} rejected: {}", peer_, corr.token, printable(failure->reason, 200));
    if (!failure->session_error.empty()) {
      ++stats_.session_refusals;
      send_reply(corr, *p::encode_application_session_neg_response(failure->name,
                                                                    failure->session_error));
      return;
    }
    refuse_in(corr, failure->error, failure->ns.empty() ? ns_ : p::reply_namespace(failure->ns),
              failure->name);
    return;
  }
  auto& req = std::get<p::decoded_request>(decoded);
  trace_if_named(req, corr, xml);  // before anything answers it
  // Answer in the client's CSTA namespace; ECMA-354 and namespace-less requests keep the one
  // in use (the negotiated actualProtocolVersion, or ed3).
  if (p::is_csta_namespace(req.ns))
    ns_ = req.ns;
  incoming in{corr, entry->request, now};
  if (entry->needs_session && policy().required && !app_.active()) {
    refuse(in, p::errors::security("generic"));
    return;
  }
  if (outstanding() >= policy().max_outstanding) {
    ++stats_.outstanding_limit_hits;
    limit_hit(in, p::errors::subscribed_resource("outstandingReqLimitExceeded"),
              std::to_string(outstanding()) + " requests waiting for answers");
    return;
  }
  for (auto& d : req.devices)
    forms_.remember(d.number, d.as_sent, dir().contains(d.number));
  entry->run(*this, in, req.value);
}

void session_core::on_broken(std::optional<transport::correlation> corr, std::string_view reason) {
  log::session().warn("{}: broken request ({}), closing", peer_, reason);
  if (corr)
    refuse_in(*corr, p::errors::operation("generic"), ns_, {});
  // Requests before the broken one still get their answers; then the close (take_effects).
  close_when_answered_ = std::string{reason};
}

void session_core::on_overload(bool behind) {
  system_status(behind ? "overloadImminent" : "overloadRelieved");
}

// -- Answers --------------------------------------------------------------------------------

void session_core::send_reply(transport::correlation corr, std::string xml) {
  if (detached_)
    return;  // its client is gone; a new connection does not expect the answers of the old one
  effects_.push_back(effect::reply{corr, std::move(xml)});
}

void session_core::refuse_in(transport::correlation corr, const p::csta_error& e,
                             std::string_view ns, std::string_view name) {
  if (client_line())
    log::session().info("{}: request {} {}refused: {}/{}", peer_, corr.token,
                        name.empty() ? std::string{} : printable(name) + " ", p::to_string(e.category),
                        printable(e.value));
  stats_.count_error({std::string{service_label(name)}, e.category, value_label(e)});
  send_reply(corr, p::encode_csta_error(e, ns));
}

void session_core::reply(const incoming& in, std::string xml) { send_reply(in.corr, std::move(xml)); }

void session_core::refuse(const incoming& in, const p::csta_error& e) {
  refuse_in(in.corr, e, ns_, in.name);
}

void session_core::reply_session(const incoming& in, std::string xml, bool ok) {
  if (!ok)
    ++stats_.session_refusals;
  send_reply(in.corr, std::move(xml));
}

void session_core::notify(std::string xml) {
  notify_with([&](std::string& out) { out += xml; });
}

message_batch* session_core::notifications() {
  if (effects_.empty() || !std::holds_alternative<effect::notify>(effects_.back()))
    effects_.push_back(effect::notify{});
  return &std::get<effect::notify>(effects_.back()).messages;
}

void session_core::close(std::string reason) { effects_.push_back(effect::close{std::move(reason)}); }

void session_core::wake_at(sim::time_point at) { effects_.push_back(effect::wake{at}); }

// -- Exchange operations --------------------------------------------------------------------

void session_core::run(const incoming& in, int lim, sim::operation op, renderer render) {
  auto device = op.device;
  auto call = op.call;
  when_permitted(in, lim, device, call, [this, in, lim, op = std::move(op), render = std::move(render)]() mutable {
    submit({in.corr, ns_, in.name, std::move(render), {}, {}}, lim, std::move(op));
  });
}

void session_core::run_then(const incoming& in, int lim, sim::operation op, continuation then) {
  auto device = op.device;
  auto call = op.call;
  when_permitted(in, lim, device, call, [this, in, lim, op = std::move(op), then = std::move(then)]() mutable {
    submit({in.corr, ns_, in.name, {}, std::move(then), {}}, lim, std::move(op));
  });
}

void session_core::run_either(const incoming& in, int lim, sim::operation op, continuation then,
                              continuation refused) {
  auto device = op.device;
  auto call = op.call;
  when_permitted(in, lim, device, call,
                 [this, in, lim, op = std::move(op), then = std::move(then), refused = std::move(refused)]() mutable {
                   submit({in.corr, ns_, in.name, {}, std::move(then), std::move(refused)}, lim, std::move(op));
                 });
}

void session_core::submit(pending_operation p, int lim, sim::operation op) {
  auto id = next_ticket_++;
  operations_.emplace(id, std::move(p));
  effects_.push_back(effect::run_operation{id, lim, std::move(op)});
}

void session_core::when_permitted(const incoming& in, int lim, const std::string& device, sim::call_id call,
                                  std::function<void()> then) {
  if (!scope_.restricted() || (device.empty() && call == 0) || (!device.empty() && scope_.allows(device))) {
    then();
    return;
  }
  auto refuse_device = [this, in](const std::string& what) {
    // Logged for the first few, then every thousandth: a client that keeps trying cannot flood
    // the log.
    ++stats_.device_refusals;
    if (++scope_refusals_ <= 5 || scope_refusals_ % 1000 == 0)
      log::session().warn("{}: {} refused: user '{}' may not act on {} ({} such refusals)", peer_, in.name,
                          printable(user_), what, scope_refusals_);
    refuse(in, p::errors::operation("privilegeViolationSpecifiedDevice"));
  };
  if (!device.empty()) {
    refuse_device("device " + printable(device));
    return;
  }
  // A call alone: one of its parties must be the session's.
  sim::operation snapshot;
  snapshot.kind = sim::operation_kind::snapshot_call;
  snapshot.call = call;
  submit({in.corr, ns_, in.name, {},
          [this, call, then = std::move(then), refuse_device](const sim::outcome& out) {
            for (auto& c : out.connections)
              if (scope_.allows(c.device)) {
                then();
                return;
              }
            refuse_device("call " + std::to_string(call));
          },
          {}},
         lim, std::move(snapshot));
}

void session_core::on_outcome(ticket id, const sim::outcome& out) {
  auto i = operations_.find(id);
  if (i == operations_.end())
    return;
  auto pending = std::move(i->second);
  operations_.erase(i);
  if (out.refused && pending.refused)
    pending.refused(out);
  else if (out.refused)
    refuse_in(pending.corr, out.error, pending.ns, pending.service);
  else if (pending.then)
    pending.then(out);
  else if (forms_.empty())
    send_reply(pending.corr, pending.render(out, pending.ns));
  else
    send_reply(pending.corr, pending.render(forms_.render(out), pending.ns));
}

void session_core::on_failure(ticket id, std::string_view reason) {
  log::session().error("{}: a request failed inside the server: {}", peer_, reason);
  auto error = p::errors::system_resource("resourceOutOfService");
  if (auto i = operations_.find(id); i != operations_.end()) {
    refuse_in(i->second.corr, error, i->second.ns, i->second.service);
    operations_.erase(i);
  } else if (auto m = monitor_starts_.find(id); m != monitor_starts_.end()) {
    monitor_gone();
    slots_.give_back(m->second.m.slot);
    refuse_in(m->second.corr, error, m->second.ns, "MonitorStart");
    monitor_starts_.erase(m);
  } else {
    restarts_.erase(id);  // stays out of service; the LIM's next return tries again
  }
}

// -- The client's connection, limits, the system's status ------------------------------------

void session_core::system_status(std::string_view status) {
  if (!status_subscription_.wants(status))
    return;  // the client filtered it out (ChangeSystemStatusFilter)
  p::system_status_request r;
  r.status = std::string{status};
  notify(p::encode_request(r, ns_));
}

session_core::~session_core() { monitor_gone(monitors_.size() + monitor_starts_.size()); }

std::size_t session_core::outstanding() const {
  return operations_.size() + monitor_starts_.size() + session_starts_.size() + adoptions_.size();
}

void session_core::monitor_gone(std::size_t n) {
  if (context_.monitors && n > 0)
    context_.monitors->give_back(n);
}

// A limit refuses the request with its error; the first time in this session, a log line too
// (a client that keeps hitting it does not fill the log).
void session_core::limit_hit(const incoming& in, const p::csta_error& e, const std::string& what) {
  if (!limit_logged_) {
    limit_logged_ = true;
    log::session().warn("{}: {} refused: {} ({}; logged once per session)", peer_, in.name, e.value, what);
  }
  refuse(in, e);
}

void session_core::on_connected(sim::time_point now) {
  if (policy().status_on_connect)
    system_status("normal");
  if (policy().required && context_.login_timeout.count() > 0) {
    login_deadline_ = now + context_.login_timeout;
    wake_at(*login_deadline_);
  }
}

// -- ECMA-354 --------------------------------------------------------------------------------

std::string session_core::address() const { return std::string{client_address(peer_)}; }

void session_core::authenticate(const incoming& in, p::start_application_session_request r) {
  auto id = next_ticket_++;
  credentials offered{r.user_name.has_value() || r.password.has_value(), r.user_name.value_or(""),
                      r.password.value_or(""), r.application_id, address(), policy().required};
  session_starts_.emplace(id, pending_start{in.corr, std::move(r)});
  effects_.push_back(effect::authenticate{id, std::move(offered)});
}

void session_core::on_authenticated(ticket id, const verdict& v, sim::time_point now) {
  auto i = session_starts_.find(id);
  if (i == session_starts_.end())
    return;
  auto pending = std::move(i->second);
  session_starts_.erase(i);
  auto& r = pending.request;
  if (!v.ok) {
    // The reason names the user, never the password.
    log::session().warn("{}: application session for '{}' refused: {}", peer_, printable(r.application_id), v.reason);
    ++stats_.session_refusals;
    send_reply(pending.corr, p::encode_start_application_session_neg_response("invalidApplicationInfo"));
    return;
  }
  if (!r.resume_session_id.empty()) {
    // The client carries on with an earlier session: answered once that one has handed over.
    auto old = r.resume_session_id;
    adopt(pending.corr, std::move(old), v.user, std::move(r), v);
    return;
  }
  auto a = app_.start(r, policy(), now, v.max_duration);
  if (!a.ok) {  // another start won the race meanwhile
    ++stats_.session_refusals;
    send_reply(pending.corr, a.document);
    return;
  }
  granted(r, v);
  log::session().info("{}: application session {} started for '{}' (user '{}')", peer_, app_.id(),
                      printable(r.application_id), printable(v.user));
  send_reply(pending.corr, a.document);
  effects_.push_back(effect::announce{app_.id()});
  wake_at(app_.deadline());
}

// What a started (or resumed) application session holds: who it is for, what it may do, its
// namespace, and how long it may outlive its connection.
void session_core::granted(const p::start_application_session_request& r, const verdict& v) {
  ++stats_.application_sessions;
  application_ = r.application_id;
  user_ = v.user;
  scope_ = device_scope(v.devices);
  ns_ = *app_.protocol_version();
  cleanup_delay_ = std::min(r.cleanup_delay.value_or(policy().cleanup_delay), policy().max_cleanup_delay);
  trace_if_chosen();  // by its sessionID: from the answer that gives it on
}

void session_core::on_server_removed(const std::string& reason) {
  if (app_.active()) {
    log::session().info("{}: application session {} ended: {}", peer_, app_.id(), reason);
    notify(app_.terminate(reason));
  }
  release_monitors();
  close(reason);
}

// -- ECMA-354 expiry ------------------------------------------------------------------------

void session_core::on_wake(sim::time_point now) {
  if (detached_ && !handing_over_ && now >= detached_until_) {
    log::session().info("{}: application session {} not taken over within {} s of losing its connection: ended",
                        peer_, app_.id(), cleanup_delay_);
    stats_.detached = 0;
    release_monitors();
    close("not taken over in time");
    return;
  }
  if (login_deadline_ && now >= *login_deadline_) {
    login_deadline_.reset();
    if (!app_.active() && session_starts_.empty()) {
      // Connected, and never logged on where it must: it holds a connection for nothing.
      log::session().warn("{}: no application session started within {} s, closing", peer_,
                          context_.login_timeout.count());
      ++stats_.login_timeouts;
      close("no application session started in time");
      return;
    }
  }
  if (!app_.expired(now))
    return;  // kept alive meanwhile, or stopped
  // The client stopped keeping the session alive: tell it, release everything, hang up.
  log::session().warn("{}: application session {} expired", peer_, app_.id());
  notify(app_.terminate_expired());
  release_monitors();
  close("application session expired");
}

}  // namespace cstad::service
