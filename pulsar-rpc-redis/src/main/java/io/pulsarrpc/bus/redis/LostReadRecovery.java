package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers the entries whose answer was lost: Redis handed them to a read or claim of this consumer
 * and recorded them in its pending list, then the connection broke before the answer arrived.
 * Nothing in memory knows them, so nobody would renew or deliver them until another consumer claims
 * them after the claim idle time. After the consumer's reading connection reconnected, or a read or
 * claim failed, the recovery lists the consumer's own pending entries (XPENDING, a page at a time,
 * which changes nothing) and releases those the consumer does not hold, so that they are claimed at
 * once, by it or another consumer.
 *
 * <p>Invariants, which keep an entry from being handed over twice: a recovery runs only while no
 * read or claim of the consumer is in flight (entries such a command took are in the pending list
 * before its answer is processed); an entry whose XACK is in flight counts as held; and the
 * delivery count of entries the consumer holds is not touched (an XREADGROUP of the history with id
 * 0 would raise the count of every entry it returns). A new consumer has an empty pending list, so
 * none runs at start.
 *
 * <p>The consumer decides when one runs ({@link RedisBusConsumer#nextStepLocked()}); the pages run
 * on Lettuce's threads and the bus's timer thread. State is guarded by the consumer's lock.
 *
 * @param <T> the consumer's value type
 */
final class LostReadRecovery<T> {

  private static final Logger LOG = LoggerFactory.getLogger(LostReadRecovery.class);

  /** How many of its pending entries a recovering consumer lists at once. */
  private static final int PAGE = 100;

  private final RedisBusConsumer<T> consumer;
  private final BusResources resources;
  private final FailureLog failures;
  // Guarded by the consumer's lock. A recovery is running; reads and claims wait for it.
  private boolean running;
  // Guarded by the consumer's lock. A recovery should run as soon as no read or claim is in flight.
  private boolean due;

  LostReadRecovery(RedisBusConsumer<T> consumer, BusResources resources) {
    this.consumer = consumer;
    this.resources = resources;
    this.failures =
        new FailureLog(
            LOG, "Recovering the entries whose answer " + consumer.description() + " lost");
  }

  boolean isRunningLocked() {
    return running;
  }

  boolean isDueLocked() {
    return due;
  }

  /** A read or claim may have lost its answer: recover when nothing else is in flight. */
  void markDueLocked() {
    due = true;
  }

  /** Marks the recovery as running; the caller then calls {@link #run()}. */
  void startLocked() {
    due = false;
    running = true;
  }

  /** Lists the consumer's pending entries from the start, a page at a time. */
  void run() {
    recoverPage(Range.Boundary.unbounded(), 0);
  }

  private void recoverPage(Range.Boundary<String> start, long releasedSoFar) {
    synchronized (consumer.lock()) {
      if (consumer.isClosedLocked()) {
        running = false;
        return;
      }
    }
    ConsumerKeys keys = consumer.keys();
    resources
        .commands()
        .thenCompose(
            commands ->
                commands.xpending(
                    keys.stream(),
                    io.lettuce.core.Consumer.from(keys.group(), keys.consumer()),
                    Range.from(start, Range.Boundary.unbounded()),
                    Limit.from(PAGE)))
        .thenCompose(
            pending -> {
              List<String> lost = new ArrayList<>();
              synchronized (consumer.lock()) {
                if (consumer.isClosedLocked()) {
                  // Closing releases every pending entry anyway.
                  return CompletableFuture.completedFuture(null);
                }
                for (PendingMessage entry : pending) {
                  if (!consumer.knowsLocked(entry.getId())) {
                    lost.add(entry.getId());
                  }
                }
              }
              CompletableFuture<Long> released =
                  lost.isEmpty() ? CompletableFuture.completedFuture(0L) : consumer.release(lost);
              return released.thenApply(
                  count -> {
                    long total = releasedSoFar + count;
                    if (pending.size() < PAGE) {
                      return total;
                    }
                    String last = pending.get(pending.size() - 1).getId();
                    resources.after(
                        Duration.ZERO, () -> recoverPage(Range.Boundary.excluding(last), total));
                    return (Long) null;
                  });
            })
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                onFailed(unwrapped(error));
              } else if (released != null) {
                onRecovered(released);
              }
            });
  }

  private void onRecovered(long released) {
    failures.succeeded();
    RedisBusConsumer.Step next;
    synchronized (consumer.lock()) {
      running = false;
      if (released > 0) {
        consumer.claims().rewindLocked();
      }
      next = consumer.nextStepLocked();
    }
    if (released > 0) {
      LOG.info(
          "{}: {} entries Redis had handed to it, but whose answer was lost with the connection,"
              + " are released to be claimed at once",
          consumer.description(),
          released);
      resources.after(Duration.ZERO, consumer.claims()::claim);
    }
    consumer.take(next);
  }

  private void onFailed(Throwable cause) {
    boolean noGroup = SubscriptionMembership.isNoGroup(cause);
    synchronized (consumer.lock()) {
      running = false;
      // Without its group the consumer has no pending entries; the read loop creates it again.
      due = !noGroup;
    }
    if (noGroup) {
      consumer.resume();
      return;
    }
    failures.failed(cause);
    consumer.retryReadLater();
  }
}
