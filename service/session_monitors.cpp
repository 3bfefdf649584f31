// A session's monitors: started on their LIM (once permitted and within the limits), stopped,
// filtered; the events of their devices and calls delivered, the usual one straight from its
// LIM's shared payload; and what becomes of them when their LIM goes down and comes back.
// Part of session_core (session_core.hpp).

#include <string>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "protocol/encode_request.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/responses.hpp"
#include "protocol/csta_event.hpp"
#include "service/session_core.hpp"

namespace cstad::service {

namespace p = protocol;

// -- Monitors -------------------------------------------------------------------------------

void session_core::start_monitor(const incoming& in, int lim, monitor_target target,
                                 event_filter suppressed, bool report_filter) {
  auto device = target.is_call() ? std::string{} : target.device;
  auto call = target.is_call() ? target.call : 0;
  when_permitted(in, lim, device, call, [=]() { start_monitor_permitted(in, lim, target, suppressed, report_filter); });
}

void session_core::start_monitor_permitted(const incoming& in, int lim, monitor_target target,
                                           event_filter suppressed, bool report_filter) {
  if (monitors_.size() + monitor_starts_.size() >= policy().max_monitors) {
    ++stats_.monitor_limit_hits;
    limit_hit(in, p::errors::subscribed_resource("objectMonitorLimitExceeded"),
              std::to_string(monitors_.size()) + " monitors");
    return;
  }
  if (context_.monitors && !context_.monitors->take()) {
    ++stats_.system_monitor_limit_hits;
    limit_hit(in, p::errors::system_resource("overallMonitorLimitExceeded"),
              "the server's " + std::to_string(context_.monitors->limit) + " monitors");
    return;
  }
  auto id = next_ticket_++;
  auto cross_ref = next_id();
  // The request's own form of the device: remembered last, just before the request ran.
  auto form = target.is_call() || client_form(target.device) == target.device
                  ? std::string{}
                  : client_form(target.device);
  auto actual = report_filter ? std::optional<event_filter>{suppressed} : std::nullopt;
  auto slot = slots_.take();
  monitor_starts_.emplace(id, pending_monitor{in.corr, ns_, cross_ref,
                                              {target, lim, std::move(form), suppressed, {}, false, {}, slot},
                                              std::move(actual)});
  effects_.push_back(effect::start_monitor{id, lim, std::move(target), cross_ref, std::move(suppressed), slot});
}

void session_core::on_monitor_started(ticket id, bool ok) {
  if (auto r = restarts_.find(id); r != restarts_.end()) {
    auto [cross_ref, lim] = std::move(r->second);
    restarts_.erase(r);
    auto m = monitors_.find(cross_ref);
    if (m == monitors_.end()) {
      // Stopped by the client while it was being started again: release it there too.
      if (ok)
        effects_.push_back(effect::stop_monitor{cross_ref, lim, false});
      return;
    }
    if (ok && m->second.out_of_service && down_lims_.count(m->second.lim) == 0) {
      m->second.out_of_service = false;
      maintenance_event(p::event_type::back_in_service, cross_ref, m->second);
    }
    return;
  }
  auto i = monitor_starts_.find(id);
  if (i == monitor_starts_.end())
    return;
  auto pending = std::move(i->second);
  monitor_starts_.erase(i);
  if (!ok) {
    monitor_gone();
    slots_.give_back(pending.m.slot);
    refuse_in(pending.corr, p::errors::operation("invalidCallID"), pending.ns, "MonitorStart");
    return;
  }
  pending.m.ns = pending.ns;
  pending.m.known_ns = p::well_known_namespace(pending.m.ns);
  auto placed = monitors_.emplace(pending.cross_ref, pending.m).first;
  slots_.place(placed->second.slot, &*placed, hot_of(*placed));
  stats_.monitors = monitors_.size();
  trace_if_chosen();  // the selection may have come while it was starting
  send_reply(pending.corr, p::encode_monitor_start_response(pending.cross_ref, pending.ns,
                                                            pending.actual ? &*pending.actual : nullptr));
}

const session_core::monitor* session_core::find_monitor(const std::string& cross_ref) const {
  auto i = monitors_.find(cross_ref);
  return i == monitors_.end() ? nullptr : &i->second;
}

void session_core::stop_monitor(const std::string& cross_ref) {
  auto i = monitors_.find(cross_ref);
  if (i == monitors_.end())
    return;
  effects_.push_back(effect::stop_monitor{cross_ref, i->second.lim, i->second.target.is_call()});
  erase_monitor(i);
  monitor_gone();
  stats_.monitors = monitors_.size();
}

void session_core::change_filter(const std::string& cross_ref, event_filter suppressed) {
  auto i = monitors_.find(cross_ref);
  if (i == monitors_.end())
    return;
  i->second.suppressed = suppressed;
  effects_.push_back(effect::change_filter{cross_ref, i->second.lim, i->second.target.is_call(), std::move(suppressed)});
}

void session_core::release_monitors() {
  for (auto& [cross_ref, m] : monitors_) {
    effects_.push_back(effect::stop_monitor{cross_ref, m.lim, m.target.is_call()});
    slots_.give_back(m.slot);
  }
  monitor_gone(monitors_.size());
  monitors_.clear();
  stats_.monitors = 0;
}

void session_core::on_event(const p::csta_event& e) { deliver(e, e.cross_ref, nullptr); }

void session_core::on_event(p::csta_event& e, const std::vector<std::string>& cross_refs) {
  for (auto& cross_ref : cross_refs) {
    e.cross_ref = cross_ref;
    on_event(e);
  }
}

void session_core::on_events(event_batch&& batch) {
  // Room for the batch's documents at once, sized by those of earlier batches.
  bool sized = !detached_ && !batch.deliveries.empty();
  std::size_t bytes_before = 0;
  std::size_t count_before = 0;
  if (sized) {
    auto out = notifications();
    bytes_before = out->bytes();
    count_before = out->size();
    out->reserve_around(batch.deliveries.size(), batch.deliveries.size() * (event_bytes_ + event_bytes_ / 4));
  }
  auto effects_before = effects_.size();
  for (auto& d : batch.deliveries)
    if (d.event)
      deliver(d.event->view(), d.cross_ref, &d.event, d.slot);
  if (sized && effects_.size() == effects_before) {  // the same notify effect took them all
    auto out = notifications();
    if (out->size() > count_before)
      event_bytes_ = (3 * event_bytes_ + (out->bytes() - bytes_before) / (out->size() - count_before)) / 4;
  }
}

session_core::monitor_entry* session_core::find_delivered(const std::string& cross_ref, std::uint32_t slot) {
  if (auto entry = slots_.find(slot); entry != nullptr && entry->first == cross_ref)
    return entry;
  auto i = monitors_.find(cross_ref);
  return i == monitors_.end() ? nullptr : &*i;
}

session_core::monitor_hot session_core::hot_of(const monitor_entry& e) const {
  auto& m = e.second;
  return {e.first, !m.known_ns.empty() ? m.known_ns : std::string_view{m.ns}, m.form.empty(), m.target.is_call(),
          e.first.find_first_of("&<>\"'") == std::string::npos};
}

void session_core::erase_monitor(std::unordered_map<std::string, monitor>::iterator i) {
  slots_.give_back(i->second.slot);
  monitors_.erase(i);
}

// The event for the monitor cross_ref. `shared` is the LIM's payload of it (written once for
// all sessions), when it came as one; `slot` the number the LIM handed back with it.
void session_core::deliver(const p::csta_event& view, const std::string& cross_ref,
                           std::shared_ptr<const event_payload>* shared, std::uint32_t slot) {
  // The usual event: found by its number, the monitor's map node not touched (monitor_hot).
  // Its document is the shared payload's around this monitor's cross-reference: the batch
  // takes the payload and only the cross-reference is copied.
  if (shared != nullptr && forms_.empty())
    if (auto hot = slots_.hot(slot); hot != nullptr && hot->cross_ref == cross_ref && hot->plain &&
                                      !hot->ns.empty() && !(hot->call && view.type == p::event_type::call_cleared)) {
      ++stats_.events;
      auto& payload = **shared;
      if (auto encoded = payload.template_in(hot->ns); encoded != nullptr && hot->cross_ref_is_plain) {
        std::string_view text = encoded->text;
        notify_around(std::move(*shared), text.substr(0, encoded->cross_ref_at), cross_ref,
                      text.substr(encoded->cross_ref_at));
      } else {
        notify_with([&](std::string& out) { payload.append_to(out, cross_ref, hot->ns, hot->cross_ref_is_plain); });
      }
      return;
    }
  auto entry = find_delivered(cross_ref, slot);
  if (entry == nullptr) {
    // A monitor being taken over from another session: its events wait for the old session's.
    if (!adoptions_.empty() && early_events_.size() < policy().max_held_messages) {
      early_events_.push_back({view, {cross_ref}});
      early_events_.back().first.cross_ref = cross_ref;
    }
    return;  // otherwise stopped meanwhile
  }
  auto& m = entry->second;
  ++stats_.events;
  // The usual client names devices by their numbers: the event goes out as the device rendered
  // it. Otherwise this session's copy names them in the client's forms.
  std::string_view ns = !m.known_ns.empty() ? m.known_ns : m.ns.empty() ? std::string_view{ns_} : m.ns;
  if (forms_.empty() && m.form.empty()) {
    if (shared != nullptr)
      notify_with([&](std::string& out) { (*shared)->append_to(out, cross_ref, ns); });
    else
      notify(p::encode_event(view, ns));  // view.cross_ref is cross_ref
  } else {
    auto own = forms_.render(view, m.target.device, m.form.empty() ? m.target.device : m.form);
    own.cross_ref = cross_ref;
    notify(p::encode_event(own, ns));
  }
  if (view.type == p::event_type::call_cleared && m.target.is_call()) {
    erase_monitor(monitors_.find(entry->first));  // the call is over, and so is its monitor (its LIM dropped it)
    monitor_gone();
    stats_.monitors = monitors_.size();
  }
}

// -- LIMs going down and coming back --------------------------------------------------------

void session_core::maintenance_event(p::event_type type, const std::string& cross_ref, const monitor& m) {
  if (m.suppressed.count(std::string{p::filter_name(type)}) != 0)
    return;
  p::csta_event e;
  e.type = type;
  e.cross_ref = cross_ref;
  e.subject = m.target.device;
  on_event(e);
}

void session_core::on_lim_state(int lim, bool up) {
  if (!up) {
    if (!down_lims_.insert(lim).second)
      return;
    bool affected = false;
    std::vector<std::string> stopped;
    for (auto& [cross_ref, m] : monitors_) {
      if (m.lim != lim)
        continue;
      affected = true;
      if (m.target.is_call()) {
        stopped.push_back(cross_ref);  // its call was on that LIM, and is gone with it
      } else if (!m.out_of_service) {
        m.out_of_service = true;
        maintenance_event(p::event_type::out_of_service, cross_ref, m);
      }
    }
    for (auto& cross_ref : stopped) {
      erase_monitor(monitors_.find(cross_ref));
      monitor_gone();
      p::monitor_stop_request r;
      r.cross_ref = cross_ref;
      notify(p::encode_request(r, ns_));
    }
    stats_.monitors = monitors_.size();
    if (affected && !told_partial_) {
      log::session().info("{}: LIM {} is down: its devices are out of service", peer_, lim);
      told_partial_ = true;
      system_status("partiallyDisabled");
    }
    return;
  }
  if (down_lims_.erase(lim) == 0)
    return;
  for (auto& [cross_ref, m] : monitors_)
    if (m.lim == lim && m.out_of_service) {
      auto id = next_ticket_++;
      restarts_.emplace(id, std::make_pair(cross_ref, lim));
      effects_.push_back(effect::start_monitor{id, lim, m.target, cross_ref, m.suppressed, m.slot});
    }
  if (told_partial_ && down_lims_.empty()) {
    told_partial_ = false;
    system_status("normal");
  }
}

}  // namespace cstad::service
