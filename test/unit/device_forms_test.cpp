// Device ids come back in the client's form: a session driven against the demo exchange, as
// the LIM and the device actors would drive it (each operation answered first, then its events
// rendered for every device monitor), and what the client reads checked exactly.

#include <doctest/doctest.h>

#include <algorithm>
#include <utility>
#include <variant>

#include "protocol/namespaces.hpp"
#include "service/device_forms.hpp"
#include "service/event_view.hpp"
#include "service/session_core.hpp"
#include "sim/exchange.hpp"
#include "sim/system_ids.hpp"

using namespace cstad;
using namespace cstad::service;
using transport::correlation;

namespace {

const std::string ed3{protocol::ns_ed3};
const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
const auto first_call = std::to_string(sim::first_id_of(1));

std::string doc(const std::string& root, const std::string& body) {
  return "<" + root + " xmlns=\"" + ed3 + "\">" + body + "</" + root + ">";
}

std::string connection(const std::string& element, const std::string& call, const std::string& device) {
  return "<" + element + "><callID>" + call + "</callID><deviceID>" + device + "</deviceID></" + element + ">";
}

std::string monitor_start(const std::string& device) {
  return doc("MonitorStart", "<monitorObject><deviceObject>" + device + "</deviceObject></monitorObject>");
}

std::string make_call(const std::string& from, const std::string& to) {
  return doc("MakeCall", "<callingDevice>" + from + "</callingDevice><calledDirectoryNumber>" + to +
                             "</calledDirectoryNumber>");
}

// What the client reads: a response or an event document as sent.
std::string answer(const std::string& root, const std::string& body) {
  if (body.empty())
    return decl + "<" + root + " xmlns=\"" + ed3 + "\"/>";
  return decl + "<" + root + " xmlns=\"" + ed3 + "\">" + body + "</" + root + ">";
}

std::string event(const std::string& root, const std::string& ref, const std::string& body) {
  return answer(root, "<monitorCrossRefID>" + ref + "</monitorCrossRefID>" + body);
}

std::string device(const std::string& element, const std::string& id) {
  return "<" + element + "><deviceIdentifier>" + id + "</deviceIdentifier></" + element + ">";
}

using lines = std::vector<std::string>;

struct exchange_session {
  sim::manual_clock clock;
  sim::exchange ex{sim::number_plan::demo(), clock, {}, sim::first_id_of(1)};
  session_policy policy;
  session_core core{context(), "test"};
  // The session's device monitors as the device actors hold them: (device, cross-reference).
  std::vector<std::pair<std::string, std::string>> monitors;
  lines read;              // what the client read, in order
  lines plain_renderings;  // each event the client read, as the device rendered it

  session_context context() {
    return {std::make_shared<const directory>(directory::from_plan(ex.plan(), 1)),
            std::shared_ptr<const session_policy>(std::shared_ptr<void>{}, &policy),
            std::make_shared<id_source>(1), nullptr};
  }

  /// Sends a request and returns what the client read because of it.
  lines request(std::uint64_t invoke, const std::string& xml) {
    core.on_request(correlation{invoke}, xml, clock.now());
    carry_out();
    return std::exchange(read, {});
  }

  // Carries out the session's effects the way its actor, the LIM and the device actors do.
  void carry_out() {
    std::vector<effect_type> effects;
    for (core.take_effects(effects); !effects.empty(); core.take_effects(effects))
      for (auto& e : effects) {
        if (auto r = std::get_if<effect::reply>(&e)) {
          read.push_back(r->xml);
        } else if (auto n = std::get_if<effect::notify>(&e)) {
          for (std::size_t i = 0; i < n->messages.size(); ++i)
            read.push_back(n->messages.text(i));
        } else if (auto m = std::get_if<effect::start_monitor>(&e)) {
          REQUIRE_FALSE(m->target.is_call());
          monitors.emplace_back(m->target.device, m->cross_ref);
          core.on_monitor_started(m->id, true);
        } else if (auto op = std::get_if<effect::run_operation>(&e)) {
          std::vector<sim::domain_event> events;
          auto out = ex.apply(op->op, events);
          core.on_outcome(op->id, out);
          for (auto& d : events)
            publish(d);
        }
      }
  }

  // A device actor: one rendering of the event per device, sent with the cross-references of
  // this session's monitors on it (one: the event names it; more: the list).
  void publish(const sim::domain_event& d) {
    std::vector<std::string> done;
    for (auto& [number, ignored] : monitors) {
      if (std::find(done.begin(), done.end(), number) != done.end())
        continue;
      done.push_back(number);
      auto view = view_of(d, number);
      if (!view)
        continue;
      std::vector<std::string> refs;
      for (auto& [n, ref] : monitors)
        if (n == number)
          refs.push_back(ref);
      for (auto& ref : refs) {
        auto plain = *view;
        plain.cross_ref = ref;
        plain_renderings.push_back(protocol::encode_event(plain, ed3));
      }
      if (refs.size() == 1) {
        view->cross_ref = refs.front();
        core.on_event(*view);
      } else {
        core.on_event(*view, refs);
      }
    }
  }

