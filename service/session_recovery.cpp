// Session recovery, as Avaya DMCC clients do it (protocol.md 4.4): a client that loses its
// connection may come back within its session's clean-up delay and either resume the old
// session (StartApplicationSession naming its sessionID) or start a new one and move the old
// one's monitors to it (TransferMonitorObjects). Meanwhile the old session lives on detached:
// its monitors stay and what it would have sent is held, bounded. Taking it over moves the
// monitors at their LIMs first (so their events go to the new session from then on), then the
// old session hands over its monitors and what it held, and the new one sends the client what
// it missed, in order, before anything newer.

#include <algorithm>

#include "common/log.hpp"
#include "common/printable.hpp"
#include "protocol/application_session.hpp"
#include "protocol/namespaces.hpp"
#include "service/session_core.hpp"

namespace cstad::service {

namespace p = protocol;

bool session_core::on_carrier_gone(sim::time_point now) {
  if (handing_over_ && !handed_over_) {
    detached_ = true;  // being taken over: what comes meanwhile goes to the taker with the rest
    return true;
  }
  if (!app_.active() || cleanup_delay_ <= 0 || handed_over_) {
    release_monitors();
    return false;
  }
  detached_ = true;
  stats_.detached = 1;
  detached_until_ = now + std::chrono::seconds(cleanup_delay_);
  log::session().info("{}: connection lost; application session {} kept for {} s with {} monitor(s)", peer_,
                      app_.id(), cleanup_delay_, monitors_.size());
  wake_at(detached_until_);
  return true;
}

void session_core::hold(std::string xml) {
  if (held_.size() >= policy().max_held_messages) {
    // Bounded: past it, nothing the client was promised could be delivered whole; the session
    // ends instead of dropping part of it silently.
    log::session().warn("{}: {} messages held for application session {} since its connection was lost: ended",
                        peer_, held_.size(), app_.id());
    detached_ = false;  // what follows goes nowhere
    stats_.detached = 0;
    held_.clear();
    release_monitors();
    close("too much held for a lost connection");
    return;
  }
  held_.push_back(std::move(xml));
}

std::optional<std::string> session_core::begin_hand_over(const std::string& user) {
  if (handing_over_ || handed_over_)
    return std::string{"it is being taken over already"};
  if (!app_.active())
    return std::string{"it has no application session"};
  if (user != user_)
    return std::string{"it belongs to another user"};
  if (user_.empty() && !detached_)
    // Without accounts anyone may claim a session id; a connected client keeps its session.
    return std::string{"it is still connected, and no account says whose it is"};
  handing_over_ = true;
  return std::nullopt;
}

std::map<int, std::vector<std::string>> session_core::monitors_by_lim() const {
  std::map<int, std::vector<std::string>> out;
  for (auto& [cross_ref, m] : monitors_)
    out[m.lim].push_back(cross_ref);
  return out;
}

session_handover session_core::hand_over(const std::vector<std::string>& moved) {
  session_handover h;
  h.monitors.reserve(moved.size());
  for (auto& cross_ref : moved) {
    auto i = monitors_.find(cross_ref);
    if (i == monitors_.end())
      continue;
    auto& m = i->second;
    h.monitors.push_back({cross_ref, m.target.device, m.target.call, m.lim, m.form,
                          {m.suppressed.begin(), m.suppressed.end()}, m.ns, m.out_of_service});
    erase_monitor(i);  // the new session's now, with its place in the monitor budget
  }
  std::sort(h.monitors.begin(), h.monitors.end(),
            [](const monitor_handover& a, const monitor_handover& b) { return a.cross_ref < b.cross_ref; });
  release_monitors();  // what was not moved stays at the LIMs as this session's: released
  stats_.monitors = 0;
  h.held = std::move(held_);
  held_.clear();
  log::session().info("{}: application session {} taken over by a new connection ({} monitor(s), {} held "
                      "message(s))",
                      peer_, app_.id(), h.monitors.size(), h.held.size());
  handed_over_ = true;
  bool was_detached = detached_;
  detached_ = false;
  stats_.detached = 0;
  close(was_detached ? "taken over by a new connection" : "its session was taken over by a new connection");
  return h;
}

void session_core::adopt(transport::correlation corr, std::string session_id, std::string user,
                         std::optional<p::start_application_session_request> start, verdict v) {
  auto id = next_ticket_++;
  adoptions_.emplace(id, pending_adoption{corr, ns_, std::move(start), std::move(v)});
  effects_.push_back(effect::adopt{id, std::move(session_id), std::move(user)});
}

void session_core::transfer_monitors(const incoming& in, const p::transfer_monitor_objects_request& r) {
  if (!app_.active() || r.to_session_id != app_.id() || r.from_session_id == app_.id()) {
    // Monitors go only to the session of the connection asking, from another one.
    refuse(in, p::errors::operation("invalidParameterValue"));
    return;
  }
  verdict v;
  v.ok = true;
  v.user = user_;
  adopt(in.corr, r.from_session_id, user_, std::nullopt, std::move(v));
}

void session_core::on_adopted(ticket id, std::optional<session_handover> handover, sim::time_point now) {
  auto i = adoptions_.find(id);
  if (i == adoptions_.end())
    return;
  auto pending = std::move(i->second);
  adoptions_.erase(i);
  if (pending.start) {
    auto& r = *pending.start;
    if (!handover) {
      // The client starts afresh (and may then ask for the monitors with TransferMonitorObjects).
      log::session().warn("{}: application session {} cannot be resumed (unknown, ended or another user's)", peer_,
                          printable(r.resume_session_id));
      ++stats_.session_refusals;
      send_reply(pending.corr, p::encode_start_application_session_neg_response("invalidApplicationInfo"));
      if (adoptions_.empty())
        early_events_.clear();
      return;
    }
    auto a = app_.resume(r, policy(), now, pending.v.max_duration, r.resume_session_id);
    if (!a.ok) {
      ++stats_.session_refusals;
      send_reply(pending.corr, a.document);
      install(*handover);  // the monitors are this session's now, whatever the answer
      return;
    }
    granted(r, pending.v);
    log::session().info("{}: application session {} resumed for '{}' (user '{}')", peer_, app_.id(),
                        printable(r.application_id), printable(pending.v.user));
    send_reply(pending.corr, a.document);
    effects_.push_back(effect::announce{app_.id()});
    wake_at(app_.deadline());
    install(*handover);
    return;
  }
  if (!handover) {
    log::session().warn("{}: TransferMonitorObjects refused: no session of this user to take over", peer_);
    refuse_in(pending.corr, p::errors::operation("objectNotKnown"), pending.ns, "TransferMonitorObjects");
    if (adoptions_.empty())
      early_events_.clear();
    return;
  }
  send_reply(pending.corr, p::encode_transfer_monitor_objects_response(pending.ns));
  install(*handover);
}

// The old session's monitors become this one's; the client gets what the old session held,
// then the events that came here meanwhile.
void session_core::install(session_handover& h) {
  for (auto& m : h.monitors) {
    // Its place in the process's monitor budget came with it (the old session did not give it
    // back).
    monitors_[m.cross_ref] = monitor{{m.device, m.call}, m.lim, m.form, {m.suppressed.begin(), m.suppressed.end()},
                                     m.ns, m.out_of_service, p::well_known_namespace(m.ns)};
    if (m.out_of_service) {
      // Its LIM is down: when it comes back, this session starts the monitor again and tells
      // the client SystemStatus normal.
      down_lims_.insert(m.lim);
      told_partial_ = true;
    }
  }
  stats_.monitors = monitors_.size();
  trace_if_chosen();  // a monitor on the device traced came with them
  for (auto& xml : h.held)
    notify(std::move(xml));
  if (!adoptions_.empty())
    return;  // another takeover is pending: its monitors' events keep waiting
  auto early = std::move(early_events_);
  early_events_.clear();
  for (auto& [e, cross_refs] : early)
    on_event(e, cross_refs);
}

}  // namespace cstad::service
