package io.pulsarrpc.bus.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a close that Lettuce completes (a connection's close, a client's shutdown), given a
 * bound, so that the close of a consumer or of the bus goes on even when Lettuce never completes
 * the step: for example when its I/O threads do not run. A step that runs past its bound is logged
 * with what it was, and the close goes on without it.
 *
 * <p>Guarantees: the returned future completes with the step's own outcome when the step completes
 * within the bound, and normally once the bound has passed otherwise. The step's own future is
 * never completed or changed here.
 *
 * <p>Threads: the returned future completes on the thread that completes the step, or, past the
 * bound, on a thread of the JDK's default executor for asynchronous steps. Stateless.
 */
final class CloseStep {

  private static final Logger LOG = LoggerFactory.getLogger(CloseStep.class);

  private CloseStep() {}

  /**
   * {@code step}, bounded by {@code bound}.
   *
   * @param what the step, for the log: "the shared connection's close of RedisMessageBus"
   */
  static CompletableFuture<Void> within(Duration bound, String what, CompletableFuture<?> step) {
    // A dependent future: completing it past the bound leaves the step's own future alone.
    CompletableFuture<Void> bounded = step.thenApply(ignored -> null);
    CompletableFuture.delayedExecutor(bound.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (bounded.complete(null)) {
                LOG.warn(
                    "{} did not complete within {} ms; the close goes on without it",
                    what,
                    bound.toMillis());
              }
            });
    return bounded;
  }
}