  std::string monitor(std::uint64_t invoke, const std::string& form) {
    auto got = request(invoke, monitor_start(form));
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].find("MonitorStartResponse") != std::string::npos);
    return monitors.back().second;
  }
};

}  // namespace

TEST_CASE_FIXTURE(exchange_session, "a client that names its extension tel:+4687001000 reads that form in the response and every event") {
  auto ref = monitor(1, "tel:+4687001000");
  const std::string me = "tel:+4687001000";
  const std::string call = first_call;
  CHECK(request(2, make_call(me, "1001")) ==
        lines{answer("MakeCallResponse", connection("callingDevice", call, me)),
              event("ServiceInitiatedEvent", ref,
                    connection("initiatedConnection", call, me) + device("initiatingDevice", me) +
                        "<localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause>"),
              // 1001, which the client never named otherwise, is the plan's number.
              event("OriginatedEvent", ref,
                    connection("originatedConnection", call, me) + device("callingDevice", me) +
                        device("calledDevice", "1001") +
                        "<localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause>"),
              event("DeliveredEvent", ref,
                    connection("connection", call, "1001") + device("alertingDevice", "1001") +
                        device("callingDevice", me) + device("calledDevice", "1001") +
                        "<lastRedirectionDevice><notRequired/></lastRedirectionDevice>"
                        "<localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause>")});
  CHECK(request(3, doc("AnswerCall", connection("callToBeAnswered", call, "1001"))) ==
        lines{answer("AnswerCallResponse", ""),
              event("EstablishedEvent", ref,
                    connection("establishedConnection", call, "1001") + device("answeringDevice", "1001") +
                        device("callingDevice", me) + device("calledDevice", "1001") +
                        "<lastRedirectionDevice><notRequired/></lastRedirectionDevice>"
                        "<localConnectionInfo>connected</localConnectionInfo><cause>newCall</cause>")});
  // The connection id the events gave, in the client's form, names the connection.
  CHECK(request(4, doc("ClearConnection", connection("connectionToBeCleared", call, me))) ==
        lines{answer("ClearConnectionResponse", ""),
              event("ConnectionClearedEvent", ref,
                    connection("droppedConnection", call, me) + device("releasingDevice", me) +
                        "<localConnectionInfo>null</localConnectionInfo><cause>normalClearing</cause>")});
}

TEST_CASE_FIXTURE(exchange_session, "two monitors on one number in two forms: each monitor's events in its own form, the response in the latest") {
  auto tel = monitor(1, "tel:+4687001000");
  auto sip = monitor(2, "sip:1000@pbx;user=phone");
  const std::string line = "tel:1001;phone-context=dialstring";
  auto other = monitor(3, line);
  const std::string call = first_call;
  // The client now writes 1000 plainly: that is its latest form of it.
  auto got = request(4, make_call("1000", line));
  // The response; ServiceInitiated, Originated and Delivered on both monitors of 1000; Delivered
  // on 1001's.
  REQUIRE(got.size() == 8);
  CHECK(got[0] == answer("MakeCallResponse", connection("callingDevice", call, "1000")));
  auto delivered = [&](const std::string& ref, const std::string& caller, const std::string& local) {
    return event("DeliveredEvent", ref,
                 connection("connection", call, line) + device("alertingDevice", line) +
                     device("callingDevice", caller) + device("calledDevice", line) +
                     "<lastRedirectionDevice><notRequired/></lastRedirectionDevice>"
                     "<localConnectionInfo>" + local + "</localConnectionInfo><cause>newCall</cause>");
  };
  CHECK(got[1] == event("ServiceInitiatedEvent", tel,
                        connection("initiatedConnection", call, "tel:+4687001000") +
                            device("initiatingDevice", "tel:+4687001000") +
                            "<localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause>"));
  CHECK(got[2] == event("ServiceInitiatedEvent", sip,
                        connection("initiatedConnection", call, "sip:1000@pbx;user=phone") +
                            device("initiatingDevice", "sip:1000@pbx;user=phone") +
                            "<localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause>"));
  CHECK(got[5] == delivered(tel, "tel:+4687001000", "connected"));
  CHECK(got[6] == delivered(sip, "sip:1000@pbx;user=phone", "connected"));
  // On 1001's monitor, 1000 is what the client called it last.
  CHECK(got[7] == delivered(other, "1000", "alerting"));
}

