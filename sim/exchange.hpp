#pragma once
// The switching function of one LIM: calls, connections and their states, driven by
// operations (make call, answer, hold, transfer, …) and by the clock (ring timers), reporting
// every change as a domain event. Single-threaded and deterministic.

#include <array>
#include <deque>
#include <functional>
#include <set>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/csta_error.hpp"
#include "sim/clock.hpp"
#include "sim/domain_event.hpp"
#include "sim/inter_lim.hpp"
#include "sim/number_plan.hpp"
#include "sim/operation.hpp"
#include "sim/route_message.hpp"
#include "sim/timer_queue.hpp"

namespace cstad::sim {

/// What an exchange keeps to stay in step with another LIM that has a side of a call
/// (inter_lim.cpp).
struct far_side {
  far_side() = default;
  far_side(std::string peer_, protocol::connection_state told_, std::string via_ = {},
           bool gone_ = false)
      : peer(std::move(peer_)), told(told_), via(std::move(via_)), gone(gone_) {}

  std::string peer;  // our device the far LIM holds as its remote party: what it calls us
  protocol::connection_state told = protocol::connection_state::null;  // our state as signalled
  std::string via;   // the far LIM's number to signal, when the party's device is not one (an
                     // outside number the far LIM connects through)
  bool gone = false; // the far side has left already: releasing it is not signalled back
  // A party the far LIM relays (a conference made there, inter_lim_conference.cpp): shown on
  // the call, never signalled on its own (the far LIM's own party, at the same address, is);
  // its changes come from the far LIM under its device.
  bool behind = false;
  // Our call's parties besides `peer` that the far LIM shows since a conference here: each
  // one's changes are signalled to it on their own, under that party's device.
  std::vector<std::string> shown;
  // The far LIM is a group's that offers the call to our devices (inter_lim_groups.cpp): each
  // party of ours is a leg of its own, signalled and released on its own.
  bool legs = false;
};

/// One device's connection to a call.
struct party {
  std::string device;
  protocol::connection_state state = protocol::connection_state::null;
  time_point since{};     // when it entered this state
  bool external = false;  // not a device of this exchange: an outside number or a remote party
  bool via_group = false; // offered by the call's ACD or hunt group (its timers and rules apply)
  bool silent = false;    // joined by a silent single-step conference: listens, cannot keep a
                          // call going on its own
  // A remote party: another LIM's side of the call, device being that LIM's number for it.
  std::optional<far_side> far = std::nullopt;

  bool remote() const { return far.has_value(); }
  /// A remote party's LIM: the number its signals are addressed to.
  const std::string& far_address() const { return far->via.empty() ? device : far->via; }
};

struct call {
  call_id id = 0;
  std::string calling;
  std::string called;            // as dialled
  std::string last_redirection;  // the last device the call was diverted from
  protocol::event_cause origin = protocol::event_cause::newCall;  // newCall or consultation
  time_point started{};
  std::vector<party> parties;
  std::string group;                  // the ACD or hunt group distributing the call, if any
  std::vector<std::string> watchers;  // groups that see the call's events without a connection
  std::vector<std::string> hunted;    // hunt group members already offered the call
  std::size_t cascade_set = 0;        // cascade: sets offered so far
  int lim_hops = 0;                   // set-ups between LIMs the call has had (inter_lim.hpp)
  call_data data;                     // what applications associated with it (AssociateData)

  const party* find(const std::string& device) const;
  party* find(const std::string& device);
};

/// Something the exchange must do at a time (see exchange::tick).
struct timer {
  enum class kind : unsigned char {
    ring,             // an alerting connection rang long enough: forward, move on or clear
    after_call_work,  // an agent's after-call work is over
    cascade_step,     // a cascade hunt group adds its next set of members
    route_timeout,    // the application did not say where a call goes in time
  };
  kind what = kind::ring;
  call_id call = 0;
  std::string device;  // ring: the alerting device; after_call_work: the agent's device;
                       // route_timeout: the routeing dialogue
  std::uint64_t stamp = 0;  // after_call_work: which wrap-up it ends (later ones win)
};

/// What clients set on one device: do-not-disturb and the active forwardings.
struct device_settings {
  std::string device;
  bool dnd = false;
  std::vector<forward_setting> forwards;  // active ones only
};

struct exchange_timing {
  duration ring_cycle = std::chrono::seconds(5);        // one ring, for forwarding ring counts
  int default_no_answer_rings = 3;                      // forwardNoAns without a ring count
  duration max_ring_time = std::chrono::seconds(60);    // unanswered calls are cleared then
};

class exchange {
public:
  /// first_call: the exchange's first call id (see system_ids.hpp: its LIM's block).
  exchange(number_plan plan, const clock& clk, exchange_timing timing = {}, call_id first_call = 1);

