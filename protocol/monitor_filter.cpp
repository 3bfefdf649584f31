#include "protocol/monitor_filter.hpp"

#include <array>
#include <vector>

#include "protocol/xml_element.hpp"

namespace cstad::protocol {
namespace {

struct group {
  std::string_view name;
  std::vector<std::string_view> events;
};

// The groups and names of protocol.md 3.1 (callAssociated: the events the server reports), in
// the schema's order of groups. Groups the server has no events of (mediaAttachment, voice) are
// not modelled: whatever a client asks of them, no such event is sent.
const std::array<group, 5>& groups() {
  static const std::array<group, 5> all = {{
      {"callcontrol",
       {"bridged", "callCleared", "conferenced", "connectionCleared", "delivered", "digitsDialed",
        "diverted", "established", "failed", "held", "networkCapabilitiesChanged", "networkReached",
        "offered", "originated", "queued", "retrieved", "serviceInitiated", "transferred"}},
      {"callAssociated",
       {"callInformation", "charging", "digitsGenerated", "telephonyTonesGenerated",
        "serviceCompletionFailure"}},
      {"physicalDeviceFeature",
       {"buttonInformation", "buttonPress", "displayUpdated", "hookswitch", "lampMode",
        "messageWaiting", "microphoneGain", "microphoneMute", "ringerStatus", "speakerMute",
        "speakerVolume"}},
      {"logicalDeviceFeature",
       {"agentBusy", "agentLoggedOn", "agentLoggedOff", "agentNotReady", "agentReady",
        "agentWorkingAfterCall", "autoAnswer", "autoWorkMode", "callBack", "callBackMessage",
        "callerIDStatus", "doNotDisturb", "forwarding", "routeingMode"}},
      {"maintenance", {"backInService", "outOfService", "partiallyInService"}},
  }};
  return all;
}

const group* find_group(std::string_view name) {
  for (auto& g : groups())
    if (g.name == name)
      return &g;
  return nullptr;
}

// invertFilter may sit at any depth below privateData, in any namespace: Avaya wraps it in an
// element of its own (AvayaEvents, protocol.md 4.4; the exact wrapper of a device monitor's
// MonitorStart is not on record, so none is assumed).
bool has_true_invert(const xml_element& e) {
  if (e.name == "invertFilter" && e.text == "true")
    return true;
  for (auto& c : e.children)
    if (has_true_invert(c))
      return true;
  return false;
}

}  // namespace

std::string_view filter_group(std::string_view name) {
  for (auto& g : groups())
    for (auto e : g.events)
      if (e == name)
        return g.name;
  return "callcontrol";
}

std::set<std::string> read_monitor_filter(const xml_element* filter, bool inverted) {
  std::set<std::string> out;
  if (filter == nullptr)
    return out;
  for (auto& g : filter->children) {
    std::set<std::string> set_true;
    for (auto& item : g.children)
      if (item.text == "true")
        set_true.insert(item.name);
    if (!inverted) {
      out.insert(set_true.begin(), set_true.end());
      continue;
    }
    // Only a group the client sent is inverted: Avaya sends an empty <logicalDeviceFeature/> to
    // receive none of its events, so an absent group keeps the standard meaning (inferred).
    if (auto modelled = find_group(g.name))
      for (auto e : modelled->events)
        if (!set_true.count(std::string{e}))
          out.emplace(e);
  }
  return out;
}

void write_monitor_filter(xml_writer& w, std::string_view element, const std::set<std::string>& suppressed) {
  w.open(element);
  for (auto& g : groups()) {
    bool any = false;
    for (auto& n : suppressed)
      if (filter_group(n) == g.name) {
        if (!any)
          w.open(g.name);
        any = true;
        w.leaf(n, "true");
      }
    if (any)
      w.close(g.name);
  }
  w.close(element);
}

bool inverts_filter(const xml_element& request) {
  auto extensions = request.child("extensions");
  auto data = extensions != nullptr ? extensions->child("privateData") : nullptr;
  return data != nullptr && has_true_invert(*data);
}

}  // namespace cstad::protocol
