#include <algorithm>
#include <functional>
#include <set>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/delegated.hpp>

#include "actors/event_view.hpp"
#include "actors/log.hpp"
#include "actors/spawn.hpp"

namespace cstad {
namespace {

struct subscription {
  session_actor session;
  std::string cross_ref;
  std::set<std::string> suppressed;  // filter names the client asked not to receive
};

struct device_state {
  static inline const char* name = "cstad.device";
  std::string number;
  lim_actor lim;
  std::vector<subscription> monitors;
};

using device_pointer = device_actor::stateful_pointer<device_state>;

void drop_if(device_pointer self, std::function<bool(const subscription&)> pred) {
  auto& m = self->state.monitors;
  m.erase(std::remove_if(m.begin(), m.end(), pred), m.end());
}

device_actor::behavior_type device(device_pointer self, std::string number, lim_actor lim) {
  self->state.number = std::move(number);
  self->state.lim = std::move(lim);
  // A session that ends without MonitorStop loses its monitors here.
  self->set_down_handler([self](const caf::down_msg& dm) {
    drop_if(self, [&](const subscription& s) { return s.session.address() == dm.source; });
  });
  return {
      [self](atom::monitor, session_actor session, std::string cross_ref,
             std::set<std::string> suppressed) -> bool {
        self->monitor(session);
        log::device().debug("{}: monitor {} started", self->state.number, cross_ref);
        self->state.monitors.push_back({std::move(session), std::move(cross_ref),
                                        std::move(suppressed)});
        return true;
      },
      [self](atom::demonitor, const std::string& cross_ref) {
        log::device().debug("{}: monitor {} stopped", self->state.number, cross_ref);
        drop_if(self, [&](const subscription& s) { return s.cross_ref == cross_ref; });
      },
      [self](atom::filter, const std::string& cross_ref, std::set<std::string>& suppressed) {
        for (auto& s : self->state.monitors)
          if (s.cross_ref == cross_ref)
            s.suppressed = suppressed;
      },
      [self](sim::operation& op) -> caf::delegated<sim::outcome> {
        // The LIM answers the session directly, before the events of the operation.
        return self->delegate(self->state.lim, std::move(op));
      },
      [self](const sim::domain_event& e) {
        auto view = view_of(e, self->state.number);
        if (!view)
          return;
        auto filter = protocol::filter_name(view->type);
        for (auto& s : self->state.monitors) {
          if (s.suppressed.count(std::string{filter}) != 0)
            continue;
          auto copy = *view;
          copy.cross_ref = s.cross_ref;
          self->send(s.session, std::move(copy));
        }
      },
  };
}

}  // namespace

device_actor spawn_device(caf::local_actor* parent, std::string number, lim_actor lim) {
  return parent->spawn<caf::linked>(device, std::move(number), std::move(lim));
}

}  // namespace cstad