TEST_CASE_FIXTURE(exchange_session, "a client that writes plain numbers reads every event exactly as the device rendered it") {
  monitor(1, "1000");
  monitor(2, "1000");  // two monitors on one device: one rendering, two cross-references
  monitor(3, "1001");
  lines got;
  auto add = [&](lines more) { got.insert(got.end(), more.begin(), more.end()); };
  add(request(4, make_call("1000", "1001")));
  CHECK(got.at(0) == answer("MakeCallResponse", connection("callingDevice", first_call, "1000")));
  add(request(5, doc("AnswerCall", connection("callToBeAnswered", first_call, "1001"))));
  add(request(6, doc("HoldCall", connection("callToBeHeld", first_call, "1001"))));
  add(request(7, doc("SnapshotDevice", "<snapshotObject>1001</snapshotObject>")));
  add(request(8, doc("ClearCall", "<callToBeCleared><callID>" + first_call + "</callID></callToBeCleared>")));
  lines events;
  for (auto& l : got)
    if (l.find("Event xmlns") != std::string::npos)
      events.push_back(l);
  CHECK(events.size() == 17);
  CHECK(events == plain_renderings);
  auto snapshot = std::find_if(got.begin(), got.end(), [](const std::string& l) {
    return l.find("SnapshotDeviceResponse") != std::string::npos;
  });
  REQUIRE(snapshot != got.end());
  CHECK(snapshot->find(connection("connectionIdentifier", first_call, "1001")) != std::string::npos);
}

TEST_CASE_FIXTURE(exchange_session, "every device id of a request is resolved, and answers carry the client's forms") {
  const std::string me = "tel:+4687001000";
  request(1, make_call(me, "tel:+4687001002"));
  CHECK(request(2, doc("SnapshotDevice", "<snapshotObject>sip:1000@pbx;user=phone</snapshotObject>")) ==
        lines{answer("SnapshotDeviceResponse",
                     "<crossRefIDorSnapshotData><snapshotData><snapshotDeviceResponseInfo>" +
                         connection("connectionIdentifier", first_call, "sip:1000@pbx;user=phone") +
                         "<localCallState><compoundCallState><localConnectionState>connected"
                         "</localConnectionState></compoundCallState></localCallState>"
                         "</snapshotDeviceResponseInfo></snapshotData></crossRefIDorSnapshotData>")});
  CHECK(request(3, doc("SnapshotCall", connection("snapshotObject", first_call, me))).at(0) ==
        answer("SnapshotCallResponse",
               "<crossRefIDorSnapshotData><snapshotData><snapshotCallResponseInfo>" +
                   device("deviceOnCall", me) + connection("callIdentifier", first_call, me) +
                   "<localConnectionInfo>connected</localConnectionInfo></snapshotCallResponseInfo>"
                   "<snapshotCallResponseInfo>" + device("deviceOnCall", "tel:+4687001002") +
                   connection("callIdentifier", first_call, "tel:+4687001002") +
                   "<localConnectionInfo>alerting</localConnectionInfo></snapshotCallResponseInfo>"
                   "</snapshotData></crossRefIDorSnapshotData>"));
  request(4, doc("SetForwarding", "<device>tel:1003;phone-context=dialstring</device>"
                                  "<forwardingType>forwardImmediate</forwardingType>"
                                  "<forwardDN>tel:+46-8-700-1004</forwardDN><activateForward>true</activateForward>"));
  CHECK(request(5, doc("GetForwarding", "<device>1003</device>")) ==
        lines{answer("GetForwardingResponse",
                     "<forwardingList><forwardListItem><forwardingType>forwardImmediate</forwardingType>"
                     "<forwardStatus>true</forwardStatus><forwardDN>tel:+46-8-700-1004</forwardDN>"
                     "</forwardListItem></forwardingList>")});
  auto listed = request(6, doc("GetSwitchingFunctionDevices", "<requestedDeviceID>" + me + "</requestedDeviceID>"));
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].find("<deviceList><device><deviceID>" + me + "</deviceID><deviceCategory>station"
                       "</deviceCategory></device></deviceList>") != std::string::npos);
  // What names no device of the plan is refused as before.
  for (auto junk : {"tel:+4699", "sip:alice@example.com", "tel:+4687002000", "tel:"})
    CHECK_MESSAGE(request(7, monitor_start(junk)) ==
                      lines{answer("CSTAErrorCode", "<operation>invalidDeviceID</operation>")},
                  junk);
  CHECK(request(8, make_call("tel:+46870010", "1001")) ==
        lines{answer("CSTAErrorCode", "<operation>invalidCallingDeviceID</operation>")});
}

TEST_CASE("a session's forms: the latest wins, the plain number forgets, outside numbers are bounded") {
  device_forms forms;
  CHECK(forms.empty());
  forms.remember("1000", "tel:+4687001000", true);
  forms.remember("1000", "sip:1000@pbx", true);
  CHECK(forms.form_of("1000") == "sip:1000@pbx");
  CHECK(forms.form_of("1001") == "1001");
  forms.remember("1000", "1000", true);
  CHECK(forms.empty());
  forms.remember("1000", "tel:1000", true);
  for (std::size_t n = 0; n <= device_forms::max_outside; ++n)
    forms.remember("+3222" + std::to_string(n), "tel:+3222" + std::to_string(n), false);
  CHECK(forms.form_of("+32220") == "+32220");  // the oldest outside number is forgotten
  CHECK(forms.form_of("+32221") == "tel:+32221");
  CHECK(forms.form_of("1000") == "tel:1000");  // numbers of the plan stay
  forms.remember("1000", "tel:1000;x=" + std::string(device_forms::max_form_length, 'x'), true);
  CHECK(forms.form_of("1000") == "1000");  // too long to keep: the plain number
}
