package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.support.Failures.unwrapped;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that keeps a consumer's place: every {@link BusSettings#heartbeatInterval()},
 * renews the consumer's lease in its subscription's members and resets the idle time of every entry
 * it holds, so that the entries of a live but slow consumer are never claimed by another; only a
 * consumer that stopped (crashed, or cut off from Redis) loses them. A consumer whose lease ran out
 * and whose place was taken meanwhile (an exclusive subscription that accepted another consumer) is
 * closed, since two exclusive consumers must not both go on.
 *
 * <p>Runs on the bus's timer thread; failures are logged once per outage, and the next beat
 * retries.
 */
final class ConsumerHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerHeartbeat.class);

  private final RedisBusConsumer<?> consumer;
  private final BusResources resources;
  private final FailureLog failures;

  ConsumerHeartbeat(RedisBusConsumer<?> consumer, BusResources resources) {
    this.consumer = consumer;
    this.resources = resources;
    this.failures = new FailureLog(LOG, "The heartbeat of " + consumer.description());
  }

  /** One beat; scheduled by the consumer. */
  void beat() {
    List<String> ids = consumer.heldIds();
    if (ids == null) {
      return;
    }
    ConsumerKeys keys = consumer.keys();
    resources
        .commands()
        .thenCompose(
            commands ->
                SubscriptionMembership.renew(
                    commands, keys, resources.settings.consumerLease(), ids))
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                failures.failed(unwrapped(error));
                return;
              }
              failures.succeeded();
              if (!SubscriptionMembership.isMember(result)) {
                String reason =
                    consumer.description()
                        + " lost its place: its lease ran out (no heartbeat for "
                        + resources.settings.consumerLease()
                        + ") and meanwhile "
                        + SubscriptionMembership.refusal(consumer.spec(), result);
                LOG.warn("{}; closing it", reason);
                consumer.close(reason);
              }
            });
  }
}
