// One client session without I/O: requests in, effects out. What the client reads is in the
// reply and notify effects; what the exchange is asked is in the others.

#include <doctest/doctest.h>

#include "test/support/string_lists.hpp"

#include <map>
#include <sstream>
#include <variant>

#include "protocol/namespaces.hpp"
#include "protocol/xml_parser.hpp"
#include "service/routeing.hpp"
#include "service/service_table.hpp"
#include "common/client_peer.hpp"
#include "service/session_core.hpp"
#include "sim/system_ids.hpp"

using namespace cstad;
using namespace cstad::service;
using namespace std::chrono_literals;
using transport::correlation;

namespace {

const std::string ed3{protocol::ns_ed3};
const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
const sim::time_point t0{};
const auto first_id = std::to_string(sim::first_id_of(1));  // the first id of LIM 1's block

std::string doc(const std::string& root, const std::string& body = {}, const std::string& ns = ed3) {
  return "<" + root + " xmlns=\"" + ns + "\">" + body + "</" + root + ">";
}

// The effects in a compact text form, one line each.
std::vector<std::string> describe(std::vector<effect_type> effects) {
  std::vector<std::string> out;
  for (auto& e : effects) {
    std::ostringstream s;
    if (auto r = std::get_if<effect::reply>(&e))
      s << "reply " << r->to.token << ' ' << r->xml;
    else if (auto n = std::get_if<effect::notify>(&e)) {
      for (std::size_t i = 0; i + 1 < n->messages.size(); ++i)
        out.push_back("notify " + n->messages.text(i));  // each its own line
      s << "notify " << n->messages.text(n->messages.size() - 1);
    }
    else if (auto c = std::get_if<effect::close>(&e))
      s << "close " << c->reason;
    else if (auto op = std::get_if<effect::run_operation>(&e))
      s << "run #" << op->id << " on LIM " << op->lim << ": " << static_cast<int>(op->op.kind) << ' '
        << op->op.device << ' ' << op->op.other << ' ' << op->op.call;
    else if (auto m = std::get_if<effect::start_monitor>(&e))
      s << "start #" << m->id << " on LIM " << m->lim << ": "
        << (m->target.is_call() ? "call " + std::to_string(m->target.call) : "device " + m->target.device)
        << " as " << m->cross_ref << " suppressing " << m->suppressed.size();
    else if (auto st = std::get_if<effect::stop_monitor>(&e))
      s << "stop " << st->cross_ref << " on LIM " << st->lim << (st->call ? " (call)" : " (device)");
    else if (auto f = std::get_if<effect::change_filter>(&e))
      s << "filter " << f->cross_ref << (f->call ? " (call)" : " (device)") << " suppressing "
        << f->suppressed.size();
    else if (auto w = std::get_if<effect::wake>(&e))
      s << "wake at " << std::chrono::duration_cast<std::chrono::seconds>(w->at - t0).count() << " s";
    else if (auto a = std::get_if<effect::authenticate>(&e))
      s << "authenticate #" << a->id << ": " << (a->offered.offered ? a->offered.user + "/" + a->offered.password : "-")
        << " for '" << a->offered.application << "' from " << a->offered.address
        << (a->offered.mandatory ? " (mandatory)" : "");
    else if (auto ad = std::get_if<effect::adopt>(&e))
      s << "adopt #" << ad->id << ": " << ad->session_id << " for '" << ad->user << "'";
    else if (auto an = std::get_if<effect::announce>(&e))
      s << "announce " << an->session_id;
    else if (auto tr = std::get_if<effect::trace>(&e))
      s << "trace under " << tr->selection
        << (tr->request ? " from request " + std::to_string(tr->request->token) + ": " + tr->xml : std::string{});
    out.push_back(s.str());
  }
  return out;
}

using lines = std::vector<std::string>;

// A device's DoNotDisturbEvent as its LIM shares it with every session watching the device.
std::shared_ptr<const event_payload> dnd_payload(const std::string& device) {
  protocol::csta_event e;
  e.type = protocol::event_type::do_not_disturb;
  e.subject = device;
  e.flag = true;
  return std::make_shared<const event_payload>(e);
}

// A call's CallClearedEvent as its LIM shares it with the call's monitors.
std::shared_ptr<const event_payload> cleared_payload(const std::string& call) {
  protocol::csta_event e;
  e.type = protocol::event_type::call_cleared;
  e.connection = {call, {}};
  e.cause = protocol::event_cause::normalClearing;
  return std::make_shared<const event_payload>(e);
}

struct core_fixture {
  session_policy policy;
  session_core core{make_context(), "test"};

  session_context make_context() {
    return {std::make_shared<const directory>(directory::from_plan(sim::number_plan::demo(), 1)),
            std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy),
            std::make_shared<id_source>(1), nullptr};
  }

  lines request(std::uint64_t invoke, const std::string& xml, sim::time_point now = t0) {
    core.on_request(correlation{invoke}, xml, now);
    return describe(core.take_effects());
  }
  lines take() { return describe(core.take_effects()); }

  // Starts a monitor of the object (the inside of monitorObject) and returns how it was
  // started: its cross-reference, and its number, which its LIM hands back with its events.
  effect::start_monitor started(const std::string& object) {
    core.take_effects();
    core.on_request(correlation{90}, doc("MonitorStart", "<monitorObject>" + object + "</monitorObject>"), t0);
    auto effects = core.take_effects();
    REQUIRE(effects.size() == 1);
    auto start = std::get<effect::start_monitor>(effects[0]);
    core.on_monitor_started(start.id, true);
    core.take_effects();
    return start;
  }
  // Starts a device monitor on number and returns its cross-reference.
  std::string monitor(const std::string& number) {
    return started("<deviceObject>" + number + "</deviceObject>").cross_ref;
  }
};

}  // namespace

TEST_CASE_FIXTURE(core_fixture, "MakeCall runs on the calling device's LIM, the outcome is the response") {
  CHECK(request(7, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>")) ==
        lines{"run #1 on LIM 1: 0 1000 1001 0"});
  core.on_outcome(1, sim::outcome::done(sim::first_id_of(1), "1000"));
  CHECK(take() == lines{"reply 7 " + decl + "<MakeCallResponse xmlns=\"" + ed3 +
                        "\"><callingDevice><callID>" + first_id +
                        "</callID><deviceID>1000</deviceID></callingDevice></MakeCallResponse>"});
  // A refusal of the exchange is the answer too, in the request's namespace.
  request(8, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1000</calledDirectoryNumber>",
                 std::string{protocol::ns_ed5}));
  core.on_outcome(2, sim::outcome::refuse(protocol::errors::state("invalidDeviceState")));
  CHECK(take() == lines{"reply 8 " + decl + "<CSTAErrorCode xmlns=\"" + std::string{protocol::ns_ed5} +
                        "\"><stateIncompatibility>invalidDeviceState</stateIncompatibility></CSTAErrorCode>"});
  // An outcome nobody waits for (answered already) changes nothing.
  core.on_outcome(2, sim::outcome::done(5));
  CHECK(take().empty());
}

TEST_CASE_FIXTURE(core_fixture, "requests that name no device go to the LIM of the call, foreign call ids are refused at once") {
  CHECK(request(3, doc("ClearCall", "<callToBeCleared><callID>" + std::to_string(sim::first_id_of(1) + 41) +
                                        "</callID></callToBeCleared>")) ==
        lines{"run #1 on LIM 1: 3   " + std::to_string(sim::first_id_of(1) + 41)});
  CHECK(request(4, doc("ClearCall", "<callToBeCleared><callID>42</callID></callToBeCleared>")) ==
        lines{"reply 4 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidCallID</operation></CSTAErrorCode>"});
  CHECK(request(5, doc("SnapshotCall", "<snapshotObject><callID>" + std::to_string(sim::first_id_of(9)) +
                                           "</callID></snapshotObject>")) ==
        lines{"reply 5 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidCallID</operation></CSTAErrorCode>"});
  CHECK(request(6, doc("MonitorStart", "<monitorObject><deviceObject>999</deviceObject></monitorObject>")) ==
        lines{"reply 6 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidDeviceID</operation></CSTAErrorCode>"});
}

