package io.pulsarrpc.bus.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.bus.support.OpenResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the producers and consumers of one bus share: the settings, the Redis client, one connection
 * for every non-blocking command (Lettuce pipelines it, so one is enough), and the bus's threads:
 *
 * <ul>
 *   <li>the <b>timer</b> thread runs the periodic tasks (mover, heartbeats, claims, trimming); they
 *       only issue asynchronous commands, so it never waits on Redis;
 *   <li>the <b>delivery</b> thread completes receive futures, so that user callbacks never run on a
 *       Lettuce event-loop thread nor hold up the timers;
 *   <li>the <b>connect</b> threads run Lettuce's blocking {@code connect()}, which is the only way
 *       to connect with the URI a user's own {@link RedisClient} was created with.
 * </ul>
 */
final class BusResources {

  private static final Logger LOG = LoggerFactory.getLogger(BusResources.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  final BusSettings settings;
  private final OpenResources open;
  private final String threadNamePrefix;
  private final RedisClient client;
  private final boolean ownsClient;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService deliveries;
  private final ThreadPoolExecutor connector;

  private final Object lock = new Object();
  // Guarded by lock. The shared command connection, connected on first use; replaced after a
  // failed attempt. Once connected, Lettuce reconnects it by itself.
  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> commands;
  private boolean closed; // guarded by lock

  /**
   * @param open the bus's producers and consumers; names the bus in "bus closed" errors
   */
  BusResources(BusSettings settings, RedisClient client, boolean ownsClient, OpenResources open) {
    this.settings = settings;
    this.open = open;
    this.client = client;
    this.ownsClient = ownsClient;
    String name = "pulsar-rpc-redis-bus-" + INSTANCES.incrementAndGet();
    this.threadNamePrefix = name + "-";
    this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory(name + "-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.deliveries =
        Executors.newSingleThreadExecutor(new DaemonThreadFactory(name + "-delivery"));
    this.connector =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new DaemonThreadFactory(name + "-connect"));
    this.connector.allowCoreThreadTimeOut(true);
  }

  RedisClient client() {
    return client;
  }

  /** What the names of this bus's threads start with; for tests. */
  String threadNamePrefix() {
    return threadNamePrefix;
  }

  /**
   * The shared connection's commands; fails once the bus is closed or when Redis is unreachable.
   */
  CompletableFuture<RedisAsyncCommands<byte[], byte[]>> commands() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    synchronized (lock) {
      if (closed) {
        return open.failedClosed();
      }
      if (commands == null || commands.isCompletedExceptionally()) {
        commands = connect();
      }
      connection = commands;
    }
    return connection.thenApply(StatefulRedisConnection::async);
  }

  /**
   * A new connection, for a consumer's blocking reads. A connection that arrives after the bus
   * closed is closed and the future fails.
   */
  CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connecting;
    try {
      connecting =
          CompletableFuture.supplyAsync(() -> client.connect(ByteArrayCodec.INSTANCE), connector);
    } catch (RejectedExecutionException e) {
      return open.failedClosed();
    }
    return connecting.thenCompose(
        connection -> {
          boolean late;
          synchronized (lock) {
            late = closed;
          }
          if (late) {
            return connection
                .closeAsync()
                .handle(
                    (ignored, error) -> {
                      throw open.closedException();
                    });
          }
          return CompletableFuture.completedFuture(connection);
        });
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** Runs receive completions on the delivery thread; inline once that has stopped. */
  void complete(List<Runnable> completions) {
    if (completions.isEmpty()) {
      return;
    }
    try {
      deliveries.execute(() -> completions.forEach(Runnable::run));
    } catch (RejectedExecutionException closing) {
      completions.forEach(Runnable::run);
    }
  }

  /** Runs {@code task} every {@code interval} on the timer thread; null once the bus is closed. */
  ScheduledFuture<?> every(Duration interval, Runnable task) {
    long nanos = interval.toNanos();
    try {
      return timer.scheduleWithFixedDelay(guarded(task), nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return null;
    }
  }

  /**
   * Runs {@code task} once after {@code delay} on the timer thread; null once the bus is closed.
   */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    try {
      return timer.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return null;
    }
  }

  /**
   * Closes the shared connection, stops the threads (receive completions already handed to the
   * delivery thread still run) and shuts the client down when the bus created it.
   */
  CompletableFuture<Void> close() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    synchronized (lock) {
      closed = true;
      connection = commands;
    }
    CompletableFuture<Void> connectionClosed =
        connection == null
            ? CompletableFuture.completedFuture(null)
            : connection
                .handle((open, error) -> open)
                .thenCompose(
                    open ->
                        open == null
                            ? CompletableFuture.completedFuture(null)
                            : CloseStep.within(
                                BusSettings.CONNECTION_CLOSE_TIMEOUT,
                                "the shared connection's close of a Redis bus",
                                open.closeAsync()));
    // Async: the last steps must not run on an event-loop thread of the client they shut down.
    return connectionClosed
        .handle((ignored, error) -> error)
        .thenComposeAsync(
            connectionError -> {
              timer.shutdownNow();
              connector.shutdownNow();
              deliveries.shutdown();
              if (!ownsClient) {
                return failedIf(connectionError);
              }
              return CloseStep.within(
                      BusSettings.CONNECTION_CLOSE_TIMEOUT,
                      "the shutdown of the Redis client a bus created",
                      client.shutdownAsync())
                  .handle((ignored, error) -> error != null ? error : connectionError)
                  .thenCompose(BusResources::failedIf);
            });
  }

  private static CompletableFuture<Void> failedIf(Throwable error) {
    return error == null
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(error);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A periodic task that throws would never run again.
        LOG.error("A task of the Redis bus failed", e);
      }
    };
  }
}
