// Routeing by an application (ECMA-269 routeing services) for the ACD groups whose plan entry
// says "route_via_application": an application registers for the group (one per group); a
// call that arrives there waits at the group while the application is asked where it goes
// (RouteRequest); its answer (RouteSelect) sends the call on, and the dialogue ends (RouteEnd).
// No registration, no answer in the group's route_timeout, or the application abandoning the
// dialogue: the group queues the call as it does any other. The messages for the application go
// to an outbox of their own (route_message.hpp): the LIM hands them to the registered session.

#include <algorithm>

#include "sim/exchange.hpp"

namespace cstad::sim {

using protocol::connection_state;
using protocol::event_cause;
namespace errors = protocol::errors;

outcome exchange::route_register(const std::string& group, const std::string& owner) {
  if (!routeing_enabled_)
    return outcome::refuse(errors::operation("serviceNotSupported"));
  if (plan_.find(group) == nullptr)
    return outcome::refuse(errors::operation("invalidDeviceID"));
  auto config = plan_.acd_group(group);
  if (config == nullptr || !config->route_via_application)
    return outcome::refuse(errors::operation("requestIncompatibleWithDevice"));
  if (registration_of_group_.count(group) != 0)
    return outcome::refuse(errors::subscribed_resource("objectRegistrationLimitExceeded"));
  // In this LIM's id block, so that a request naming it finds this LIM (system_ids.hpp).
  auto id = std::to_string(next_route_id_++);
  route_registrations_[id] = {group, owner};
  registration_of_group_[group] = id;
  auto o = outcome::done(0, group);
  o.reference = id;
  return o;
}

std::vector<std::string> exchange::reown_route_registrations(const std::string& from, const std::string& to) {
  std::vector<std::string> ids;
  for (auto& [id, r] : route_registrations_)
    if (r.owner == from) {
      r.owner = to;
      ids.push_back(id);
    }
  return ids;
}

outcome exchange::route_register_cancel(const std::string& registration, const std::string& owner,
                                        std::vector<domain_event>& out) {
  auto i = route_registrations_.find(registration);
  if (i == route_registrations_.end() || i->second.owner != owner)
    return outcome::refuse(errors::operation("invalidRouteRegistrationCrossRefID"));
  auto group = i->second.group;
  registration_of_group_.erase(group);
  route_registrations_.erase(i);
  // Its dialogues end unrouted, in the order their calls came (nobody is left to tell).
  std::vector<route_dialogue> ended;
  for (auto d = route_dialogues_.begin(); d != route_dialogues_.end();)
    if (d->second.registration == registration) {
      ended.push_back(d->second);
      d = route_dialogues_.erase(d);
    } else {
      ++d;
    }
  std::sort(ended.begin(), ended.end(),
            [](const route_dialogue& a, const route_dialogue& b) { return a.call < b.call; });
  for (auto& d : ended)
    queue_unrouted(d, out);
  return outcome::done(0, group);
}

bool exchange::ask_application(call& c, const std::string& group, event_cause cause) {
  auto r = registration_of_group_.find(group);
  if (!routeing_enabled_ || r == registration_of_group_.end())
    return false;
  auto cross_ref = std::to_string(next_route_id_++);
  route_dialogues_[cross_ref] = {r->second, c.id, group, cause};
  // The call waits at the group (its caller hearing ringback): the group's monitors see it when
  // it leaves, diverted to the route chosen, or queued.
  c.group = group;
  if (std::find(c.watchers.begin(), c.watchers.end(), group) == c.watchers.end())
    c.watchers.push_back(group);
  add_party(c, group, connection_state::queued, false);
  route_message m;
  m.what = route_message::kind::request;
  m.registration = r->second;
  m.cross_ref = cross_ref;
  m.group = group;
  m.current_route = c.called;
  m.calling = c.calling;
  m.call = c.id;
  route_outbox_.push_back(std::move(m));
  timers_.push(clock_.now() + plan_.acd_group(group)->route_timeout,
                  timer{timer::kind::route_timeout, c.id, cross_ref, 0});
  return true;
}

// Another owner's dialogue is refused as an unknown one: it names nothing this client may act on.
exchange::route_dialogue* exchange::owned_dialogue(const std::string& cross_ref, const std::string& owner,
                                                   const std::string& registration,
                                                   protocol::csta_error& error) {
  error = errors::operation("invalidRouteingCrossRefID");
  auto d = route_dialogues_.find(cross_ref);
  if (d == route_dialogues_.end())
    return nullptr;
  auto r = route_registrations_.find(d->second.registration);
  if (r == route_registrations_.end() || r->second.owner != owner)
    return nullptr;
  if (!registration.empty() && registration != d->second.registration) {
    error = errors::operation("invalidRouteRegistrationCrossRefID");
    return nullptr;
  }
  return &d->second;
}

namespace {

route_message end_of(const std::string& registration, const std::string& cross_ref,
                     const std::string& group, protocol::csta_error why) {
  route_message m;
  m.what = route_message::kind::end;
  m.registration = registration;
  m.cross_ref = cross_ref;
  m.group = group;
  m.error = std::move(why);
  return m;
}

}  // namespace

outcome exchange::route_select(const std::string& cross_ref, const std::string& destination,
                               const std::string& owner, std::vector<domain_event>& out,
                               const std::string& registration) {
  protocol::csta_error error;
  auto d = owned_dialogue(cross_ref, owner, registration, error);
  if (d == nullptr)
    return outcome::refuse(error);
  // A route that leads nowhere is refused and the dialogue goes on: a better answer may come
  // before the timer runs out.
  if (destination.empty() || destination == d->group || !is_reachable(destination))
    return outcome::refuse(errors::operation("invalidDestination"));
  auto dialogue = *d;
  route_dialogues_.erase(cross_ref);
  auto& c = calls_.at(dialogue.call);  // a dialogue ends with its call (routed_call_gone)
  remove_party(c, dialogue.group);
  divert(c, dialogue.group, destination, event_cause::redirected, out);
  deliver(c, destination, event_cause::redirected, out);
  route_outbox_.push_back(end_of(dialogue.registration, cross_ref, dialogue.group, {}));
  end_call_if_empty(dialogue.call);
  return outcome::done(dialogue.call, destination);
}

outcome exchange::route_end(const std::string& cross_ref, const std::string& owner,
                            std::vector<domain_event>& out, const std::string& registration) {
  protocol::csta_error error;
  auto d = owned_dialogue(cross_ref, owner, registration, error);
  if (d == nullptr)
    return outcome::refuse(error);
  auto dialogue = *d;
  route_dialogues_.erase(cross_ref);
  queue_unrouted(dialogue, out);
  return outcome::done(dialogue.call, dialogue.group);
}

void exchange::route_timeout(const std::string& cross_ref, std::vector<domain_event>& out) {
  auto d = route_dialogues_.find(cross_ref);
  if (d == route_dialogues_.end())
    return;  // answered or ended meanwhile
  auto dialogue = d->second;
  route_dialogues_.erase(d);
  route_outbox_.push_back(end_of(dialogue.registration, cross_ref, dialogue.group,
                                 errors::operation("routeingTimerExpired")));
  queue_unrouted(dialogue, out);
}

void exchange::queue_unrouted(const route_dialogue& d, std::vector<domain_event>& out) {
  auto i = calls_.find(d.call);
  if (i == calls_.end())
    return;
  remove_party(i->second, d.group);
  acd_offer(i->second, d.group, d.cause, out);
  end_call_if_empty(d.call);  // a full queue without overflow fails an outside caller
}

void exchange::routed_call_gone(call_id id) {
  auto d = std::find_if(route_dialogues_.begin(), route_dialogues_.end(),
                        [id](const auto& entry) { return entry.second.call == id; });
  if (d == route_dialogues_.end())
    return;
  // The call the application was asked about no longer exists in a state to be routed.
  route_outbox_.push_back(end_of(d->second.registration, d->first, d->second.group,
                                 errors::state("invalidObjectState")));
  route_dialogues_.erase(d);
}

void exchange::take_route_messages(std::vector<route_message>& out) {
  out.insert(out.end(), std::make_move_iterator(route_outbox_.begin()),
             std::make_move_iterator(route_outbox_.end()));
  route_outbox_.clear();
}

}  // namespace cstad::sim
