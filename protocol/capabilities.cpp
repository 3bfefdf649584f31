#include "protocol/capabilities.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace cstad::protocol {
namespace {

using list = std::pair<std::string_view, std::vector<std::string_view>>;

// supportedServices, ECMA-323 ed3 (protocol.md §3.2, "Which list holds which entry").
const std::vector<list> services = {
    {"capExchangeServList",
     {"getCSTAFeatures", "getLogicalDeviceInformation", "getPhysicalDeviceInformation",
      "getSwitchingFunctionCaps", "getSwitchingFunctionDevices", "switchingFunctionDevices"}},
    {"systemStatServList",
     {"changeSystemStatusFilter", "systemRegister", "systemStatusRegisterAbort",
      "systemStatusRegisterCancel", "requestSystemStatus", "systemStatus", "swFunctionCapsChanged",
      "swFunctionDevicesChanged"}},
    {"monitoringServList", {"changeMonitorFilter", "monitorStart", "monitorStop"}},
    {"snapshotServList", {"snapshotCall", "snapshotDevice", "snapshotCallData", "snapshotDeviceData"}},
    {"callControlServList",
     {"acceptCall", "alternateCall", "answerCall", "callBack", "callBackMessage", "campOnCall",
      "clearCall", "clearConnection", "conferenceCall", "consultationCall", "deflectCall",
      "dialDigits", "directedPickupCall", "groupPickupCall", "holdCall", "intrudeCall", "joinCall",
      "makeCall", "makePredictiveCall", "parkCall", "reconnectCall", "retrieveCall", "sendMessage",
      "singleStepConference", "singleStepTransfer", "transferCall"}},
    {"callAssociatedServList",
     {"associateData", "cancelTelephonyTones", "changeConnectionInformation", "generateDigits",
      "generateTelephonyTones", "sendUserInformation"}},
    {"mediaServList", {"attachMediaService", "detachMediaService"}},
    {"routeingServList",
     {"routeRegister", "routeRegisterCancel", "routeRegisterAbort", "reRoute", "routeEnd",
      "routeReject", "routeRequest", "routeSelect", "routeUsed"}},
    {"physDevServList",
     {"buttonPress", "getAuditoryApparatusInfo", "getButtonInformation", "getDisplay",
      "getHookSwitchStatus", "getLampInfo", "getLampMode", "getMessageWaitingIndicator",
      "getMicrophoneGain", "getMicrophoneMute", "getRingerStatus", "getSpeakerMute",
      "getSpeakerVolume", "setButtonInformation", "setDisplay", "setHookSwitchStatus",
      "setLampMode", "setMessageWaitingIndicator", "setMicrophoneGain", "setMicrophoneMute",
      "setRingerStatus", "setSpeakerMute", "setSpeakerVolume"}},
    {"logicalServList",
     {"callBackNonCallRel", "callBackMsgNonCallRel", "cancelCallBack", "cancelCallBackMsg",
      "getAgentState", "getAutoAnswer", "getAutoWorkMode", "getCallerIDStatus", "getDoNotDisturb",
      "getForwarding", "getLastNumberDialed", "getRouteingMode", "setAgentState", "setAutoAnswer",
      "setAutoWorkMode", "setCallerIDStatus", "setDoNotDisturb", "setForwarding",
      "setRouteingMode"}},
    {"iOServicesServList",
     {"ioRegister", "ioRegisterAbort", "ioRegisterCancel", "dataPathResumed", "dataPathSuspended",
      "fastData", "resumeDataPath", "sendBroadcastData", "sendData", "sendMulticastData",
      "startDataPath", "stopDataPath", "suspendDataPath"}},
    {"dataCollectionServList",
     {"dataCollected", "dataCollectionResumed", "dataCollectionSuspended", "resumeDataCollection",
      "startDataCollection", "stopDataCollection", "suspendDataCollection"}},
    {"voiceServList",
     {"activate", "clear", "deactivate", "concatenateMsg", "deleteMsg", "queueService", "playMsg",
      "queryVoiceAttrib", "recordMsg", "reposition", "resume", "review", "start", "setVoiceAttrib",
      "stop", "suspend", "synthesizeMsg"}},
    {"cDRServList",
     {"cdrNotification", "cdrReport", "sendStoredCDRs", "startCDRTransmission",
      "stopCDRTransmission"}},
    {"vendorSpecificServList",
     {"escapeRegister", "escapeRegisterCancel", "escapeRegisterAbort", "escape",
      "privateDataVersionSelection"}},
};

// supportedEvents.
const std::vector<list> events = {
    {"callControlEvtsList",
     {"bridged", "callCleared", "conferenced", "connectionCleared", "delivered", "digitsDialed",
      "diverted", "established", "failed", "held", "netwCapsChanged", "netwReached", "offered",
      "originated", "queued", "retrieved", "serviceInitiated", "transferred"}},
    {"callAssociatedEvtsList",
     {"callInformation", "charging", "digitsGenerated", "telephonyTonesGenerated",
      "serviceCompletionFailure"}},
    {"mediaEvtsList", {"mediaAttached", "mediaDetached"}},
    {"physDevEvtsList",
     {"buttonInformation", "buttonPress", "displayUpdated", "hookswitch", "lampMode",
      "messageWaiting", "microphoneGain", "microphoneMute", "ringerStatus", "speakerMute",
      "speakerVolume"}},
    {"logicalEvtsList",
     {"agentBusy", "agentLoggedOff", "agentLoggedOn", "agentNotReady", "agentReady",
      "agentWorkingAfterCall", "autoAnswer", "autoWorkMode", "callBack", "callBackMessage",
      "callerIDStatus", "doNotDisturb", "forwarding", "routeingMode"}},
    {"deviceMaintEvtsList", {"backInService", "deviceCapsChanged", "outOfService", "partiallyInService"}},
    {"voiceEvtsList",
     {"bookmarkReached", "completed", "dtmfDetected", "emptied", "interruptionDetected",
      "notRecognized", "play", "recognized", "record", "reviewEvent", "started",
      "silenceTimeoutExpired", "speechDetected", "stopEvent", "suspendPlay", "suspendRecord",
      "voiceAttribChanged", "voiceErrorOccurred"}},
    {"vendorSpecificEvtsList", {"privateEvent"}},
};

}  // namespace

std::optional<std::size_t> capability_position(capability_kind kind, std::string_view list_name,
                                               std::string_view entry) {
  std::size_t position = 0;
  for (auto& [name, entries] : kind == capability_kind::service ? services : events) {
    if (name != list_name) {
      position += entries.size();
      continue;
    }
    for (auto e : entries) {
      if (e == entry)
        return position;
      ++position;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

namespace {

std::vector<std::pair<std::string, std::vector<std::string>>> ordered(capability_kind kind,
                                                                     const capability_list& in) {
  std::vector<std::pair<std::size_t, std::pair<std::string_view, std::string_view>>> known;
  for (auto& c : in)
    if (auto position = capability_position(kind, c.first, c.second))
      known.emplace_back(*position, c);
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (auto& [position, c] : known) {
    if (out.empty() || out.back().first != c.first)
      out.emplace_back(std::string{c.first}, std::vector<std::string>{});
    out.back().second.emplace_back(c.second);
  }
  return out;
}

}  // namespace

csta_features features_in_schema_order(const capability_list& services,
                                       const capability_list& events) {
  return {ordered(capability_kind::service, services), ordered(capability_kind::event, events)};
}

}  // namespace cstad::protocol
