// The actor of one monitored device. Its LIM sends it every exchange event the device is part
// of; it renders the event from the device's point of view once and sends it once to each
// session watching, with the cross-references of that session's monitors that want it.

#include <algorithm>
#include <set>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/spawn.hpp"
#include "common/log.hpp"
#include "service/event_view.hpp"

namespace cstad {
namespace {

struct watcher {
  std::string cross_ref;
  std::set<std::string> suppressed;  // filter names the client asked not to receive
};

struct subscriber {
  session_actor session;
  std::vector<watcher> monitors;
};

struct device_state {
  static inline const char* name = "cstad.device";
  std::string number;
  // A vector, not a map: every event walks all of them, monitors come and go far less often.
  std::vector<subscriber> sessions;

  std::vector<subscriber>::iterator find(const caf::actor_addr& session) {
    return std::find_if(sessions.begin(), sessions.end(),
                        [&](const subscriber& s) { return s.session.address() == session; });
  }
};

using device_pointer = device_actor::stateful_pointer<device_state>;

watcher* find(device_pointer self, const session_actor& session, const std::string& cross_ref) {
  auto i = self->state.find(session.address());
  if (i == self->state.sessions.end())
    return nullptr;
  auto& m = i->monitors;
  auto w = std::find_if(m.begin(), m.end(), [&](const watcher& x) { return x.cross_ref == cross_ref; });
  return w == m.end() ? nullptr : &*w;
}

void publish(device_pointer self, const sim::domain_event& e) {
  auto view = service::view_of(e, self->state.number);
  if (!view)
    return;
  auto filter = std::string{protocol::filter_name(view->type)};
  for (auto& sub : self->state.sessions) {
    auto wants = [&](const watcher& w) { return w.suppressed.count(filter) == 0; };
    auto n = std::count_if(sub.monitors.begin(), sub.monitors.end(), wants);
    if (n == 1) {
      // The usual case, one monitor per device and session: the event names it itself.
      auto copy = *view;
      copy.cross_ref = std::find_if(sub.monitors.begin(), sub.monitors.end(), wants)->cross_ref;
      self->send(sub.session, std::move(copy));
    } else if (n > 1) {
      std::vector<std::string> cross_refs;
      for (auto& w : sub.monitors)
        if (wants(w))
          cross_refs.push_back(w.cross_ref);
      self->send(sub.session, *view, std::move(cross_refs));
    }
  }
}

device_actor::behavior_type device(device_pointer self, std::string number) {
  self->state.number = std::move(number);
  // A session that ends without MonitorStop loses its monitors here.
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto i = self->state.find(dm.source);
    if (i != self->state.sessions.end())
      self->state.sessions.erase(i);
  });
  return {
      [self](atom::watch, session_actor session, std::string cross_ref,
             std::set<std::string> suppressed) {
        log::device().debug("{}: monitor {} started", self->state.number, cross_ref);
        auto i = self->state.find(session.address());
        if (i == self->state.sessions.end()) {
          self->monitor(session);
          i = self->state.sessions.insert(i, subscriber{std::move(session), {}});
        }
        i->monitors.push_back({std::move(cross_ref), std::move(suppressed)});
      },
      [self](atom::unwatch, const session_actor& session, const std::string& cross_ref) {
        log::device().debug("{}: monitor {} stopped", self->state.number, cross_ref);
        auto i = self->state.find(session.address());
        if (i == self->state.sessions.end())
          return;
        auto& m = i->monitors;
        m.erase(std::remove_if(m.begin(), m.end(), [&](const watcher& w) { return w.cross_ref == cross_ref; }),
                m.end());
        if (m.empty()) {
          self->demonitor(session.address());
          self->state.sessions.erase(i);
        }
      },
      [self](atom::filter, const session_actor& session, const std::string& cross_ref,
             std::set<std::string>& suppressed) {
        if (auto w = find(self, session, cross_ref))
          w->suppressed = std::move(suppressed);
      },
      [self](const sim::domain_event& e) { publish(self, e); },
      [self](atom::status) {
        std::uint64_t n = 0;
        for (auto& sub : self->state.sessions)
          n += sub.monitors.size();
        return n;
      },
  };
}

}  // namespace

device_actor spawn_device(caf::local_actor* parent, std::string number) {
  return parent->spawn<caf::linked>(device, std::move(number));
}

}  // namespace cstad
