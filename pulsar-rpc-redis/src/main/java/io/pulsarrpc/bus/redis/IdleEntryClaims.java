package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.redis.RedisValues.asLong;
import static io.pulsarrpc.bus.redis.RedisValues.ascii;
import static io.pulsarrpc.bus.redis.RedisValues.text;
import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that takes over entries other consumers left behind: while receives wait, it
 * claims entries of the group that sat unrenewed for the claim idle time (their consumer crashed or
 * was cut off) or that a closing consumer released, with {@link StreamScripts#CLAIM} (XAUTOCLAIM,
 * walking the pending list with a cursor). Claimed entries are older than anything read since, so
 * they go to the receives first. Every claim idle time, the script also drops pending entries the
 * stream trimmed away, and the job warns that they were lost.
 *
 * <p>Scheduled every {@link BusSettings#claimScanInterval()} on the bus's timer thread, and again
 * at once after a full batch or a recovery that released entries. At most one claim is in flight,
 * and none while a {@linkplain LostReadRecovery recovery} is due or running: a recovery must not
 * mistake the entries of a claim in flight for lost ones. State is guarded by the consumer's lock.
 *
 * @param <T> the consumer's value type
 */
final class IdleEntryClaims<T> {

  private static final Logger LOG = LoggerFactory.getLogger(IdleEntryClaims.class);

  private final RedisBusConsumer<T> consumer;
  private final BusResources resources;
  private final FailureLog failures;
  // Guarded by the consumer's lock.
  private boolean claiming;
  private String cursor = "0-0";
  private long lastCleanupNanos = System.nanoTime();

  IdleEntryClaims(RedisBusConsumer<T> consumer, BusResources resources) {
    this.consumer = consumer;
    this.resources = resources;
    this.failures = new FailureLog(LOG, "Claiming idle entries for " + consumer.description());
  }

  /** Whether a claim is in flight. */
  boolean isClaimingLocked() {
    return claiming;
  }

  /** Starts the next claim from the head of the pending list: released entries may lie behind. */
  void rewindLocked() {
    cursor = "0-0";
  }

  /** Claims as many idle entries as receives wait for, unless a claim or recovery is under way. */
  void claim() {
    int count;
    String from;
    boolean cleanup;
    synchronized (consumer.lock()) {
      LostReadRecovery<T> recovery = consumer.recovery();
      if (consumer.isClosedLocked()
          || claiming
          || recovery.isRunningLocked()
          || recovery.isDueLocked()) {
        return;
      }
      int need = consumer.needLocked();
      if (need <= 0) {
        return;
      }
      claiming = true;
      count = Math.min(need, consumer.spec().receiverQueueSize());
      from = cursor;
      long now = System.nanoTime();
      cleanup = now - lastCleanupNanos >= resources.settings.claimIdleTime().toNanos();
      if (cleanup) {
        lastCleanupNanos = now;
      }
    }
    long claimIdleMillis = resources.settings.claimIdleTime().toMillis();
    ConsumerKeys keys = consumer.keys();
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.CLAIM.<List<Object>>run(
                    commands,
                    ScriptOutputType.MULTI,
                    new byte[][] {keys.stream()},
                    keys.group(),
                    keys.consumer(),
                    ascii(claimIdleMillis),
                    ascii(from),
                    ascii(count),
                    ascii(cleanup ? claimIdleMillis : 0)))
        .whenComplete((result, error) -> onClaimed(result, error, count));
  }

  @SuppressWarnings("unchecked")
  private void onClaimed(List<Object> result, Throwable error, int count) {
    if (error != null) {
      Throwable cause = unwrapped(error);
      RedisBusConsumer.Step next;
      synchronized (consumer.lock()) {
        claiming = false;
        // The claim may have taken entries before its answer was lost. A missing group is for the
        // read loop to repair.
        if (!SubscriptionMembership.isNoGroup(cause)) {
          consumer.recovery().markDueLocked();
        }
        next = consumer.nextStepLocked();
      }
      failures.failed(cause);
      consumer.take(next);
      return;
    }
    failures.succeeded();
    String next = text(result.get(0));
    List<Object> claimed = (List<Object>) result.get(1);
    long trimmed = asLong(result.get(2));
    if (trimmed > 0) {
      LOG.warn(
          "{} entries of {} were trimmed from the stream before they were acknowledged; raise"
              + " maxStreamLength if the subscription lags that far behind",
          trimmed,
          consumer.description());
    }
    List<Runnable> completions = new ArrayList<>();
    List<String> late = new ArrayList<>();
    boolean more = false;
    RedisBusConsumer.Step step = RedisBusConsumer.Step.NONE;
    synchronized (consumer.lock()) {
      claiming = false;
      cursor = next;
      List<RedisIncomingMessage<T>> messages = new ArrayList<>();
      for (Object entry : claimed) {
        messages.add(consumer.claimedMessage((List<Object>) entry));
      }
      if (consumer.isClosedLocked()) {
        messages.forEach(message -> late.add(message.id().toString()));
      } else {
        consumer.putFirstLocked(messages, true, completions);
        more = messages.size() == count && consumer.needLocked() > 0;
        step = consumer.nextStepLocked();
      }
    }
    if (!late.isEmpty()) {
      consumer.release(late);
    }
    resources.complete(completions);
    consumer.take(step);
    if (more) {
      resources.after(Duration.ZERO, this::claim);
    }
  }
}
