package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job of delayed delivery: every poll interval, moves the delayed entries that are
 * due by the Redis server's clock from their topics' sorted sets to their streams, with one run of
 * {@link StreamScripts#MOVE_DUE}. The script is atomic, so an entry is moved exactly once however
 * many buses run a mover; a run that moved a full batch is followed at once, so a backlog drains
 * without waiting for the next tick. The layout of delayed entries is in docs/protocol.md.
 *
 * <p>Runs on the bus's timer thread; at most one run is in flight. Failures are logged once per
 * outage ({@link FailureLog}) and the next tick retries.
 */
final class DelayedEntryMover {

  private static final Logger LOG = LoggerFactory.getLogger(DelayedEntryMover.class);

  /** The most delayed entries one run of the mover script moves; a full run is followed at once. */
  private static final int MOVE_BATCH = 1000;

  private final BusResources resources;
  private final AtomicBoolean moving = new AtomicBoolean();
  private final FailureLog moveFailures =
      new FailureLog(LOG, "Moving due delayed entries to their streams");
  private final FailureLog stuckEntries =
      new FailureLog(LOG, "Adding due delayed entries to their streams");
  private final ScheduledFuture<?> schedule;

  /** Starts moving every {@link BusSettings#pollInterval()}. */
  DelayedEntryMover(BusResources resources) {
    this.resources = resources;
    this.schedule = resources.every(resources.settings.pollInterval(), this::moveDueEntries);
  }

  /** Stops the job; a run in flight finishes. */
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  private void moveDueEntries() {
    if (!moving.compareAndSet(false, true)) {
      return;
    }
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.MOVE_DUE.<List<Object>>run(
                    commands,
                    ScriptOutputType.MULTI,
                    new byte[][] {RedisKeys.DELAYED_TOPICS},
                    RedisKeys.utf8(RedisKeys.DELAYED_PREFIX),
                    RedisKeys.utf8(Integer.toString(MOVE_BATCH))))
        .whenComplete(
            (result, error) -> {
              moving.set(false);
              if (error != null) {
                if (!resources.isClosed()) {
                  moveFailures.failed(unwrapped(error));
                }
                return;
              }
              moveFailures.succeeded();
              long moved = (Long) result.get(0);
              long failed = (Long) result.get(1);
              if (failed > 0) {
                stuckEntries.failed(
                    new IllegalStateException(
                        failed
                            + " due delayed entries could not be added to their streams; is a"
                            + " topic's key something other than a stream?"));
              } else {
                stuckEntries.succeeded();
              }
              if (moved > 0 && moved + failed >= MOVE_BATCH) {
                resources.after(Duration.ZERO, this::moveDueEntries);
              }
            });
  }
}
