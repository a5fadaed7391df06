package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.redis.RedisValues.ascii;
import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redelivers negatively acknowledged entries: after the bus's negative-ack delay, the entry is
 * claimed again by its own consumer ({@link StreamScripts#REDELIVER}, an XCLAIM that raises its
 * delivery count) and handed to the next receive, ahead of new entries. The consumer keeps holding
 * the entry meanwhile, so its heartbeat keeps other consumers from claiming it; if the consumer
 * closes first, closing releases it to the others.
 *
 * <p>Runs on the bus's timer thread and Lettuce's threads; state is the consumer's, under its lock.
 *
 * @param <T> the consumer's value type
 */
final class NegativeAckRedelivery<T> {

  private static final Logger LOG = LoggerFactory.getLogger(NegativeAckRedelivery.class);

  private final RedisBusConsumer<T> consumer;
  private final BusResources resources;

  NegativeAckRedelivery(RedisBusConsumer<T> consumer, BusResources resources) {
    this.consumer = consumer;
    this.resources = resources;
  }

  /** Schedules the redelivery of entry {@code id}, unless the consumer no longer holds it. */
  void schedule(String id) {
    if (!consumer.holds(id)) {
      return;
    }
    resources.after(resources.settings.negativeAckRedeliveryDelay(), () -> redeliver(id));
  }

  private void redeliver(String id) {
    if (!consumer.holds(id)) {
      return;
    }
    ConsumerKeys keys = consumer.keys();
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.REDELIVER.<List<Object>>run(
                    commands,
                    ScriptOutputType.MULTI,
                    new byte[][] {keys.stream()},
                    keys.group(),
                    keys.consumer(),
                    ascii(id)))
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                // Held and renewed, the entry would otherwise never come back: try again.
                LOG.warn(
                    "Redelivering entry {} to {} failed; trying again: {}",
                    id,
                    consumer.description(),
                    unwrapped(error).toString());
                resources.after(BusSettings.RETRY_DELAY, () -> redeliver(id));
                return;
              }
              List<Runnable> completions = new ArrayList<>();
              boolean late = false;
              synchronized (consumer.lock()) {
                if (result.isEmpty()) {
                  // Acknowledged meanwhile, or claimed by another consumer, or trimmed.
                  consumer.forgetLocked(id);
                  return;
                }
                RedisIncomingMessage<T> message = consumer.claimedMessage(result);
                if (consumer.isClosedLocked()) {
                  late = true;
                } else {
                  // Still held: the consumer never let go of it.
                  consumer.putFirstLocked(List.of(message), false, completions);
                }
              }
              if (late) {
                consumer.release(List.of(id));
              } else {
                resources.complete(completions);
              }
            });
  }
}