  const number_plan& plan() const { return plan_; }

  /// Runs one operation; the changes it causes are appended to out, in order.
  outcome apply(const operation& op, std::vector<domain_event>& out);

  // Basic calls.
  outcome make_call(const std::string& calling, const std::string& called,
                    std::vector<domain_event>& out);
  /// by_hand: the user lifts the handset (any set can), not a remote answer (analog/CAS cannot).
  outcome answer_call(call_id id, const std::string& device, std::vector<domain_event>& out,
                      bool by_hand = false);
  outcome clear_connection(call_id id, const std::string& device, std::vector<domain_event>& out);
  outcome clear_call(call_id id, std::vector<domain_event>& out);
  /// The user lifts the handset: a new call in the initiated state (dial tone).
  outcome off_hook(const std::string& device, std::vector<domain_event>& out);
  /// The user of an off-hook call dials a number: the call is originated and routed.
  outcome dial(call_id id, const std::string& device, const std::string& number,
               std::vector<domain_event>& out);
  /// A call from an outside number arriving on a trunk for an internal number.
  outcome incoming_call(const std::string& from, const std::string& to,
                        std::vector<domain_event>& out);
  /// The outside party of a call answers (the network tells the exchange).
  outcome external_answer(call_id id, const std::string& number, std::vector<domain_event>& out);
  /// The outside party of a call hangs up.
  outcome external_release(call_id id, const std::string& number, std::vector<domain_event>& out);

  // Calls between LIMs (inter_lim.cpp).
  /// is_remote: true for a number that belongs to another LIM of the system. Default: none.
  void set_remote_numbers(std::function<bool(const std::string&)> is_remote);
  /// True for a number of another LIM (never for one of this exchange's plan).
  bool is_remote(const std::string& number) const;
  /// Moves out the signals for other LIMs produced so far (by operations, receive and tick).
  void take_signals(std::vector<inter_lim_signal>& out);
  /// Applies a signal from another LIM; the changes it causes here are appended to out.
  outcome receive(const inter_lim_signal& s, std::vector<domain_event>& out);
  /// The LIMs whose numbers satisfy on_lost_lim are gone: their remote parties are released
  /// (cause networkOutOfOrder) with the usual rules, without signalling them.
  void far_lim_lost(const std::function<bool(const std::string&)>& on_lost_lim,
                    std::vector<domain_event>& out);

  // Supplementary services.
  outcome hold_call(call_id id, const std::string& device, std::vector<domain_event>& out);
  outcome retrieve_call(call_id id, const std::string& device, std::vector<domain_event>& out);
  outcome consultation_call(call_id id, const std::string& device, const std::string& consulted,
                            std::vector<domain_event>& out);
  outcome transfer_call(call_id held, call_id active, const std::string& device,
                        std::vector<domain_event>& out);
  outcome conference_call(call_id held, call_id active, const std::string& device,
                          std::vector<domain_event>& out);
  outcome alternate_call(call_id held, call_id active, const std::string& device,
                         std::vector<domain_event>& out);
  outcome reconnect_call(call_id held, call_id active, const std::string& device,
                         std::vector<domain_event>& out);
  outcome deflect_call(call_id id, const std::string& device, const std::string& destination,
                       std::vector<domain_event>& out);
  outcome single_step_transfer(call_id id, const std::string& device, const std::string& to,
                               std::vector<domain_event>& out);
  outcome pickup_call(call_id id, const std::string& picker, std::vector<domain_event>& out);
  outcome generate_digits(call_id id, const std::string& device, const std::string& digits,
                          std::vector<domain_event>& out);
  /// joining enters the call that device is on at once, taking part or (silent) only listening.
  /// Calls with another LIM's parties are not supported (requestIncompatibleWithObject).
  outcome single_step_conference(call_id id, const std::string& device, const std::string& joining,
                                 bool silent, std::vector<domain_event>& out);