TEST_CASE_FIXTURE(core_fixture, "device monitors: started on the device's LIM, events to open monitors only, stopped by cross-reference") {
  CHECK(request(1, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>"
                                       "<requestedMonitorFilter><callcontrol><held>true</held></callcontrol></requestedMonitorFilter>")) ==
        lines{"start #1 on LIM 1: device 1000 as " + first_id + " suppressing 1"});
  CHECK(take().empty());  // no answer before the device has the monitor
  core.on_monitor_started(1, true);
  // The client sent a filter, so the response says which one is in force.
  CHECK(take() == lines{"reply 1 " + decl + "<MonitorStartResponse xmlns=\"" + ed3 + "\"><monitorCrossRefID>" +
                        first_id + "</monitorCrossRefID><actualMonitorFilter><callcontrol><held>true</held>"
                        "</callcontrol></actualMonitorFilter></MonitorStartResponse>"});
  protocol::csta_event e;
  e.type = protocol::event_type::do_not_disturb;
  e.subject = "1000";
  e.flag = true;
  core.on_event(e, {first_id, "123"});  // "123" is no monitor of this session
  CHECK(take() == lines{"notify " + decl + "<DoNotDisturbEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + first_id +
                        "</monitorCrossRefID><device><deviceIdentifier>1000</deviceIdentifier></device>"
                        "<doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>"});
  CHECK(request(2, doc("MonitorStop", "<monitorCrossRefID>" + first_id + "</monitorCrossRefID>")) ==
        lines{"stop " + first_id + " on LIM 1 (device)",
              "reply 2 " + decl + "<MonitorStopResponse xmlns=\"" + ed3 + "\"/>"});
  core.on_event(e, {first_id});
  CHECK(take().empty());  // stopped: a late event is dropped
  CHECK(request(3, doc("MonitorStop", "<monitorCrossRefID>" + first_id + "</monitorCrossRefID>")) ==
        lines{"reply 3 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><operation>invalidMonitorCrossRefID</operation></CSTAErrorCode>"});
  CHECK(core.stats().events == 1);
}

TEST_CASE_FIXTURE(core_fixture, "a batch of events reaches each monitor in order, also after a call monitor ended") {
  std::vector<std::string> refs;
  for (auto number : {"1000", "1001", "1002", "1003", "1004", "1005"})
    refs.push_back(monitor(number));
  auto call = std::to_string(sim::first_id_of(1) + 40);
  request(1, doc("MonitorStart", "<monitorObject><callObject><callID>" + call +
                                     "</callID><deviceID>1000</deviceID></callObject></monitorObject>"));
  core.on_monitor_started(7, true);
  take();
  auto call_ref = std::to_string(sim::first_id_of(1) + 6);
  auto ended = cleared_payload(call);
  // Six device monitors, one twice in a row and again at the end, and a call monitor that ends
  // in the middle: its second event finds no monitor any more.
  event_batch batch;
  for (auto k : {0, 0, 1, 2, 3, 4, 5})
    batch.deliveries.push_back({dnd_payload("100" + std::to_string(k)), refs[k]});
  batch.deliveries.push_back({ended, call_ref});
  batch.deliveries.push_back({ended, call_ref});
  batch.deliveries.push_back({dnd_payload("1000"), refs[0]});
  batch.deliveries.push_back({dnd_payload("1009"), "123"});  // no monitor of this session
  core.on_events(std::move(batch));
  auto dnd_line = [&](int k) {
    return "notify " + decl + "<DoNotDisturbEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + refs[k] +
           "</monitorCrossRefID><device><deviceIdentifier>100" + std::to_string(k) +
           "</deviceIdentifier></device><doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>";
  };
  auto got = take();
  REQUIRE(got.size() == 9);
  CHECK(got[0] == dnd_line(0));
  CHECK(got[1] == dnd_line(0));
  for (int k = 1; k <= 5; ++k)
    CHECK(got[static_cast<std::size_t>(k) + 1] == dnd_line(k));
  CHECK(got[7].find("<CallClearedEvent") != std::string::npos);
  CHECK(got[7].find("<monitorCrossRefID>" + call_ref + "</monitorCrossRefID>") != std::string::npos);
  CHECK(got[8] == dnd_line(0));
  CHECK(core.stats().events == 9);
  CHECK(core.stats().monitors == 6);
}

TEST_CASE_FIXTURE(core_fixture, "the usual event is the LIM's payload around the monitor's id: the payload is shared, not copied") {
  auto start = started("<deviceObject>1000</deviceObject>");
  auto payload = dnd_payload("1000");
  std::weak_ptr<const event_payload> watch = payload;
  event_batch batch;
  batch.deliveries.push_back({std::move(payload), start.cross_ref, start.slot});
  core.on_events(std::move(batch));
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 1);
  auto& sent = std::get<effect::notify>(effects[0]).messages;
  REQUIRE(sent.size() == 1);
  // Only the cross-reference is the session's own; the rest points into the payload, which the
  // batch keeps alive for the carrier.
  REQUIRE(!watch.expired());
  auto encoded = watch.lock()->template_in(ed3);
  REQUIRE(encoded != nullptr);
  CHECK(sent[0].before.data() == encoded->text.data());
  CHECK(sent[0].own == start.cross_ref);
  CHECK(sent.text(0) == decl + "<DoNotDisturbEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + start.cross_ref +
                            "</monitorCrossRefID><device><deviceIdentifier>1000</deviceIdentifier></device>"
                            "<doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>");
  effects.clear();
  CHECK(watch.expired());
}

TEST_CASE_FIXTURE(core_fixture, "the number a monitor's LIM hands back finds it, and a wrong or stale number cannot misdirect an event") {
  // The numbers each monitor was started with, as its LIM would hand them back.
  auto device = [&](const std::string& number) {
    auto start = started("<deviceObject>" + number + "</deviceObject>");
    return std::make_pair(start.cross_ref, start.slot);
  };
  auto [ref_a, slot_a] = device("1000");
  auto [ref_b, slot_b] = device("1001");
  CHECK(slot_a != slot_b);
  auto line = [&](const std::string& ref, const std::string& device) {
    return "notify " + decl + "<DoNotDisturbEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + ref +
           "</monitorCrossRefID><device><deviceIdentifier>" + device +
           "</deviceIdentifier></device><doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>";
  };
  event_batch batch;
  batch.deliveries.push_back({dnd_payload("1000"), ref_a, slot_a});           // its own number
  batch.deliveries.push_back({dnd_payload("1001"), ref_b, slot_a});           // the other monitor's number
  batch.deliveries.push_back({dnd_payload("1000"), ref_a});                   // none (moved from another session)
  batch.deliveries.push_back({dnd_payload("1001"), ref_b, slot_b + 100});     // a number never given
  batch.deliveries.push_back({dnd_payload("1009"), "123", slot_b});           // no monitor of this session
  core.on_events(std::move(batch));
  CHECK(take() == lines{line(ref_a, "1000"), line(ref_b, "1001"), line(ref_a, "1000"), line(ref_b, "1001")});
  // A's number goes to a new monitor once A stops: an event still on its way for A is dropped,
  // and the new monitor's events find it.
  request(2, doc("MonitorStop", "<monitorCrossRefID>" + ref_a + "</monitorCrossRefID>"));
  auto [ref_c, slot_c] = device("1002");
  CHECK(slot_c == slot_a);
  event_batch late;
  late.deliveries.push_back({dnd_payload("1000"), ref_a, slot_a});
  late.deliveries.push_back({dnd_payload("1002"), ref_c, slot_c});
  core.on_events(std::move(late));
  CHECK(take() == lines{line(ref_c, "1002")});
  // A call monitor's CallClearedEvent, by its number, ends the monitor: a second finds none.
  auto call = std::to_string(sim::first_id_of(1) + 40);
  auto start = started("<callObject><callID>" + call + "</callID><deviceID>1000</deviceID></callObject>");
  auto ended = cleared_payload(call);
  event_batch end;
  end.deliveries.push_back({ended, start.cross_ref, start.slot});
  end.deliveries.push_back({ended, start.cross_ref, start.slot});
  core.on_events(std::move(end));
  auto got = take();
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("<CallClearedEvent") != std::string::npos);
  CHECK(got[0].find("<monitorCrossRefID>" + start.cross_ref + "</monitorCrossRefID>") != std::string::npos);
  CHECK(core.find_monitor(start.cross_ref) == nullptr);
  CHECK(core.stats().events == 6);
  CHECK(core.stats().monitors == 2);
}

