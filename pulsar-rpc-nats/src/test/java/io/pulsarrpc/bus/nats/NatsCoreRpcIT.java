package io.pulsarrpc.bus.nats;

import io.pulsarrpc.testkit.NatsTestServer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on the NATS bus in core mode, against a real nats-server. The behaviours
 * that need what core NATS does not have are skipped here, each with the reason: delayed delivery
 * (scheduled calls), and durability (a request published while no server listens is not kept for a
 * later one: the send fails with NATS's "no responders" instead).
 */
class NatsCoreRpcIT extends NatsRpcIT {

  private static final String NO_DELAYED_DELIVERY =
      "core NATS has no delayed delivery (supportsDelayedDelivery() is false)";
  private static final String NOT_DURABLE =
      "core NATS keeps no request for a server that is not there: the send fails at once with"
          + " no responders, where the behaviour expects the request to wait until its deadline";

  NatsCoreRpcIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  NatsMessageBus newBus(String url) {
    return NatsMessageBus.builder().url(url).mode(NatsMode.CORE).build();
  }

  @Test
  @Disabled(NOT_DURABLE)
  @Override
  public void aRequestWhoseDeadlinePassedBeforeItArrivedIsAcknowledgedWithoutCallingTheHandler() {}

  @Test
  @Disabled(NOT_DURABLE)
  @Override
  public void closingTheServerLetsRequestsInFlightFinishAndTakesNoMore() {}

  @Test
  @Disabled(NOT_DURABLE + " (here the call it holds pending may fail first, with no responders)")
  @Override
  public void closingTheClientFailsPendingCallsAndLaterCallsFailAtOnce() {}

  @Test
  @Disabled(NOT_DURABLE + " (here the calls it holds pending fail at once)")
  @Override
  public void aClientBeyondItsPendingBoundRefusesCallsAsResourceExhausted() {}

  @Test
  @Disabled(NOT_DURABLE + " (NatsCoreModeIT checks the call's send error)")
  @Override
  public void theClientFailsACallAtItsDeadlineAndCallsOnTimeoutOnce() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void
      aClientRestartedOnTheSameReplySubscriptionGetsTheScheduledAndLateRepliesOfItsEarlierRun() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void aScheduledCallRunsNoEarlierThanItsTimeAndTheReplyEchoesIt() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void deadlinesOfScheduledCallsCountFromTheirDeliveryTime() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void aScheduledCallsContextCarriesItsDeliveryTime() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void aScheduledCallTimesOutAtItsDeliveryTimePlusTheTimeout() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void aReplyToARemovedScheduledCallStillReachesTheCallbackAndIsAcknowledged() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void scheduledAndImmediateCallsMixOnOneTopic() {}

  @Test
  @Disabled(NO_DELAYED_DELIVERY)
  @Override
  public void aThousandScheduledCallsAllCompleteOnceAndNoneEarly() {}
}
