package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that trims acknowledged entries: every {@link BusSettings#TRIM_INTERVAL}, each
 * stream the bus uses loses the temporary groups whose consumer died (their lease ran out), and is
 * trimmed, with {@link StreamScripts#TRIM_ACKNOWLEDGED}, up to the oldest entry some group still
 * needs (its oldest pending entry, or the first it has not read). Redis keeps acknowledged entries
 * until a stream is trimmed; this removes what every subscription has acknowledged, as Pulsar does
 * without retention. A stream without groups is left alone. (The other bound, {@code MAXLEN ~} on
 * every XADD, is the producer's.)
 *
 * <p>Runs on the bus's timer thread; at most one run is in flight. Failures are logged once per
 * outage and the next tick retries.
 */
final class StreamTrimmer {

  private static final Logger LOG = LoggerFactory.getLogger(StreamTrimmer.class);

  private final BusResources resources;
  private final Supplier<List<String>> topicsInUse;
  private final AtomicBoolean trimming = new AtomicBoolean();
  private final FailureLog trimFailures =
      new FailureLog(LOG, "Trimming acknowledged entries from streams");
  private final ScheduledFuture<?> schedule;

  /**
   * Starts trimming.
   *
   * @param topicsInUse the topics of the bus's open producers and consumers, asked at each run
   */
  StreamTrimmer(BusResources resources, Supplier<List<String>> topicsInUse) {
    this.resources = resources;
    this.topicsInUse = topicsInUse;
    this.schedule = resources.every(BusSettings.TRIM_INTERVAL, this::trimAcknowledged);
  }

  /** Stops the job; a run in flight finishes. */
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  private void trimAcknowledged() {
    List<String> topics = topicsInUse.get();
    if (topics.isEmpty() || !trimming.compareAndSet(false, true)) {
      return;
    }
    resources
        .commands()
        .thenCompose(
            commands ->
                CompletableFuture.allOf(
                    topics.stream()
                        .map(
                            topic ->
                                StreamScripts.TRIM_ACKNOWLEDGED.run(
                                    commands,
                                    ScriptOutputType.INTEGER,
                                    new byte[][] {
                                      RedisKeys.stream(topic), RedisKeys.temporaryGroups(topic)
                                    },
                                    RedisKeys.utf8(RedisKeys.membersPrefix(topic))))
                        .toArray(CompletableFuture[]::new)))
        .whenComplete(
            (ignored, error) -> {
              trimming.set(false);
              if (error != null) {
                if (!resources.isClosed()) {
                  trimFailures.failed(unwrapped(error));
                }
              } else {
                trimFailures.succeeded();
              }
            });
  }
}