  // Data associated with calls (call_data.cpp).
  /// device, a party of the call, attaches data to it: the given parts replace what the call had,
  /// and the call's observers are told all it carries now.
  outcome associate_data(call_id id, const std::string& device, const call_data& data,
                         std::vector<domain_event>& out);

  // Routeing by an application (application_routeing.cpp): an ACD group with
  // route_via_application asks the application registered for it where each call goes.
  /// The host hands the route messages on to the registered sessions (take_route_messages);
  /// until it says so, registrations are refused, so that no call waits for an answer that
  /// cannot come.
  void enable_routeing(bool on) { routeing_enabled_ = on; }
  outcome route_register(const std::string& group, const std::string& owner);
  /// The registrations of one owner become another's (its session was taken over by a new
  /// connection): their dialogues go on. Returns their ids.
  std::vector<std::string> reown_route_registrations(const std::string& from, const std::string& to);
  outcome route_register_cancel(const std::string& registration, const std::string& owner,
                                std::vector<domain_event>& out);
  /// registration: the one the client named with the dialogue, if any (it must be the
  /// dialogue's).
  outcome route_select(const std::string& cross_ref, const std::string& destination,
                       const std::string& owner, std::vector<domain_event>& out,
                       const std::string& registration = {});
  outcome route_end(const std::string& cross_ref, const std::string& owner,
                    std::vector<domain_event>& out, const std::string& registration = {});
  /// Moves out the route messages produced so far (by operations and tick).
  void take_route_messages(std::vector<route_message>& out);

  // Physical device features (message_waiting.cpp).
  outcome set_message_waiting(const std::string& device, bool on, std::vector<domain_event>& out);
  /// The device's indicator (get_message_waiting's flag), or the refusal for a device that has none.
  outcome get_message_waiting(const std::string& device) const;

  // Logical device features.
  outcome set_do_not_disturb(const std::string& device, bool on, std::vector<domain_event>& out);
  outcome set_forwarding(const std::string& device, protocol::forwarding_type type, bool on,
                         const std::string& destination, int ring_count,
                         std::vector<domain_event>& out);
  bool do_not_disturb(const std::string& device) const;
  /// Every device with DND on or a forwarding active, by number: what a restart must keep.
  std::vector<device_settings> settings() const;

  // Call centre (acd.cpp, hunt_groups.cpp; members and agents on other LIMs:
  // inter_lim_groups.cpp).
  /// password: as the client sent it; CSTA's is hexBinary, so "31323334" matches "1234".
  /// The device may be another LIM's (is_remote): agents belong to the LIM of their ACD group,
  /// which keeps their state and offers them calls over a leg to their device's LIM. So every
  /// agent request goes to the LIM that has the group (for log-on, the LIM of `group`; for the
  /// others, the LIM of the group(s) the agent is logged on to), wherever the device is.
  outcome set_agent_state(const std::string& device, agent_request request,
                          const std::string& agent_id, const std::string& group,
                          std::vector<domain_event>& out, const std::string& password = {});
  outcome get_agent_state(const std::string& device) const;
  const agent* agent_at(const std::string& device) const;
  std::size_t queue_length(const std::string& group) const;
  /// Every agent this LIM knows (logged on or off), by device.
  const std::unordered_map<std::string, agent>& agents() const { return agents_; }

  // Snapshots.
  outcome snapshot_device(const std::string& device) const;
  outcome snapshot_call(call_id id) const;
  std::vector<forward_setting> forwarding(const std::string& device) const;

  /// Runs the timers that are due at the clock's current time (ring timeouts, no-answer
  /// forwarding).
  void tick(std::vector<domain_event>& out);
  /// When tick next has something to do, if ever.
  std::optional<time_point> next_timer() const;

  const call* find_call(call_id id) const;
  std::size_t call_count() const { return calls_.size(); }
  /// The calls a device is on.
  std::vector<call_id> calls_of(const std::string& device) const;

private:
  struct device_features {
    bool dnd = false;
    bool message_waiting = false;
    std::array<forward_setting, protocol::forwarding_type_count> forwards{};
    std::vector<call_id> calls;
  };

