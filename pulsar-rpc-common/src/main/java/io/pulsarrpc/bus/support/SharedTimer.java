package io.pulsarrpc.bus.support;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's one timer: call deadlines, retry back-off, requests held until their delivery time, and
 * any other wait for a time in the RPC engine. One daemon thread, {@code pulsar-rpc-timer-1},
 * started on first use and shared by every client and server of the JVM, so that the number of
 * threads does not grow with the number of clients; it never keeps the JVM alive.
 *
 * <p>A task runs on the timer thread, so it must be short and never block: complete a future, or
 * hand the work on with {@link #delayedExecutor}. Cancelled tasks leave the queue at once. A task
 * that throws is logged and does not stop the timer.
 *
 * <p>Bus adapters whose timers must stop with the bus, or that complete receives on a thread of
 * their own, keep their own executor built with {@link DaemonThreadFactory}.
 */
public final class SharedTimer {

  private static final Logger LOG = LoggerFactory.getLogger(SharedTimer.class);

  private SharedTimer() {}

  /**
   * Runs {@code task} on the timer thread after {@code delay}.
   *
   * @return cancels the task
   */
  public static ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return Holder.TIMER.schedule(logged(task), delay, unit);
  }

  /**
   * Runs {@code task} on the timer thread every {@code period}, the first time after {@code
   * initialDelay}, until cancelled; a run that throws is logged and the next runs as planned.
   *
   * @return cancels the task
   */
  public static ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long initialDelay, long period, TimeUnit unit) {
    return Holder.TIMER.scheduleAtFixedRate(logged(task), initialDelay, period, unit);
  }

  /**
   * An executor that runs each task on {@code executor} after {@code delay}: the timer thread only
   * hands it over. When {@code executor} refuses the task, it runs on the timer thread.
   */
  public static Executor delayedExecutor(long delay, TimeUnit unit, Executor executor) {
    return task ->
        schedule(
            () -> {
              try {
                executor.execute(task);
              } catch (RejectedExecutionException e) {
                task.run();
              }
            },
            delay,
            unit);
  }

  private static Runnable logged(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("A timed task failed", e);
      }
    };
  }

  /** Starts the thread on first use only. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor TIMER = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("pulsar-rpc-timer"));
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }
}