TEST_CASE_FIXTURE(core_fixture, "a call monitor's filter can be changed, and it ends with its call") {
  auto call = std::to_string(sim::first_id_of(1) + 6);
  CHECK(request(1, doc("MonitorStart", "<monitorObject><callObject><callID>" + call +
                                           "</callID><deviceID>1000</deviceID></callObject></monitorObject>")) ==
        lines{"start #1 on LIM 1: call " + call + " as " + first_id + " suppressing 0"});
  core.on_monitor_started(1, true);
  take();
  CHECK(request(2, doc("ChangeMonitorFilter", "<monitorCrossRefID>" + first_id +
                                                  "</monitorCrossRefID><requestedFilterList><callcontrol>"
                                                  "<established>true</established><held>true</held>"
                                                  "</callcontrol></requestedFilterList>")) ==
        lines{"filter " + first_id + " (call) suppressing 2",
              "reply 2 " + decl + "<ChangeMonitorFilterResponse xmlns=\"" + ed3 + "\"/>"});
  protocol::csta_event cleared;
  cleared.type = protocol::event_type::call_cleared;
  cleared.connection = {call, {}};
  cleared.cause = protocol::event_cause::normalClearing;
  core.on_event(cleared, {first_id});
  CHECK(take().size() == 1);
  // The call is over, and so is its monitor.
  CHECK(request(3, doc("MonitorStop", "<monitorCrossRefID>" + first_id + "</monitorCrossRefID>")).at(0).find(
            "invalidMonitorCrossRefID") != std::string::npos);
  // A call that no longer exists when its LIM is asked.
  request(4, doc("MonitorStart", "<monitorObject><callObject><callID>" + call +
                                     "</callID><deviceID>1000</deviceID></callObject></monitorObject>"));
  core.on_monitor_started(2, false);
  CHECK(take() == lines{"reply 4 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                        "\"><operation>invalidCallID</operation></CSTAErrorCode>"});
}

TEST_CASE_FIXTURE(core_fixture, "a ConnectionID with a deviceID alone: the device's LIM is asked for its calls, the only one is used") {
  // snapshot_device (kind 19) first, then the operation on the call it found.
  auto clear = doc("ClearConnection", "<connectionToBeCleared><deviceID>1000</deviceID></connectionToBeCleared>");
  CHECK(request(1, clear) == lines{"run #1 on LIM 1: 19 1000  0"});
  auto one = sim::outcome::done(0, "1000");
  one.connections = {{sim::first_id_of(1) + 3, "1000", protocol::connection_state::connected}};
  core.on_outcome(1, one);
  CHECK(take() == lines{"run #2 on LIM 1: 2 1000  " + std::to_string(sim::first_id_of(1) + 3)});
  core.on_outcome(2, sim::outcome::done(sim::first_id_of(1) + 3));
  CHECK(take() == lines{"reply 1 " + decl + "<ClearConnectionResponse xmlns=\"" + ed3 + "\"/>"});
  // No call, or several: invalidConnectionID, and nothing runs.
  auto invalid = "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidConnectionID</operation></CSTAErrorCode>";
  request(2, doc("HoldCall", "<callToBeHeld><deviceID>1000</deviceID></callToBeHeld>"));
  core.on_outcome(3, sim::outcome::done(0, "1000"));
  CHECK(take() == lines{"reply 2 " + decl + invalid});
  request(3, doc("AnswerCall", "<callToBeAnswered><deviceID>1000</deviceID></callToBeAnswered>"));
  auto two = one;
  two.connections.push_back({sim::first_id_of(1) + 4, "1000", protocol::connection_state::alerting});
  core.on_outcome(4, two);
  CHECK(take() == lines{"reply 3 " + decl + invalid});
  // A device the plan does not know is refused before anything is asked.
  CHECK(request(4, doc("AnswerCall", "<callToBeAnswered><deviceID>4711</deviceID></callToBeAnswered>")) ==
        lines{"reply 4 " + decl + invalid});
}

TEST_CASE_FIXTURE(core_fixture, "ECMA-354: the deadline moves with each keep-alive, and expiry ends the session") {
  policy.min_duration = 10;
  auto ref = monitor("1000");
  auto start = request(1,
                       "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                           "\"><applicationInfo><applicationID>t</applicationID></applicationInfo>"
                           "<requestedSessionDuration>60</requestedSessionDuration></StartApplicationSession>",
                       t0);
  CHECK(start == lines{"authenticate #2: - for 't' from test"});  // #1 started the monitor
  core.on_authenticated(2, verdict{true, {}, 0, {}, {}}, t0);
  start = take();
  REQUIRE(start.size() == 3);
  CHECK(start[0].find("StartApplicationSessionPosResponse") != std::string::npos);
  auto id = core.app().id();
  CHECK(start[1] == "announce " + id);  // a later connection may take it over by this id
  CHECK(start[2] == "wake at 60 s");
  core.on_wake(t0 + 30s);
  CHECK(take().empty());
  auto reset = request(2,
                       "<ResetApplicationSessionTimer xmlns=\"" + std::string{protocol::ns_appl_session} +
                           "\"><sessionID>" + id + "</sessionID><requestedSessionDuration>60</requestedSessionDuration>"
                           "</ResetApplicationSessionTimer>",
                       t0 + 50s);
  CHECK(reset == lines{"reply 2 " + decl + "<ResetApplicationSessionTimerPosResponse xmlns=\"" +
                       std::string{protocol::ns_appl_session} +
                       "\"><actualSessionDuration>60</actualSessionDuration></ResetApplicationSessionTimerPosResponse>",
                       "wake at 110 s"});
  core.on_wake(t0 + 60s);  // the first deadline: moved, nothing happens
  CHECK(take().empty());
  core.on_wake(t0 + 110s);
  CHECK(take() == lines{"notify " + decl + "<ApplicationSessionTerminated xmlns=\"" +
                            std::string{protocol::ns_appl_session} + "\"><sessionID>" + id +
                            "</sessionID><sessionTermReason><definedTermReason>sessionTimerExpired"
                            "</definedTermReason></sessionTermReason></ApplicationSessionTerminated>",
                        "stop " + ref + " on LIM 1 (device)", "close application session expired"});
}

TEST_CASE_FIXTURE(core_fixture, "with a session required, only ECMA-354 requests are served before one starts") {
  policy.required = true;
  CHECK(request(2, doc("RequestSystemStatus")) ==
        lines{"reply 2 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><security>generic</security></CSTAErrorCode>"});
  auto start = request(3, "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                              "\"><applicationInfo><applicationID>t</applicationID></applicationInfo></StartApplicationSession>");
  CHECK(start == lines{"authenticate #1: - for 't' from test (mandatory)"});
  core.on_authenticated(1, verdict{true, {}, 0, {}, {}}, t0);
  CHECK(take().at(0).find("StartApplicationSessionPosResponse") != std::string::npos);
  CHECK(request(4, doc("RequestSystemStatus")) ==
        lines{"reply 4 " + decl + "<RequestSystemStatusResponse xmlns=\"" + ed3 +
              "\"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>"});
}

TEST_CASE_FIXTURE(core_fixture, "a log-on the authenticator refuses gets invalidApplicationInfo, with the credentials asked about") {
  auto start = request(5, "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                              "\"><applicationInfo><applicationID>Dialer</applicationID><applicationSpecificInfo>"
                              "<SessionLoginInfo><userName>desk</userName><password>guess</password></SessionLoginInfo>"
                              "</applicationSpecificInfo></applicationInfo></StartApplicationSession>");
  CHECK(start == lines{"authenticate #1: desk/guess for 'Dialer' from test"});
  core.on_authenticated(1, verdict{false, {}, 0, "wrong password for user 'desk'", {}}, t0);
  CHECK(take() == lines{"reply 5 " + decl + "<StartApplicationSessionNegResponse xmlns=\"" +
                        std::string{protocol::ns_appl_session} +
                        "\"><errorCode><definedError>invalidApplicationInfo</definedError></errorCode>"
                        "</StartApplicationSessionNegResponse>"});
  CHECK_FALSE(core.app().active());
  CHECK(core.stats().session_refusals == 1);
  // An account's longest duration caps the session it starts.
  request(6, "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                 "\"><applicationInfo><applicationID>Dialer</applicationID></applicationInfo>"
                 "<requestedSessionDuration>3000</requestedSessionDuration></StartApplicationSession>");
  core.on_authenticated(2, verdict{true, "desk", 600, {}, {}}, t0);
  auto ok = take();
  CHECK(ok.at(0).find("<actualSessionDuration>600</actualSessionDuration>") != std::string::npos);
  CHECK(core.user() == "desk");
  CHECK(core.application() == "Dialer");
}

TEST_CASE_FIXTURE(core_fixture, "a removed server ends the session: ApplicationSessionTerminated, monitors released, closed") {
  auto ref = monitor("1000");
  request(1, "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                 "\"><applicationInfo><applicationID>t</applicationID></applicationInfo></StartApplicationSession>");
  core.on_authenticated(2, verdict{true, {}, 0, {}, {}}, t0);
  take();
  auto id = core.app().id();
  REQUIRE(!id.empty());
  core.on_server_removed("CSTA server removed");
  CHECK(take() == lines{"notify " + decl + "<ApplicationSessionTerminated xmlns=\"" +
                            std::string{protocol::ns_appl_session} + "\"><sessionID>" + id +
                            "</sessionID><sessionTermReason><serverTermReason>CSTA server removed"
                            "</serverTermReason></sessionTermReason></ApplicationSessionTerminated>",
                        "stop " + ref + " on LIM 1 (device)", "close CSTA server removed"});
}