  // Core (exchange.cpp).
  call& new_call(const std::string& calling, const std::string& called);
  void set_state(party& p, protocol::connection_state s);
  party& add_party(call& c, const std::string& device, protocol::connection_state s, bool external);
  void remove_party(call& c, const std::string& device);
  void end_call_if_empty(call_id id);
  /// Appends the event of a change on call c, built in place (events are big: no copy of one on
  /// the hot path); the reference is for the fields only its kind has, until the next event.
  domain_event& add_event(std::vector<domain_event>& out, domain_event_kind kind, const call& c,
                          const std::string& subject, protocol::event_cause cause) const;
  void release(call& c, std::string device, protocol::event_cause cause,
               std::vector<domain_event>& out);
  void release_with_rule(call& c, const std::string& device, protocol::event_cause cause,
                         std::vector<domain_event>& out);
  std::optional<protocol::csta_error> find_party(call_id id, const std::string& device, call*& c,
                                                 party*& p);
  /// The same, and the connection must be in the required state (invalidConnectionState).
  std::optional<protocol::csta_error> find_party(call_id id, const std::string& device, call*& c,
                                                 party*& p, protocol::connection_state required);
  /// The connection of an outside number to a call.
  std::optional<protocol::csta_error> find_external(call_id id, const std::string& number,
                                                    call*& c, party*& p);
  /// The device's connections to its held and its active call, checked for held/active
  /// requests (transfer, conference, alternate, reconnect).
  std::optional<protocol::csta_error> find_held_active(call_id held, call_id active,
                                                       const std::string& device, call*& ch,
                                                       party*& ph, call*& ca, party*& pa,
                                                       bool active_connected);
  bool is_busy(const std::string& device) const;
  /// A party counts towards keeping a call going (release_with_rule): silent ones do not.
  static bool keeps_call(const party& p) { return !p.silent; }
  bool is_internal(const std::string& number) const { return plan_.find(number) != nullptr; }
  bool is_outside_number(const std::string& number) const;
  /// A number a call can be sent to: ours, outside, or another LIM's.
  bool is_reachable(const std::string& number) const {
    return is_internal(number) || is_outside_number(number) || is_remote(number);
  }
  /// Callers on any LIM of the system are internal callers (for the Int/Ext forwardings).
  bool internal_caller(const call& c) const {
    return is_internal(c.calling) || is_remote(c.calling);
  }
  void originate(call& c, const std::string& device, protocol::event_cause initiated_cause,
                 std::vector<domain_event>& out);

  // Routing an arriving call to its destination (routing.cpp).
  void deliver(call& c, std::string destination, protocol::event_cause cause,
               std::vector<domain_event>& out);
  void fail(call& c, const std::string& failing, protocol::event_cause cause,
            std::vector<domain_event>& out);
  const forward_setting* forward_for(const std::string& device, bool internal_caller,
                                     protocol::forwarding_type general,
                                     protocol::forwarding_type internal,
                                     protocol::forwarding_type external) const;
  void divert(call& c, const std::string& from, const std::string& to, protocol::event_cause cause,
              std::vector<domain_event>& out);
  void arm_ring_timer(call_id id, const std::string& device);
  void ring_timeout(call_id id, const std::string& device, std::vector<domain_event>& out);
  void group_ring_timeout(call& c, const std::string& device, duration alerting_for,
                          std::vector<domain_event>& out);

