package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.support.SharedTimer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producers of a server's reply topics, one per topic: created on a topic's first reply, closed
 * once the topic had no reply for the idle timeout, and all closed with the pool.
 *
 * <p>Guarantees: a send never goes to a producer that is being closed for idleness. Each topic's
 * entry counts the sends using it; the idle sweep retires an entry only when that count is zero, in
 * one atomic step that also stops new sends from entering it (they create a new entry). A producer
 * is thread-safe, so sends of one topic share it without taking turns: a reply costs a map lookup
 * and two atomic updates, not a borrow and return.
 *
 * <p>Threads: {@link #send} runs on handler threads and blocks while the topic's producer is
 * created (at most 30 s), so it must stay off the receive path; the idle sweep runs on the {@link
 * SharedTimer}; {@link #close()} on the thread that closes the server.
 */
final class ReplyProducerPool<V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReplyProducerPool.class);
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

  private final MessageBus bus;
  private final Schema<V> schema;
  private final Map<String, Object> producerConfig;
  private final long idleTimeoutNanos;
  private final Map<String, Entry<V>> producers = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> sweeper;
  private volatile boolean closed;

  ReplyProducerPool(
      MessageBus bus, Schema<V> schema, Map<String, Object> producerConfig, Duration idleTimeout) {
    this.bus = bus;
    this.schema = schema;
    this.producerConfig = producerConfig;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    long sweepNanos = sweepInterval(idleTimeout).toNanos();
    this.sweeper =
        SharedTimer.scheduleAtFixedRate(
            this::closeIdle, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Publishes {@code message} to {@code topic}, creating the topic's producer when there is none.
   * Creation blocks the calling thread (at most 30 s), so call this off the receive path.
   *
   * @param handOff runs the hand-off of the message to the producer, or refuses it with a failed
   *     future ({@link InFlightCall#handOff}); it covers only the hand-off, not the creation of the
   *     producer, so that what it excludes never waits for a producer to be created
   */
  CompletableFuture<MessageId> send(
      String topic,
      OutgoingMessage<V> message,
      Function<Supplier<CompletableFuture<MessageId>>, CompletableFuture<MessageId>> handOff) {
    Entry<V> entry;
    BusProducer<V> producer;
    try {
      entry = enter(topic);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      producer = entry.await(topic);
    } catch (RuntimeException e) {
      entry.exit();
      return CompletableFuture.failedFuture(e);
    }
    try {
      return handOff.apply(() -> producer.send(message));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      entry.lastUsed = System.nanoTime();
      entry.exit();
    }
  }

  /** Whether every reply producer open now is connected; true when there is none. */
  boolean allConnected() {
    for (Entry<V> entry : producers.values()) {
      BusProducer<V> producer = entry.producer.getNow(null);
      if (producer != null && !producer.isConnected()) {
        return false;
      }
    }
    return true;
  }

  /** How many reply topics have a producer open or opening. */
  int size() {
    return producers.size();
  }

  /** Closes every producer; sends that come later fail. Idempotent. */
  @Override
  public void close() {
    closed = true;
    sweeper.cancel(false);
    producers.forEach(
        (topic, entry) -> {
          if (producers.remove(topic, entry)) {
            closeWhenCreated(topic, entry);
          }
        });
  }

  /**
   * The topic's entry, counting this send as a user of it; creates the entry when there is none.
   */
  private Entry<V> enter(String topic) {
    while (true) {
      if (closed) {
        throw new IllegalStateException(
            "the server's reply producers are closed; no reply goes to " + topic);
      }
      Entry<V> entry = producers.get(topic);
      if (entry == null) {
        Entry<V> created = new Entry<>();
        entry = producers.putIfAbsent(topic, created);
        if (entry == null) {
          entry = created;
          open(topic, created);
        }
      }
      if (entry.tryEnter()) {
        return entry;
      }
      // Retired by the idle sweep between the lookup and now: the next lookup finds a new entry.
      producers.remove(topic, entry);
    }
  }

  private void open(String topic, Entry<V> entry) {
    CompletableFuture<BusProducer<V>> creation;
    try {
      creation = bus.createProducer(new ProducerSpec<>(topic, schema, producerConfig));
    } catch (RuntimeException e) {
      creation = CompletableFuture.failedFuture(e);
    }
    creation.whenComplete(
        (producer, failure) -> {
          if (failure != null) {
            // Forgotten, so that the next reply to the topic tries again.
            producers.remove(topic, entry);
            entry.producer.completeExceptionally(failure);
          } else {
            entry.producer.complete(producer);
            if (closed && producers.remove(topic, entry)) {
              // A reply raced with close() and opened this after the others were closed.
              closeWhenCreated(topic, entry);
            }
          }
        });
  }

  private void closeIdle() {
    long idleSince = System.nanoTime() - idleTimeoutNanos;
    producers.forEach(
        (topic, entry) -> {
          if (entry.lastUsed - idleSince < 0
              && entry.producer.isDone()
              && entry.tryRetire()
              && producers.remove(topic, entry)) {
            closeWhenCreated(topic, entry);
          }
        });
  }

  private static <V> void closeWhenCreated(String topic, Entry<V> entry) {
    entry
        .producer
        .thenCompose(BusProducer::closeAsync)
        .whenComplete(
            (ignored, failure) -> {
              // A producer that was never created has nothing to close.
              if (failure != null && !entry.producer.isCompletedExceptionally()) {
                log.warn("Closing the reply producer of {} failed", topic, failure);
              }
            });
  }

  /** How often the idle sweep looks: half the idle timeout, from 100 ms to 30 s. */
  private static Duration sweepInterval(Duration idleTimeout) {
    Duration half = idleTimeout.dividedBy(2);
    Duration floor = Duration.ofMillis(100);
    Duration ceiling = Duration.ofSeconds(30);
    return half.compareTo(floor) < 0 ? floor : half.compareTo(ceiling) > 0 ? ceiling : half;
  }

  /**
   * One topic's producer (created once) and the sends using it now: {@code users} counts them, and
   * is -1 once the entry is retired, after which no send enters it.
   */
  private static final class Entry<V> {
    final CompletableFuture<BusProducer<V>> producer = new CompletableFuture<>();
    final AtomicInteger users = new AtomicInteger();
    volatile long lastUsed = System.nanoTime();

    boolean tryEnter() {
      while (true) {
        int now = users.get();
        if (now < 0) {
          return false;
        }
        if (users.compareAndSet(now, now + 1)) {
          return true;
        }
      }
    }

    void exit() {
      users.decrementAndGet();
    }

    /** Retires the entry when no send uses it; false when one does (or it was retired). */
    boolean tryRetire() {
      return users.compareAndSet(0, -1);
    }

    /** The producer, waiting for its creation at most {@link #CREATE_TIMEOUT}. */
    BusProducer<V> await(String topic) {
      try {
        return producer.get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException(
                "could not create the reply producer of " + topic + ": " + cause, cause);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the reply producer of " + topic + " was not created within " + CREATE_TIMEOUT, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while the reply producer of " + topic + " was created", e);
      }
    }
  }
}