TEST_CASE_FIXTURE(core_fixture, "what cannot be served is refused, and counted by service, category and value") {
  CHECK(request(1, doc("FooBar", "", std::string{protocol::ns_ed4})) ==
        lines{"reply 1 " + decl + "<CSTAErrorCode xmlns=\"" + std::string{protocol::ns_ed4} +
              "\"><operation>serviceNotSupported</operation></CSTAErrorCode>"});
  CHECK(request(2, "<MakeCall") ==
        lines{"reply 2 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><operation>invalidParameterValue</operation></CSTAErrorCode>"});
  CHECK(request(3, doc("Escape")) ==
        lines{"reply 3 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><privateData>cSTAPrivateDataInfoError</privateData></CSTAErrorCode>"});
  CHECK(request(4, "<StopApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} + "\"/>") ==
        lines{"reply 4 " + decl + "<StopApplicationSessionNegResponse xmlns=\"" +
              std::string{protocol::ns_appl_session} +
              "\"><errorCode><definedError>invalidSessionID</definedError></errorCode></StopApplicationSessionNegResponse>"});
  // The exchange did not answer in time.
  request(5, doc("GetDoNotDisturb", "<device>1000</device>"));
  core.on_failure(1, "request_timeout");
  CHECK(take() == lines{"reply 5 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                        "\"><systemResourceAvailibility>resourceOutOfService</systemResourceAvailibility></CSTAErrorCode>"});
  auto& s = core.stats();
  CHECK(s.requests == 5);
  CHECK(s.errors_of(protocol::error_category::operation) == 2);
  CHECK(s.errors_of(protocol::error_category::private_data) == 1);
  CHECK(s.errors_of(protocol::error_category::system_resource_availability) == 1);
  CHECK(s.session_refusals == 1);
  // The exchange's answer is counted under the request that waited for it; a root element the
  // table does not know is "other", never the client's own text.
  using c = protocol::error_category;
  CHECK(s.errors == std::map<error_kind, std::uint64_t>{{{"other", c::operation, "serviceNotSupported"}, 1},
                                                        {{"other", c::operation, "invalidParameterValue"}, 1},
                                                        {{"Escape", c::private_data, "cSTAPrivateDataInfoError"}, 1},
                                                        {{"GetDoNotDisturb", c::system_resource_availability,
                                                          "resourceOutOfService"}, 1}});
  auto requests_of = [&](std::string_view name) {
    auto place = place_of(*find_service(name));
    return place < s.requests_by_service.size() ? s.requests_by_service[place] : 0;
  };
  CHECK(requests_of("Escape") == 1);
  CHECK(requests_of("StopApplicationSession") == 1);
  CHECK(requests_of("GetDoNotDisturb") == 1);
  CHECK(requests_of("MakeCall") == 0);  // unreadable: among the rest
}

TEST_CASE_FIXTURE(core_fixture, "a broken envelope: answered when the request is known, then closed") {
  core.on_broken(correlation{12}, "frame header does not start with 00 00");
  CHECK(take() == lines{"reply 12 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>generic</operation></CSTAErrorCode>",
                        "close frame header does not start with 00 00"});
  core.on_broken(std::nullopt, "unreadable");
  CHECK(take() == lines{"close unreadable"});
}

TEST_CASE_FIXTURE(core_fixture, "a broken envelope after a request still being served: its answer first, then the close") {
  CHECK(request(7, doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>")) ==
        lines{"run #1 on LIM 1: 0 1000 1001 0"});
  core.on_broken(correlation{8}, "frame header does not start with 00 00");
  CHECK(take() == lines{"reply 8 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>generic</operation></CSTAErrorCode>"});
  core.on_outcome(1, sim::outcome::done(sim::first_id_of(1), "1000"));
  CHECK(take() == lines{"reply 7 " + decl + "<MakeCallResponse xmlns=\"" + ed3 +
                        "\"><callingDevice><callID>" + first_id +
                        "</callID><deviceID>1000</deviceID></callingDevice></MakeCallResponse>",
                        "close frame header does not start with 00 00"});
}

TEST_CASE_FIXTURE(core_fixture, "a client past its high-water mark gets SystemStatus overloadImminent, then overloadRelieved") {
  core.on_overload(true);
  core.on_overload(false);
  CHECK(take() == lines{"notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>overloadImminent</systemStatus></SystemStatus>",
                        "notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>overloadRelieved</systemStatus></SystemStatus>"});
}

TEST_CASE_FIXTURE(core_fixture, "the connection's end releases every monitor") {
  auto a = monitor("1000");
  auto b = monitor("6000");
  CHECK_FALSE(core.on_carrier_gone(t0));
  auto stops = take();
  std::sort(stops.begin(), stops.end());
  auto expected = lines{"stop " + a + " on LIM 1 (device)", "stop " + b + " on LIM 1 (device)"};
  std::sort(expected.begin(), expected.end());
  CHECK(stops == expected);
  CHECK(core.stats().monitors == 0);
}

namespace {

// Extensions 1000-1099 on LIM 1, 2000-2099 on LIM 2.
session_context two_lims(const session_policy& policy) {
  std::vector<number_range> ranges{{"1000", "1099", sim::device_kind::ip_extension, 1},
                                   {"2000", "2099", sim::device_kind::ip_extension, 2}};
  return {std::make_shared<const directory>(directory{ranges}),
          std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy), std::make_shared<id_source>(1),
          nullptr};
}

}  // namespace

TEST_CASE("a LIM that goes down and comes back: out of service, SystemStatus, monitors started again") {
  session_policy policy;
  session_core core{two_lims(policy), "test"};
  auto started = [&](std::uint64_t invoke, const std::string& body) {
    core.on_request(correlation{invoke}, doc("MonitorStart", body), t0);
    auto effects = core.take_effects();
    REQUIRE(effects.size() == 1);
    auto start = std::get<effect::start_monitor>(effects[0]);
    core.on_monitor_started(start.id, true);
    core.take_effects();
    return start;
  };
  auto on_2000 = started(1, "<monitorObject><deviceObject>2000</deviceObject></monitorObject>");
  auto on_1000 = started(2, "<monitorObject><deviceObject>1000</deviceObject></monitorObject>");
  auto quiet_2001 = started(3, "<monitorObject><deviceObject>2001</deviceObject></monitorObject><requestedMonitorFilter>"
                               "<maintenance><outOfService>true</outOfService><backInService>true</backInService>"
                               "</maintenance></requestedMonitorFilter>");
  CHECK(on_2000.lim == 2);
  CHECK(quiet_2001.suppressed.size() == 2);

  // LIM 1 is not this session's concern while none of its monitors is there: nothing at all.
  core.on_lim_state(3, false);
  CHECK(describe(core.take_effects()).empty());

  core.on_lim_state(2, false);
  CHECK(describe(core.take_effects()) ==
        lines{"notify " + decl + "<OutOfServiceEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + on_2000.cross_ref +
                  "</monitorCrossRefID><device><deviceIdentifier>2000</deviceIdentifier></device></OutOfServiceEvent>",
              "notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>partiallyDisabled</systemStatus></SystemStatus>"});
  core.on_lim_state(2, false);  // told twice: nothing more
  CHECK(describe(core.take_effects()).empty());
  // The client acknowledges the SystemStatus: no answer, no error.
  core.on_request(correlation{9999}, doc("SystemStatusResponse"), t0);
  CHECK(describe(core.take_effects()).empty());

  // Back: both monitors are started again with their cross-references and filters; LIM 3 is
  // still down, so the system is not normal yet.
  core.on_lim_state(2, true);
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 2);
  std::map<std::string, effect::start_monitor> again;
  for (auto& e : effects) {
    auto s = std::get<effect::start_monitor>(e);
    CHECK(s.lim == 2);
    again.emplace(s.target.device, s);
  }
  CHECK(again.at("2000").cross_ref == on_2000.cross_ref);
  CHECK(again.at("2001").suppressed == quiet_2001.suppressed);
  core.on_monitor_started(again.at("2000").id, true);
  CHECK(describe(core.take_effects()) ==
        lines{"notify " + decl + "<BackInServiceEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + on_2000.cross_ref +
              "</monitorCrossRefID><device><deviceIdentifier>2000</deviceIdentifier></device></BackInServiceEvent>"});
  // The client stopped the other one meanwhile: the monitor started again is released at once.
  core.on_request(correlation{4}, doc("MonitorStop", "<monitorCrossRefID>" + quiet_2001.cross_ref + "</monitorCrossRefID>"), t0);
  core.take_effects();
  core.on_monitor_started(again.at("2001").id, true);
  CHECK(describe(core.take_effects()) == lines{"stop " + quiet_2001.cross_ref + " on LIM 2 (device)"});
  CHECK(core.stats().monitors == 2);
  (void)on_1000;
}