  // Calls between LIMs (inter_lim.cpp).
  void queue_signal(inter_lim_signal s) { outbox_.push_back(std::move(s)); }
  inter_lim_signal signal_to(const party& r, inter_lim_signal::kind what, const call& c,
                             const std::string& from, protocol::event_cause cause) const;
  /// Tells the far LIM(s) of a call that a party changed: alerting, answered, held, retrieved
  /// (each only when it changes what the far side knows of us; to a far LIM that shows the
  /// party since a conference, always). The party may be a remote one this exchange relays
  /// between far LIMs; its own LIM is not told.
  void tell_far(call& c, inter_lim_signal::kind what, const std::string& device,
                protocol::event_cause cause);
  /// Our number that stands for the call towards other LIMs when we relay a third LIM's party.
  std::string our_number(const call& c) const;
  /// A far LIM's own party on the call (not one it relays): the first one.
  party* remote_party(call& c);
  /// The remote party a signal is about: the one named by its sender, or the call's only one.
  party* remote_party_for(call& c, const std::string& from);
  bool has_local_party(const call& c) const;
  /// Sends the call to another LIM's number.
  void deliver_remote(call& c, const std::string& destination, protocol::event_cause cause,
                      std::vector<domain_event>& out);
  /// Drops a remote party without an event or a signal (the far side knows already).
  void forget_remote(call& c, party& r);
  outcome receive_setup(const inter_lim_signal& s, std::vector<domain_event>& out);
  /// A far LIM's party left (released): it goes with the parties that LIM relayed to us.
  void release_far_side(call& c, party& r, const inter_lim_signal& s,
                        std::vector<domain_event>& out);

  // Conferences across LIMs (inter_lim_conference.cpp).
  /// The call is part of a conference across LIMs (we relay it, or another LIM relays it to
  /// us): transfers out of it are not supported.
  static bool in_far_conference(const call& c);
  /// Another LIM relays a conference to us on this call (it has parties behind that LIM).
  static bool shows_far_conference(const call& c);
  /// After a conference here: each far LIM on the result learns it, and whom to show.
  void tell_conferenced(call& c, call_id secondary, const std::string& device,
                        const std::string& added, const std::vector<connection_move>& moves);
  outcome receive_conferenced(call& c, party& r, const inter_lim_signal& s,
                              std::vector<domain_event>& out);
  /// A party of ours left a call: far LIMs that show it since a conference are told.
  void tell_shown_released(call& c, const std::string& device, protocol::event_cause cause);
  /// Our last party left a conference we relayed between two far LIMs: they are pointed at each
  /// other and this exchange keeps nothing of the call. False when that is not the case.
  bool hand_off_conference(call& c, protocol::event_cause cause);
  /// Nobody of ours is left on a conference another LIM relays to us: that LIM is told and the
  /// call is dropped here without events for the parties that stay on it elsewhere.
  bool leave_far_conference(call& c, protocol::event_cause cause);

  // Group members and agents on other LIMs (inter_lim_groups.cpp).
  /// Offers the call to a group's member (or agent) on another LIM: a leg to that LIM, which
  /// this exchange times and relays as the group's.
  void offer_far_member(call& c, const std::string& member, protocol::event_cause cause);
  /// A member's LIM could not offer it the call: the group moves on.
  void far_member_failed(call& c, party& r, std::vector<domain_event>& out);
  /// A group's offer still waiting for an answer (alerting, or a far leg not alerting yet).
  static bool offered(const party& p);
  /// The far group's LIM whose legs our parties are, if any.
  party* group_legs_of(call& c);
  /// Another member of a far group's call rings here: a leg of its own in the same call.
  outcome receive_another_leg(call& c, const inter_lim_signal& s, std::vector<domain_event>& out);
  /// A leg of a far group's call leaves while others stay: the group's LIM is told.
  void tell_leg_released(call& c, const std::string& device, protocol::event_cause cause);
  /// The far group releases one of its legs here (device) while others stay, unsignalled
  /// back; false when device is not one of several legs.
  bool withdraw_leg(call& c, std::string device, protocol::event_cause cause,
                    std::vector<domain_event>& out);
  /// Once one leg here has answered and the others are gone, the call is an ordinary one.
  void settle_legs(call& c);
  // Transfers between LIMs (inter_lim_transfer.cpp).
  outcome receive_transferred(call& c, party& r, const inter_lim_signal& s,
                              std::vector<domain_event>& out);
  /// The far LIM's device transferred two of our calls to each other: they become one.
  outcome join_our_calls(call& c, const inter_lim_signal& s, std::vector<domain_event>& out);
  /// A call keeps its parties under a new id (the far LIM's transfer chose it).
  void rename_call(call_id from, call_id to);
  /// Tells the far side of a call that device transferred it: other is its party now.
  void tell_transferred(call& c, party& r, call_id old_call, const std::string& device,
                        const std::string& other, protocol::connection_state other_state,
                        protocol::event_cause cause);
  /// After a transfer here (moves: where each party came from): the far side of the result
  /// learns who its party is now; with two other LIMs' parties left, they are joined over this
  /// exchange's head and it keeps nothing of the call.
  void tell_transfer_result(call& result, const std::vector<connection_move>& moves,
                            const std::string& device);

