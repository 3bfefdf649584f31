#include "protocol/csta_error.hpp"

#include <array>
#include <string_view>
#include <vector>

// Every value of every CSTAErrorCode category, ECMA-323 ed3 plus ed6's additions, spelled as the
// schema spells them (misspellings such as ringVolumnOutOfRange included). Generated from the
// lists in protocol.md section 9.

namespace cstad::protocol {

const std::vector<std::string_view>& error_values(error_category c) {
  static const std::vector<std::string_view> operation = {
      "generic", "atLeastOneConditionalParameterNotProvided", "featureAlreadySet", "invalidMsgID",
      "invalidParameterValue", "invalidAccountCode", "invalidAgentGroup",
      "invalidAgentIdentifier", "invalidAgentPassword", "invalidAgentState", "invalidAlertTime",
      "invalidAllocationState", "invalidAuthCode", "invalidAutoAnswer", "invalidBitRate",
      "invalidButtonIdentifier", "invalidCallType", "invalidConnectionRate",
      "invalidConsultPurpose", "invalidCorrelatorData", "invalidCrossRefID",
      "invalidDelayTolerance", "invalidDestination", "invalidDestinationDetect",
      "invalidDoNotDisturb", "invalidEscapeCrossRefID", "invalidFeature", "invalidFile",
      "invalidFlowDirection", "invalidForwardingDestination", "invalidForwardingFlag",
      "invalidForwardingType", "invalidHookswitchType", "invalidHookswitchComponent",
      "invalidLampMode", "invalidLampID", "invalidMessageWaitingSetting", "invalidMicrophoneGain",
      "invalidMicrophoneMute", "invalidMonitorCrossRefID", "invalidMonitorFilter",
      "invalidMonitorObject", "invalidMonitorType", "invalidNumberOFChannels",
      "invalidParticipationType", "invalidRemainRetry", "invalidRingCount", "invalidRingPattern",
      "invalidRingVolume", "invalidRouteingAlgorithm", "invalidRouteingCrossRefID",
      "invalidRouteRegistrationCrossRefID", "invalidSpeakerVolume", "invalidSpeakerMute",
      "invalidSwitchingSubdomainCharsType", "invalidObjectType", "invalidActiveCallObject",
      "invalidCalledDeviceObjectType", "invalidCallingDeviceObjectType",
      "invalidCallToBePickedUpObjectType", "invalidCallToDivertObjectType",
      "invalidCallToParkObjectType", "invalidDestinationDeviceObject", "invalidHeldCallObject",
      "invalidMonitorObjectType", "invalidParkToObjectType", "messageIDRequired",
      "notDifferentDevices", "notSameDevice", "objectNotKnown", "invalidCallID",
      "invalidActiveCallID", "invalidHeldCallID", "invalidConnectionID",
      "invalidActiveConnectionID", "invalidHeldConnectionID", "invalidDeviceID",
      "invalidActiveDeviceID", "invalidCalledDeviceID", "invalidCallingDeviceID",
      "invalidCallToParkDeviceID", "invalidDestinationDeviceID", "invalidDivertingDeviceID",
      "invalidHeldDeviceID", "invalidParkToDeviceID", "invalidPickUpDeviceID",
      "parameterNotSupported", "accountCodeNotSupported", "agentGroupNotSupported",
      "agentPasswordNotSupported", "agentStateNotSupported", "alertTimeNotSupported",
      "allocationNotSupported", "authorisationCodeNotSupported", "autoAnswerNotSupported",
      "bitRateNotSupported", "buttonNotSupported", "callTypeNotSupported",
      "charactersToSendNotSupported", "connectionRateNotSupported",
      "connectionReservationNotSupported", "consultPurposeNotSupported",
      "correlatorDataNotSupported", "delayToleranceNotSupported", "destinationDetectNotSupported",
      "digitModeNotSupported", "errorValueNotSupported", "flowDirectionNotSupported",
      "forwardingDestinationNotSupported", "lampNotSupported", "monitorTypeNotSupported",
      "numberOfChannelsNotSupported", "parameterTypeNotSupported", "priorityNotSupported",
      "privateDataNotSupported", "pulseDurationNotSupported", "pulseRateNotSupported",
      "remainRetryNotSupported", "ringCountNotSupported", "routeUsedNotSupported",
      "securityNotSupported", "swSubdomainCCIETypeNotSupported", "toneDurationNotSupported",
      "sysStatRegIDNotSupported", "userDataNotSupported", "privilegeViolationSpecifiedDevice",
      "privilegeViolationActiveDevice", "privilegeViolationCalledDevice",
      "privilegeViolationCallingDevice", "privilegeViolationCallToParkDevice",
      "privilegeViolationDestinationDevice", "privilegeViolationOnDivertingDevice",
      "privilegeViolationHeldDevice", "privilegeViolationOnParkToDevice",
      "privilegeViolationPickUpDevice", "routeingTimerExpired", "requestIncompatibleWithObject",
      "requestIncompatibleWithConnection", "requestIncompatibleWithActiveConnection",
      "requestIncompatibleWithHeldConnection", "requestIncompatibleWithDevice",
      "requestIncompatibleWithCalledDevice", "requestIncompatibleWithCallingDevice",
      "requestIncompatibleWithSubjectDevice", "requestIncompatibleWithActiveDevice",
      "requestIncompatibleWithCallToParkDevice", "requestIncompatibleWithDestinationDevice",
      "requestIncompatibleWithDivertingDevice", "requestIncompatibleWithHeldDevice",
      "requestIncompatibleWithMedia", "requestIncompatibleWithParkToDevice",
      "requestIncompatibleWithPickupDevice", "serviceNotSupported", "securityViolation",
      "valueOutOfRange", "agentStateOutOfRange", "alertTimeOutOfRange", "allocationOutOfRange",
      "autoAnswerOutOfRange", "bitRateOutOfRange", "callTypeOutOfRange",
      "connectionRateOutOfRange", "connectionReservoationOutOfRange", "consultPurposeOutOfRange",
      "correlatorDataOutOfRange", "delayToleranceOutOfRange", "destinationDetectOutOfRange",
      "digitModeOutOfRange", "doNotDisturbOutOfRange", "flowDirectionOutOfRange",
      "forwardingFlagOutOfRange", "forwardingTypeOutOfRange", "hookswitchComponentOutOfRange",
      "hookswitchTypeOutOfRange", "lampModeOutOfRange", "messageWaitingSettingOutOfRange",
      "micGainOutOfRange", "micMuteOutOfRange", "monitorTypeOutOfRange",
      "numberOfChannelsOutOfRange", "participationTypeOutOfRange", "pulseDurationOutOfRange",
      "pulseRateOutOfRange", "ringCountOutOfRange", "ringPatternOutOfRange",
      "ringVolumnOutOfRange", "routeingAlgorithmOutOfRange", "speakerMuteOutOfRange",
      "speakerVolumeOutOfRange", "switchingCcittTypeOutOfRange", "systemStatusOutOfRange",
      "toneCharacterOutOfRange", "toneDurationOutOfRange",
  };
  static const std::vector<std::string_view> stateincompatibility = {
      "generic", "invalidObjectState", "invalidDeviceState", "connectedCallExists",
      "invalidActiveDeviceState", "invalidCalledDeviceState", "invalidCallingDeviceState",
      "invalidCallToParkDeviceState", "invalidDestinationDeviceState",
      "invalidDivertingDeviceState", "invalidHeldDeviceState", "invalidParkToDeviceState",
      "invalidConnectionState", "invalidActiveConnectionState",
      "invalidConnectionIDForActiveCall", "invalidHeldConnectionState", "noActiveCall",
      "noCallToAnswer", "noCallToClear", "noCallToComplete", "noConnectionToClear", "noHeldCall",
      "incorrectMsgState", "beginningOfMsg", "endOfMsg", "msgSuspended", "notAbleToPlay",
      "notAbleToResume",
  };
  static const std::vector<std::string_view> systemresourceavailibility = {
      "generic", "resourceBusy", "internalResourceBusy", "classifierBusy",
      "noMediaChannelsAvailable", "channelsInUseForBridgedDevices", "channelsInUseForData",
      "toneDetectorBusy", "toneGeneratorBusy", "networkBusy", "resourceOutOfService",
      "deviceOutOfService", "activeDeviceOutOfService", "calledDeviceOutOfService",
      "callingDeviceOutOfService", "callToParkDeviceOutOfService",
      "destinationDeviceOutOfService", "divertingDeviceOutOfService", "heldDeviceOutOfService",
      "parkToDeviceOutOfService", "pickupDeviceOutOfService", "networkOutOfService",
      "otherResourceOutOfService", "resourceLimitExceeded", "overallMonitorLimitExceeded",
      "conferenceMemberLimitExceeded", "registrationLimitExceeded",
      "conferenceResourceCannotBeSatisfied", "maxDevicesExceeded", "startTimeOutOfRange",
      "durationExceeded",
  };
  static const std::vector<std::string_view> subscribedresourceavailability = {
      "generic", "objectMonitorLimitExceeded", "trunkLimitExceeded",
      "outstandingReqLimitExceeded", "objectRegistrationLimitExceeded",
  };
  static const std::vector<std::string_view> performancemanagement = {
      "generic", "performanceLimitExceeded",
  };
  static const std::vector<std::string_view> security = {
      "generic", "sequenceNumberViolated", "timeStampViolated", "securityInfoViolated",
  };
  static const std::vector<std::string_view> privatedata = {
      "cSTAPrivateDataInfoError",
  };
  static const std::vector<std::string_view> none = {};
  switch (c) {
    case error_category::operation: return operation;
    case error_category::state_incompatibility: return stateincompatibility;
    case error_category::system_resource_availability: return systemresourceavailibility;
    case error_category::subscribed_resource_availability: return subscribedresourceavailability;
    case error_category::performance_management: return performancemanagement;
    case error_category::security: return security;
    case error_category::private_data: return privatedata;
    case error_category::private_error_code:
    case error_category::unspecified: return none;
  }
  return none;
}

}  // namespace cstad::protocol