TEST_CASE("with every LIM back, SystemStatus normal, and a call monitor on a lost LIM is stopped by the switch") {
  session_policy policy;
  session_core core{two_lims(policy), "test"};
  auto call = std::to_string(sim::first_id_of(2) + 7);
  core.on_request(correlation{1}, doc("MonitorStart", "<monitorObject><callObject><callID>" + call +
                                                          "</callID><deviceID>2000</deviceID></callObject></monitorObject>"), t0);
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 1);
  INFO(describe(effects).front());
  REQUIRE(std::holds_alternative<effect::start_monitor>(effects[0]));
  auto start = std::get<effect::start_monitor>(effects[0]);
  CHECK(start.lim == 2);
  core.on_monitor_started(start.id, true);
  core.take_effects();
  core.on_lim_state(2, false);
  CHECK(describe(core.take_effects()) ==
        lines{"notify " + decl + "<MonitorStop xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + start.cross_ref +
                  "</monitorCrossRefID></MonitorStop>",
              "notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>partiallyDisabled</systemStatus></SystemStatus>"});
  CHECK(core.stats().monitors == 0);
  core.on_lim_state(2, true);
  CHECK(describe(core.take_effects()) ==
        lines{"notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>normal</systemStatus></SystemStatus>"});
}

TEST_CASE_FIXTURE(core_fixture, "a monitor's events keep the namespace of its MonitorStart, whatever comes later") {
  const std::string ed5{protocol::ns_ed5};
  core.on_request(correlation{1}, doc("MonitorStart", "<monitorObject><deviceObject>1000</deviceObject></monitorObject>", ed5), t0);
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 1);
  auto start = std::get<effect::start_monitor>(effects[0]);
  core.on_monitor_started(start.id, true);
  CHECK(take() == lines{"reply 1 " + decl + "<MonitorStartResponse xmlns=\"" + ed5 + "\"><monitorCrossRefID>" +
                        start.cross_ref + "</monitorCrossRefID></MonitorStartResponse>"});
  // A later request in ed3 is answered in ed3 ...
  CHECK(request(2, doc("RequestSystemStatus")) ==
        lines{"reply 2 " + decl + "<RequestSystemStatusResponse xmlns=\"" + ed3 +
              "\"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>"});
  // ... and the monitor's events stay in ed5.
  protocol::csta_event e;
  e.type = protocol::event_type::do_not_disturb;
  e.cross_ref = start.cross_ref;
  e.subject = "1000";
  core.on_event(e);
  CHECK(take() == lines{"notify " + decl + "<DoNotDisturbEvent xmlns=\"" + ed5 + "\"><monitorCrossRefID>" +
                        start.cross_ref + "</monitorCrossRefID><device><deviceIdentifier>1000</deviceIdentifier>"
                        "</device><doNotDisturbOn>false</doNotDisturbOn></DoNotDisturbEvent>"});
}

TEST_CASE("a server that announces itself: SystemStatus normal as the client connects, nothing otherwise") {
  session_policy policy;
  session_core quiet{two_lims(policy), "test"};
  quiet.on_connected(t0);
  CHECK(describe(quiet.take_effects()).empty());
  policy.status_on_connect = true;
  session_core announcing{two_lims(policy), "test"};
  announcing.on_connected(t0);
  CHECK(describe(announcing.take_effects()) ==
        lines{"notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>normal</systemStatus></SystemStatus>"});
}

TEST_CASE_FIXTURE(core_fixture, "the invoke id reserved for events: only an answer to the server may carry it") {
  core.on_request(correlation{9999, true}, doc("SystemStatusResponse"), t0);
  CHECK(take().empty());
  core.on_request(correlation{9999, true}, doc("MakeCall", "<callingDevice>1000</callingDevice>"
                                                           "<calledDirectoryNumber>1001</calledDirectoryNumber>"), t0);
  CHECK(take() == lines{"reply 9999 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                        "\"><operation>invalidParameterValue</operation></CSTAErrorCode>"});
}

TEST_CASE("limits: requests waiting, monitors of a session, monitors of the whole server") {
  session_policy policy;
  policy.max_outstanding = 2;
  policy.max_monitors = 2;
  auto context = two_lims(policy);
  context.monitors = std::make_shared<monitor_budget>(3);
  session_core a{context, "a"};
  const std::string make = doc("MakeCall", "<callingDevice>1000</callingDevice><calledDirectoryNumber>1001</calledDirectoryNumber>");
  a.on_request(correlation{1}, make, t0);
  a.on_request(correlation{2}, make, t0);
  a.take_effects();
  a.on_request(correlation{3}, make, t0);
  CHECK(describe(a.take_effects()) ==
        lines{"reply 3 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><subscribedResourceAvailability>outstandingReqLimitExceeded</subscribedResourceAvailability></CSTAErrorCode>"});
  a.on_outcome(1, sim::outcome::done(sim::first_id_of(1), "1000"));
  a.take_effects();
  a.on_request(correlation{4}, make, t0);  // one answered: room for one more
  CHECK(describe(a.take_effects()).size() == 1);
  a.on_outcome(2, sim::outcome::done(sim::first_id_of(1), "1000"));
  a.on_outcome(4, sim::outcome::done(sim::first_id_of(1), "1000"));
  a.take_effects();

  auto monitor = [&](session_core& s, std::uint64_t invoke, const std::string& device) {
    s.on_request(correlation{invoke}, doc("MonitorStart", "<monitorObject><deviceObject>" + device +
                                                              "</deviceObject></monitorObject>"), t0);
    auto effects = s.take_effects();
    REQUIRE(effects.size() == 1);
    if (auto start = std::get_if<effect::start_monitor>(&effects[0])) {
      s.on_monitor_started(start->id, true);
      s.take_effects();
      return std::string{"started"};
    }
    return describe(effects).front();
  };
  CHECK(monitor(a, 10, "1000") == "started");
  CHECK(monitor(a, 11, "1001") == "started");
  CHECK(monitor(a, 12, "1002") == "reply 12 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                                      "\"><subscribedResourceAvailability>objectMonitorLimitExceeded"
                                      "</subscribedResourceAvailability></CSTAErrorCode>");
  {
    session_core b{context, "b"};
    CHECK(monitor(b, 1, "2000") == "started");  // the server's third
    CHECK(monitor(b, 2, "2001") == "reply 2 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                                       "\"><systemResourceAvailibility>overallMonitorLimitExceeded"
                                       "</systemResourceAvailibility></CSTAErrorCode>");
    CHECK(context.monitors->open == 3);
  }
  // b is gone, and so are its monitors; a's stopped monitor makes room too.
  CHECK(context.monitors->open == 2);
  session_core c{context, "c"};
  CHECK(monitor(c, 1, "2002") == "started");
  CHECK(context.monitors->open == 3);
  CHECK_FALSE(a.on_carrier_gone(t0));
  a.take_effects();
  CHECK(context.monitors->open == 1);
}