  // ACD groups (acd.cpp).
  void acd_offer(call& c, const std::string& group, protocol::event_cause cause,
                 std::vector<domain_event>& out);
  void distribute(const std::string& group, std::vector<domain_event>& out);
  agent* longest_idle_ready(const std::string& group);
  void agent_event(domain_event_kind kind, const agent& a, const std::string& group,
                   std::vector<domain_event>& out, std::string pending = {});
  void set_agent(agent& a, agent_state s, std::vector<domain_event>& out);
  /// Every change of an agent's state goes through here, to keep ready_ right.
  void change_state(agent& a, agent_state s);
  void agent_left_call(const std::string& device, bool talked, std::vector<domain_event>& out);
  void after_call_work_over(const std::string& device, std::uint64_t stamp,
                            std::vector<domain_event>& out);
  void leave_queue(const std::string& group, call_id id);
  void requeue(call& c, const std::string& group, std::vector<domain_event>& out);

  // Routeing by an application (application_routeing.cpp).
  struct route_registration {
    std::string group;
    std::string owner;
  };
  struct route_dialogue {
    std::string registration;
    call_id call = 0;
    std::string group;
    protocol::event_cause cause = protocol::event_cause::newCall;  // how the call came
  };
  /// A call arrives at a group routed by a registered application: it waits there while the
  /// application is asked. False when the group queues it itself.
  bool ask_application(call& c, const std::string& group, protocol::event_cause cause);
  /// The dialogue is over without a route (timeout, abandoned, cancelled): the group queues the
  /// call as if nobody had been asked.
  void queue_unrouted(const route_dialogue& d, std::vector<domain_event>& out);
  void route_timeout(const std::string& cross_ref, std::vector<domain_event>& out);
  /// The call left the group while the application was asked (the caller hung up): the
  /// dialogue ends, and the application is told.
  void routed_call_gone(call_id id);
  /// The dialogue, when owner holds its registration; refuses (with the error) otherwise.
  route_dialogue* owned_dialogue(const std::string& cross_ref, const std::string& owner,
                                 const std::string& registration, protocol::csta_error& error);

  // Hunt groups (hunt_groups.cpp).
  void hunt_offer(call& c, const std::string& group, protocol::event_cause cause,
                  std::vector<domain_event>& out);
  bool hunt_next(call& c, std::vector<domain_event>& out);
  void cascade_step(call_id id, std::vector<domain_event>& out);
  bool available(const call& c, const std::string& member) const;
  void alert_member(call& c, const std::string& member, protocol::event_cause cause,
                    std::vector<domain_event>& out);
  void hunt_answered(call& c, const std::string& device, std::vector<domain_event>& out);

  number_plan plan_;
  const clock& clock_;
  exchange_timing timing_;
  call_id next_call_id_;
  std::unordered_map<call_id, call> calls_;
  std::unordered_map<std::string, device_features> features_;
  std::unordered_map<std::string, agent> agents_;                  // by device
  // Ready agents of each ACD group, longest idle first: distribution must not scan every agent.
  std::unordered_map<std::string, std::set<std::pair<time_point, std::string>>> ready_;
  std::unordered_map<std::string, std::deque<call_id>> queues_;    // by ACD group
  std::unordered_map<std::string, std::size_t> hunt_position_;     // circular: last member used
  // Due time -> what to do then; each is checked against the current state when it fires.
  timer_queue<timer> timers_;
  std::function<bool(const std::string&)> is_remote_;
  std::vector<inter_lim_signal> outbox_;  // for other LIMs, until take_signals
  bool routeing_enabled_ = false;
  std::uint64_t next_route_id_;  // registrations and dialogues, in this LIM's id block
  std::unordered_map<std::string, route_registration> route_registrations_;  // by id
  std::unordered_map<std::string, std::string> registration_of_group_;
  std::unordered_map<std::string, route_dialogue> route_dialogues_;  // by routingCrossRefID
  std::vector<route_message> route_outbox_;  // for the registered sessions, until take_route_messages
};

}  // namespace cstad::sim
