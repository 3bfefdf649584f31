#pragma once
// ECMA-269 EventCause: the 113 values of ECMA-323 ed3 plus the 7 that ed6 adds, spelled as on
// the wire. Generated from the list in protocol.md section 9.

#include <optional>
#include <string_view>

namespace cstad::protocol {

#define CSTAD_EVENT_CAUSES(X) \
  X(aCDBusy) \
  X(aCDForward) \
  X(aCDSaturated) \
  X(activation) \
  X(activeParticipation) \
  X(alertTimeExpired) \
  X(alternate) \
  X(autoWork) \
  X(babble) \
  X(badAttribute) \
  X(badGrammar) \
  X(badURI) \
  X(badVoice) \
  X(blocked) \
  X(busy) \
  X(busyOverflow) \
  X(calendarOverflow) \
  X(callBack) \
  X(callCancelled) \
  X(callForward) \
  X(callForwardImmediate) \
  X(callForwardBusy) \
  X(callForwardNoAnswer) \
  X(callNotAnswered) \
  X(callPickup) \
  X(campOn) \
  X(campOnTrunks) \
  X(capacityOverflow) \
  X(characterCountReached) \
  X(conference) \
  X(consultation) \
  X(destDetected) \
  X(destNotObtainable) \
  X(destOutOfOrder) \
  X(distributed) \
  X(distributionDelay) \
  X(doNotDisturb) \
  X(dTMFDigitDetected) \
  X(duplicateDTMF) \
  X(durationExceeded) \
  X(earlyStop) \
  X(emptyQueue) \
  X(endOfMessageDetected) \
  X(enteringDistribution) \
  X(forcedPause) \
  X(forcedTransition) \
  X(incompatibleDestination) \
  X(interdigitTimeout) \
  X(intrude) \
  X(invalidAccountCode) \
  X(invalidConnection) \
  X(invalidConnectionState) \
  X(invalidNumberFormat) \
  X(joinCall) \
  X(keyOperation) \
  X(keyOperationInUse) \
  X(lockout) \
  X(maintenance) \
  X(makeCall) \
  X(makePredictiveCall) \
  X(maxTimeout) \
  X(messageDurationExceeded) \
  X(messageSizeExceeded) \
  X(multipleAlerting) \
  X(multipleQueuing) \
  X(networkCongestion) \
  X(networkDialling) \
  X(networkNotObtainable) \
  X(networkOutOfOrder) \
  X(networkSignal) \
  X(newCall) \
  X(nextMessage) \
  X(noAvailableAgents) \
  X(normal) \
  X(normalClearing) \
  X(noAudioSaved) \
  X(noQueue) \
  X(noRule) \
  X(noSpeechDetected) \
  X(notAvailableBearerService) \
  X(notSupportedBearerService) \
  X(numberChanged) \
  X(numberUnallocated) \
  X(outOfGrammar) \
  X(overflow) \
  X(override) \
  X(park) \
  X(pathReplacement) \
  X(queueCleared) \
  X(queueTimeOverflow) \
  X(recall) \
  X(recallBusy) \
  X(recallForwarded) \
  X(recallNoAnswer) \
  X(recallResourcesNotAvailable) \
  X(redirected) \
  X(remainsInQueue) \
  X(reorderTone) \
  X(reserved) \
  X(resourcesNotAvailable) \
  X(selectedTrunkBusy) \
  X(silentParticipation) \
  X(singleStepConference) \
  X(singleStepTransfer) \
  X(speechDetected) \
  X(suspend) \
  X(switchingFunctionTerminated) \
  X(terminationCharacterReceived) \
  X(timeout) \
  X(transfer) \
  X(trunksBusy) \
  X(unauthorisedBearerService) \
  X(unknownOverflow) \
  X(callInterception) \
  X(callInterceptionBusy) \
  X(callInterceptionForwarded) \
  X(callInterceptionNoAnswer) \
  X(callInterceptionResourcesNotAvailable) \
  X(lawfulInterception) \
  X(makeConnection)

enum class event_cause : unsigned char {
#define CSTAD_X(name) name,
  CSTAD_EVENT_CAUSES(CSTAD_X)
#undef CSTAD_X
};

std::string_view to_string(event_cause c);
std::optional<event_cause> parse_event_cause(std::string_view text);

}  // namespace cstad::protocol