TEST_CASE("an agent whose ACD group is on another LIM: its state is set and read at the group's LIM") {
  session_policy policy;
  std::vector<number_range> ranges{{"1000", "1099", sim::device_kind::ip_extension, 1},
                                   {"6000", "6000", sim::device_kind::acd_group, 1},
                                   {"2000", "2099", sim::device_kind::ip_extension, 2}};
  session_core core{{std::make_shared<const directory>(directory{ranges}),
                     std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy),
                     std::make_shared<id_source>(1), nullptr},
                    "test"};
  auto run = [&](std::uint64_t invoke, const std::string& body) {
    core.on_request(correlation{invoke}, doc("SetAgentState", body), t0);
    return describe(core.take_effects());
  };
  const auto set = std::to_string(static_cast<int>(sim::operation_kind::set_agent_state));
  const auto get = std::to_string(static_cast<int>(sim::operation_kind::get_agent_state));
  // Logging on names the group: straight to its LIM.
  CHECK(run(1, "<device>2010</device><requestedAgentState>loggedOn</requestedAgentState><agentID>501</agentID>"
               "<group>6000</group>") == lines{"run #1 on LIM 1: " + set + " 2010  0"});
  core.on_outcome(1, sim::outcome::done(0, "2010"));
  core.take_effects();
  sim::outcome logged_on = sim::outcome::done(0, "2010");
  logged_on.agents.push_back({"501", "6000", sim::agent_state::not_ready});
  // Ready names no group: the device's LIM does not have the agent, the group's LIM does.
  CHECK(run(2, "<device>2010</device><requestedAgentState>ready</requestedAgentState>") ==
        lines{"run #2 on LIM 2: " + get + " 2010  0"});
  core.on_outcome(2, sim::outcome::done(0, "2010"));
  CHECK(describe(core.take_effects()) == lines{"run #3 on LIM 1: " + get + " 2010  0"});
  core.on_outcome(3, logged_on);
  CHECK(describe(core.take_effects()) == lines{"run #4 on LIM 1: " + set + " 2010  0"});
  core.on_outcome(4, sim::outcome::done(0, "2010"));
  CHECK(describe(core.take_effects()) ==
        lines{"reply 2 " + decl + "<SetAgentStateResponse xmlns=\"" + ed3 + "\"/>"});
  // GetAgentState: the same search, the group LIM's answer.
  core.on_request(correlation{5}, doc("GetAgentState", "<device>2010</device>"), t0);
  CHECK(describe(core.take_effects()) == lines{"run #5 on LIM 2: " + get + " 2010  0"});
  core.on_outcome(5, sim::outcome::refuse(protocol::errors::operation("invalidDeviceID")));
  CHECK(describe(core.take_effects()) ==
        lines{"reply 5 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidDeviceID</operation></CSTAErrorCode>"});
  core.on_request(correlation{6}, doc("GetAgentState", "<device>2010</device>"), t0);
  core.take_effects();
  core.on_outcome(6, sim::outcome::done(0, "2010"));
  core.take_effects();
  core.on_outcome(7, logged_on);
  auto answer = describe(core.take_effects());
  REQUIRE(answer.size() == 1);
  CHECK(answer[0].find("<agentID>501</agentID>") != std::string::npos);
  CHECK(answer[0].rfind("reply 6 ", 0) == 0);
}

TEST_CASE("ChangeSystemStatusFilter: the SystemStatus values it names are no longer sent, the others are") {
  session_policy policy;
  session_core core{two_lims(policy), "test"};
  core.on_request(correlation{1}, doc("SystemRegister", "<requestTypes><systemStatus>true</systemStatus></requestTypes>"), t0);
  auto registered = describe(core.take_effects());
  REQUIRE(registered.size() == 1);
  auto id = registered[0].substr(registered[0].find("<sysStatRegisterID>") + 19);
  id = id.substr(0, id.find('<'));
  // Another client's (or a made-up) registration is not this session's to change.
  core.on_request(correlation{2}, doc("ChangeSystemStatusFilter", "<sysStatRegisterID>x" + id + "</sysStatRegisterID>"
                                      "<requestedStatusFilter><partiallyDisabled>true</partiallyDisabled></requestedStatusFilter>"), t0);
  CHECK(describe(core.take_effects()) ==
        lines{"reply 2 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidCrossRefID</operation></CSTAErrorCode>"});
  core.on_request(correlation{3}, doc("ChangeSystemStatusFilter", "<sysStatRegisterID>" + id + "</sysStatRegisterID>"
                                      "<requestedStatusFilter><partiallyDisabled>true</partiallyDisabled><normal>false</normal>"
                                      "</requestedStatusFilter>"), t0);
  CHECK(describe(core.take_effects()) ==
        lines{"reply 3 " + decl + "<ChangeSystemStatusFilterResponse xmlns=\"" + ed3 + "\"><actualStatusFilter>"
              "<partiallyDisabled>true</partiallyDisabled></actualStatusFilter></ChangeSystemStatusFilterResponse>"});
  core.on_request(correlation{4}, doc("MonitorStart", "<monitorObject><deviceObject>2000</deviceObject></monitorObject>"), t0);
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 1);
  auto start = std::get<effect::start_monitor>(effects[0]);
  core.on_monitor_started(start.id, true);
  core.take_effects();
  // LIM 2 goes down: its device is out of service, but partiallyDisabled is filtered out ...
  core.on_lim_state(2, false);
  CHECK(describe(core.take_effects()) ==
        lines{"notify " + decl + "<OutOfServiceEvent xmlns=\"" + ed3 + "\"><monitorCrossRefID>" + start.cross_ref +
              "</monitorCrossRefID><device><deviceIdentifier>2000</deviceIdentifier></device></OutOfServiceEvent>"});
  // ... and normal, which the client did not filter, comes when the LIM is back.
  core.on_lim_state(2, true);
  auto back = describe(core.take_effects());
  REQUIRE_FALSE(back.empty());
  CHECK(back.back() == "notify " + decl + "<SystemStatus xmlns=\"" + ed3 + "\"><systemStatus>normal</systemStatus></SystemStatus>");
  // Filtering normal too: the next LIM failure and return send no SystemStatus at all.
  core.on_request(correlation{5}, doc("ChangeSystemStatusFilter", "<requestedStatusFilter><normal>true</normal>"
                                      "<partiallyDisabled>true</partiallyDisabled></requestedStatusFilter>"), t0);
  core.take_effects();
  core.on_lim_state(2, false);
  core.on_lim_state(2, true);
  for (auto& line : describe(core.take_effects()))
    CHECK(line.find("<SystemStatus ") == std::string::npos);
}

TEST_CASE_FIXTURE(core_fixture, "GetLogicalDeviceInformation and GetPhysicalDeviceInformation from the directory") {
  CHECK(request(1, doc("GetLogicalDeviceInformation", "<device>6000</device>")) ==
        lines{"reply 1 " + decl + "<GetLogicalDeviceInformationResponse xmlns=\"" + ed3 +
              "\"><deviceCategory>acd</deviceCategory><hasPhysicalElement>false</hasPhysicalElement><acdModels>"
              "<visibleACDRelatedDevices>true</visibleACDRelatedDevices></acdModels><appearanceAddressable>false"
              "</appearanceAddressable><appearanceType>selectedStandard</appearanceType></GetLogicalDeviceInformationResponse>"});
  CHECK(request(2, doc("GetLogicalDeviceInformation", "<device>7000</device>")).at(0).find(
            "<deviceCategory>group</deviceCategory><groupDeviceAttributes><hunt>true</hunt></groupDeviceAttributes>"
            "<hasPhysicalElement>false</hasPhysicalElement>") != std::string::npos);
  CHECK(request(3, doc("GetPhysicalDeviceInformation", "<device>tel:+4687001000</device>")) ==
        lines{"reply 3 " + decl + "<GetPhysicalDeviceInformationResponse xmlns=\"" + ed3 +
              "\"><deviceCategory>station</deviceCategory><hasLogicalElement>true</hasLogicalElement>"
              "<deviceModelName>MX-ONE IP extension</deviceModelName></GetPhysicalDeviceInformationResponse>"});
  CHECK(request(4, doc("GetPhysicalDeviceInformation", "<device>6000</device>")) ==
        lines{"reply 4 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><operation>requestIncompatibleWithDevice</operation></CSTAErrorCode>"});
  CHECK(request(5, doc("GetLogicalDeviceInformation", "<device>5555</device>")) ==
        lines{"reply 5 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>invalidDeviceID</operation></CSTAErrorCode>"});
}

TEST_CASE("a required application session not started within the login timeout: the connection is closed") {
  session_policy policy;
  policy.required = true;
  auto context = two_lims(policy);
  context.login_timeout = std::chrono::seconds(30);
  session_core lazy{context, "lazy"};
  lazy.on_connected(t0);
  CHECK(describe(lazy.take_effects()) == lines{"wake at 30 s"});
  lazy.on_wake(t0 + 29s);  // early: nothing
  CHECK(describe(lazy.take_effects()).empty());
  lazy.on_wake(t0 + 30s);
  CHECK(describe(lazy.take_effects()) == lines{"close no application session started in time"});

  // One that logs on in time is not touched by the deadline.
  session_core prompt{context, "prompt"};
  prompt.on_connected(t0);
  prompt.take_effects();
  prompt.on_request(correlation{1}, doc("StartApplicationSession", "<applicationInfo><applicationID>Desk</applicationID>"
                                        "</applicationInfo><requestedProtocolVersions><protocolVersion>" + ed3 +
                                        "</protocolVersion></requestedProtocolVersions>", std::string{protocol::ns_appl_session}),
                    t0 + 1s);
  auto effects = prompt.take_effects();
  REQUIRE(effects.size() == 1);
  auto& check = std::get<effect::authenticate>(effects[0]);
  verdict yes;
  yes.ok = true;
  prompt.on_authenticated(check.id, yes, t0 + 1s);
  prompt.take_effects();
  prompt.on_wake(t0 + 30s);
  for (auto& line : describe(prompt.take_effects()))
    CHECK(line.rfind("close", 0) != 0);

  // Without a required session, no deadline at all.
  policy.required = false;
  session_core free{context, "free"};
  free.on_connected(t0);
  CHECK(describe(free.take_effects()).empty());
}

TEST_CASE_FIXTURE(core_fixture, "routeing: requests go to the LIM their ids name, RouteSelect has no positive answer") {
  const auto kind = [](sim::operation_kind k) { return std::to_string(static_cast<int>(k)); };
  CHECK(request(1, doc("RouteRegister", "<routeingDevice>6000</routeingDevice>")) ==
        lines{"run #1 on LIM 1: " + kind(sim::operation_kind::route_register) + " 6000  0"});
  auto registered = sim::outcome::done(0, "6000");
  registered.reference = first_id;
  core.on_outcome(1, registered);
  CHECK(take() == lines{"reply 1 " + decl + "<RouteRegisterResponse xmlns=\"" + ed3 + "\"><routeRegisterReqID>" +
                        first_id + "</routeRegisterReqID></RouteRegisterResponse>"});
  auto cross_ref = std::to_string(sim::first_id_of(1) + 1);
  CHECK(request(2, doc("RouteSelect", "<routeRegisterReqID>" + first_id + "</routeRegisterReqID><routingCrossRefID>" +
                                          cross_ref + "</routingCrossRefID><routeSelected>1010</routeSelected>")) ==
        lines{"run #2 on LIM 1: " + kind(sim::operation_kind::route_select) + "  1010 0"});
  core.on_outcome(2, sim::outcome::done(42, "1010"));
  CHECK(take().empty());  // answered by the RouteEnd the exchange sends
  request(3, doc("RouteEnd", "<routingCrossRefID>" + cross_ref + "</routingCrossRefID>"));
  core.on_outcome(3, sim::outcome::refuse(protocol::errors::operation("invalidRouteingCrossRefID")));
  CHECK(take() == lines{"reply 3 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
                        "\"><operation>invalidRouteingCrossRefID</operation></CSTAErrorCode>"});
  // Ids that name no LIM of the system are refused at once.
  CHECK(request(4, doc("RouteSelect", "<routingCrossRefID>x8</routingCrossRefID><routeSelected>1010</routeSelected>")) ==
        lines{"reply 4 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><operation>invalidRouteingCrossRefID</operation></CSTAErrorCode>"});
  CHECK(request(5, doc("RouteRegisterCancel", "<routeRegisterReqID>" + std::to_string(sim::first_id_of(9)) +
                                                  "</routeRegisterReqID>")) ==
        lines{"reply 5 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 +
              "\"><operation>invalidRouteRegistrationCrossRefID</operation></CSTAErrorCode>"});
  CHECK(request(6, doc("RouteRegisterCancel", "<routeRegisterReqID>" + first_id + "</routeRegisterReqID>")) ==
        lines{"run #4 on LIM 1: " + kind(sim::operation_kind::route_register_cancel) + "   0"});
}

TEST_CASE_FIXTURE(core_fixture, "route messages go to the client as RouteRequest and RouteEnd, invoke id 9999") {
  core.on_request(correlation{1}, doc("MonitorStart", "<monitorObject><deviceObject>tel:+4687006000</deviceObject>"
                                                      "</monitorObject>", std::string{protocol::ns_ed4}), t0);
  core.take_effects();
  sim::route_message m;
  m.registration = "7";
  m.cross_ref = "8";
  m.group = "6000";
  m.current_route = "6000";
  m.calling = "0701234567";
  m.call = 42;
  deliver_route_message(core, m);
  const std::string ed4{protocol::ns_ed4};
  // In the client's namespace and its form of the group's number.
  CHECK(take() == lines{"notify " + decl + "<RouteRequest xmlns=\"" + ed4 + "\"><routeRegisterReqID>7</routeRegisterReqID>"
                        "<routingCrossRefID>8</routingCrossRefID><currentRoute><deviceIdentifier>tel:+4687006000"
                        "</deviceIdentifier></currentRoute><callingDevice><deviceIdentifier>0701234567</deviceIdentifier>"
                        "</callingDevice><routedCall><callID>42</callID><deviceID>tel:+4687006000</deviceID></routedCall>"
                        "</RouteRequest>"});
  m.what = sim::route_message::kind::end;
  deliver_route_message(core, m);
  m.error = protocol::errors::operation("routeingTimerExpired");
  deliver_route_message(core, m);
  CHECK(take() == lines{"notify " + decl + "<RouteEnd xmlns=\"" + ed4 + "\"><routeRegisterReqID>7</routeRegisterReqID>"
                        "<routingCrossRefID>8</routingCrossRefID></RouteEnd>",
                        "notify " + decl + "<RouteEnd xmlns=\"" + ed4 + "\"><routeRegisterReqID>7</routeRegisterReqID>"
                        "<routingCrossRefID>8</routingCrossRefID><errorValue><operation>routeingTimerExpired</operation>"
                        "</errorValue></RouteEnd>"});
}

// -- Session recovery (session_recovery.cpp) -------------------------------------------------

namespace {

struct recovery_fixture : core_fixture {
  // Starts an application session for `user` with the given clean-up delay (0: the server's).
  void log_on(const std::string& user, int cleanup_delay) {
    auto effects = (core.on_request(correlation{80},
                                    "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                                        "\"><applicationInfo><applicationID>a</applicationID><applicationSpecificInfo>"
                                        "<SessionLoginInfo><userName>" + user +
                                        "</userName><password>p</password><sessionCleanupDelay>" +
                                        std::to_string(cleanup_delay) +
                                        "</sessionCleanupDelay></SessionLoginInfo></applicationSpecificInfo>"
                                        "</applicationInfo></StartApplicationSession>",
                                    t0),
                    core.take_effects());
    REQUIRE(effects.size() == 1);
    core.on_authenticated(std::get<effect::authenticate>(effects[0]).id, verdict{true, user, 0, {}, {}}, t0);
    core.take_effects();
  }
  void event_for(const std::string& cross_ref, protocol::event_type type = protocol::event_type::delivered) {
    protocol::csta_event e;
    e.type = type;
    e.cross_ref = cross_ref;
    e.connection = {"42", "1000"};
    core.on_event(e);
  }
};

}  // namespace

TEST_CASE_FIXTURE(recovery_fixture, "a lost connection: the session holds what it would send, and ends when its delay passes") {
  log_on("desk", 30);
  auto ref = monitor("1000");
  CHECK(core.on_carrier_gone(t0));
  CHECK(take() == lines{"wake at 30 s"});
  event_for(ref);
  event_for(ref, protocol::event_type::connection_cleared);
  CHECK(take().empty());  // held, not sent: nobody is there
  core.on_wake(t0 + 29s);
  CHECK(take().empty());
  core.on_wake(t0 + 30s);
  CHECK(take() == lines{"stop " + ref + " on LIM 1 (device)", "close not taken over in time"});
  CHECK(core.stats().monitors == 0);
}

TEST_CASE_FIXTURE(recovery_fixture, "a lost connection's held messages are bounded: past the bound the session ends") {
  policy.max_held_messages = 2;
  log_on("desk", 30);
  auto ref = monitor("1000");
  CHECK(core.on_carrier_gone(t0));
  take();
  event_for(ref);
  event_for(ref);
  CHECK(take().empty());
  event_for(ref);
  CHECK(take() == lines{"stop " + ref + " on LIM 1 (device)", "close too much held for a lost connection"});
}

TEST_CASE_FIXTURE(recovery_fixture, "no clean-up delay (and no application session): a lost connection releases at once") {
  log_on("desk", 0);
  auto ref = monitor("1000");
  CHECK_FALSE(core.on_carrier_gone(t0));
  CHECK(take() == lines{"stop " + ref + " on LIM 1 (device)"});
}

TEST_CASE_FIXTURE(recovery_fixture, "handing over: only to the same user, once, and the moved monitors and held messages go") {
  log_on("desk", 30);
  auto a = monitor("1000");
  auto b = monitor("6000");
  CHECK(core.on_carrier_gone(t0));
  take();
  event_for(a);
  CHECK(core.begin_hand_over("other") == std::optional<std::string>{"it belongs to another user"});
  CHECK_FALSE(core.begin_hand_over("desk"));
  CHECK(core.begin_hand_over("desk") == std::optional<std::string>{"it is being taken over already"});
  auto by_lim = core.monitors_by_lim();
  REQUIRE(by_lim.count(1) == 1);
  CHECK(by_lim[1].size() == 2);
  core.on_wake(t0 + 60s);  // the delay passes while the LIMs move the monitors: not ended
  CHECK(take().empty());
  auto c = monitor("1001");  // started meanwhile: no LIM moved it
  auto h = core.hand_over({a, b});
  REQUIRE(h.monitors.size() == 2);
  CHECK(h.monitors[0].cross_ref == std::min(a, b));
  REQUIRE(h.held.size() == 1);
  CHECK(h.held[0].find("<DeliveredEvent") != std::string::npos);
  CHECK(h.held[0].find("<monitorCrossRefID>" + a + "</monitorCrossRefID>") != std::string::npos);
  // The moved ones live on (no stop); the one not moved is released at its LIM.
  CHECK(take() == lines{"stop " + c + " on LIM 1 (device)", "close taken over by a new connection"});
  CHECK(core.stats().monitors == 0);
}

TEST_CASE_FIXTURE(recovery_fixture, "without accounts a connected session is not handed to whoever names its id") {
  log_on("", 30);
  CHECK(core.begin_hand_over("") == std::optional<std::string>{"it is still connected, and no account says whose it is"});
  CHECK(core.on_carrier_gone(t0));
  CHECK_FALSE(core.begin_hand_over(""));  // once its connection is lost, its id is what counts
}

TEST_CASE_FIXTURE(recovery_fixture, "taking over: the answer first, then the held messages, then events that came meanwhile") {
  log_on("desk", 30);
  auto own_id = core.app().id();
  CHECK(request(5, doc("TransferMonitorObjects", "<fromSessionID>OLD</fromSessionID><toSessionID>" + own_id +
                                                     "</toSessionID>")) ==
        lines{"adopt #2: OLD for 'desk'"});
  event_for("77");  // a moved monitor's event, before the old session's answer: it waits
  CHECK(take().empty());
  session_handover h;
  h.monitors.push_back({"77", "1000", 0, 1, "", {}, std::string{protocol::ns_ed3}, false});
  h.held.push_back("held one");
  core.on_adopted(2, h, t0);
  auto out = take();
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "reply 5 " + decl + "<TransferMonitorObjectsResponse xmlns=\"" + ed3 + "\"/>");
  CHECK(out[1] == "notify held one");
  CHECK(out[2].find("<monitorCrossRefID>77</monitorCrossRefID>") != std::string::npos);
  CHECK(core.stats().monitors == 1);
  // Refused when the old session is not there to take over.
  request(6, doc("TransferMonitorObjects", "<fromSessionID>GONE</fromSessionID><toSessionID>" + own_id +
                                               "</toSessionID>"));
  core.on_adopted(3, std::nullopt, t0);
  CHECK(take() == lines{"reply 6 " + decl + "<CSTAErrorCode xmlns=\"" + ed3 + "\"><operation>objectNotKnown</operation></CSTAErrorCode>"});
}

// -- The wire trace by sessionID and by device: the session decides, and says so once --------

namespace {

using by = trace_selection::by;

trace_selection selection(by who, std::string value, std::uint64_t generation) {
  trace_selection s;
  s.who = who;
  s.value = std::move(value);
  s.generation = generation;
  return s;
}

}  // namespace

TEST_CASE_FIXTURE(core_fixture, "the wire trace by device: a session monitoring it is traced when told, once") {
  monitor("1005");
  core.on_trace_selection(selection(by::device, "1005", 3));
  CHECK(take() == lines{"trace under 3"});
  CHECK(core.traced());
  core.on_trace_selection(selection(by::device, "1005", 3));  // told again: as a new session, by csta -t
  CHECK(take().empty());
  core.on_trace_selection(selection(by::device, "1006", 2));  // an older selection, late
  CHECK(take().empty());
  CHECK(core.traced());
  core.on_trace_selection(selection(by::device, "1006", 4));  // another device now
  CHECK(take().empty());
  CHECK_FALSE(core.traced());
  core.on_trace_selection(selection(by::nobody, "", 5));
  CHECK_FALSE(core.traced());
}

TEST_CASE_FIXTURE(core_fixture, "the wire trace by device: from a session's first request naming it, that request first") {
  core.on_trace_selection(selection(by::device, "1005", 1));
  CHECK(take().empty());
  CHECK_FALSE(core.traced());
  auto other = doc("SetDoNotDisturb", "<device>1001</device><doNotDisturbOn>true</doNotDisturbOn>");
  CHECK(request(1, other).size() == 1);  // the operation alone
  auto dnd = doc("SetDoNotDisturb", "<device>1005</device><doNotDisturbOn>true</doNotDisturbOn>");
  auto out = request(2, dnd);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == "trace under 1 from request 2: " + dnd);  // before anything answers it
  CHECK(out[1].rfind("run #2 on LIM 1", 0) == 0);
  CHECK(core.traced());
  CHECK(request(3, dnd).size() == 1);  // said once
}

TEST_CASE_FIXTURE(core_fixture, "the wire trace by session: its sessionID chooses it, and for everyone the carrier decides alone") {
  core.on_trace_selection(selection(by::session, "another", 1));
  request(1, "<StartApplicationSession xmlns=\"" + std::string{protocol::ns_appl_session} +
                 "\"><applicationInfo><applicationID>t</applicationID></applicationInfo></StartApplicationSession>");
  core.on_authenticated(1, verdict{true, {}, 0, {}, {}}, t0);
  for (auto& line : take())
    CHECK(line.rfind("trace", 0) != 0);
  CHECK_FALSE(core.traced());
  core.on_trace_selection(selection(by::session, core.app().id(), 2));
  CHECK(take() == lines{"trace under 2"});
  CHECK(core.traced());
  // Everyone: traced without a word to the carrier, which decides that alone.
  core.on_trace_selection(selection(by::everyone, "", 3));
  CHECK(take().empty());
  CHECK(core.traced());
}

TEST_CASE("a TR/87 session is known by its dialog: csta -p shows it, and the trace chooses it by it and by its line") {
  session_policy policy;
  session_core core{{std::make_shared<const directory>(directory::from_plan(sim::number_plan::demo(), 1)),
                     std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy),
                     std::make_shared<id_source>(1), nullptr},
                    "tcp:127.0.0.1:41234 line tel:+4687001000"};
  core.on_trace_selection(selection(by::device, "1000", 1));  // in force when the dialog began
  core.on_dialog("5f0c3a9e21b7d804", "tel:+4687001000");
  // Chosen by its line before its first request: its carrier writes the INVITE it holds.
  CHECK(describe(core.take_effects()) == lines{"announce 5f0c3a9e21b7d804", "trace under 1"});
  CHECK(core.session_id() == "5f0c3a9e21b7d804");
  CHECK(core.traced());
  core.on_trace_selection(selection(by::session, "5f0c3a9e21b7d804", 2));
  CHECK(describe(core.take_effects()) == lines{"trace under 2"});
  core.on_trace_selection(selection(by::device, "1001", 3));  // another line
  CHECK(describe(core.take_effects()).empty());
  CHECK_FALSE(core.traced());
  // Its client by address (or address and port), though its peer names the SIP transport and line.
  core.on_trace_selection(selection(by::client, "127.0.0.1", 4));
  CHECK(core.traced());
  core.on_trace_selection(selection(by::client, "127.0.0.1:41234", 5));
  CHECK(core.traced());
  core.on_trace_selection(selection(by::client, "127.0.0.1:41235", 6));
  CHECK_FALSE(core.traced());
}

TEST_CASE("failed log-ons count against the client's address: a J.2 or TR/87 peer, any port or line") {
  CHECK(client_endpoint("192.0.2.7:41234") == "192.0.2.7:41234");
  CHECK(client_address("192.0.2.7:41234") == "192.0.2.7");
  CHECK(client_endpoint("tcp:192.0.2.7:41234 line tel:+4687001000") == "192.0.2.7:41234");
  CHECK(client_address("tcp:192.0.2.7:41234 line tel:+4687001000") == "192.0.2.7");
  CHECK(client_address("udp:192.0.2.7:5060 line sip:1000@pbx") == "192.0.2.7");
  CHECK(client_address("tls:[2001:db8::7]:5061 line tel:1000") == "[2001:db8::7]");
  CHECK(client_address("2001:db8::7:41234") == "2001:db8::7");

  // What the session offers the authenticator, from a TR/87 peer.
  session_policy policy;
  session_core core{{std::make_shared<const directory>(directory::from_plan(sim::number_plan::demo(), 1)),
                     std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy),
                     std::make_shared<id_source>(1), nullptr},
                    "tcp:192.0.2.7:41234 line tel:+4687001000"};
  core.on_connected(t0);
  core.take_effects();
  core.on_request(correlation{1}, doc("StartApplicationSession", "<applicationInfo><applicationID>Desk</applicationID>"
                                      "</applicationInfo><requestedProtocolVersions><protocolVersion>" + ed3 +
                                      "</protocolVersion></requestedProtocolVersions>", std::string{protocol::ns_appl_session}),
                  t0);
  auto effects = core.take_effects();
  REQUIRE(effects.size() == 1);
  CHECK(std::get<effect::authenticate>(effects[0]).offered.address == "192.0.2.7");
}
