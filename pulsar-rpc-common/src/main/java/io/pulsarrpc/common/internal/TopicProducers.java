package io.pulsarrpc.common.internal;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.support.SharedTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producers of many bus topics with one schema and one producer configuration, for a component that
 * publishes to topics it learns at run time (a client's call topics, a publisher's update topics).
 * A topic's producer is created on its first message, without blocking the caller, and closed once
 * no message went to the topic for the idle timeout, so that only the topics in use hold a
 * producer. Not API.
 *
 * <p>Messages sent to one topic from one thread reach the bus in the order of the calls, also while
 * the topic's producer is still being created: those messages wait in a list and are handed over in
 * order when it exists. A producer that cannot be created fails the messages that waited for it and
 * is forgotten, so the next message tries again.
 *
 * <p>Thread-safe. The idle sweep runs on the {@link SharedTimer}. After {@link #closeAsync()},
 * sends fail with {@link IllegalStateException}.
 */
public final class TopicProducers<T> {

  private static final Logger log = LoggerFactory.getLogger(TopicProducers.class);

  private final MessageBus bus;
  private final Schema<T> schema;
  private final Map<String, Object> config;
  private final Duration idleTimeout;
  private final Map<String, TopicProducer<T>> producers = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> sweeper;
  private volatile boolean closed;

  /**
   * @param config the producers' bus settings, as {@link ProducerSpec#config()}
   * @param idleTimeout how long a topic's producer stays open without a message, positive
   */
  public TopicProducers(
      MessageBus bus, Schema<T> schema, Map<String, Object> config, Duration idleTimeout) {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
    this.bus = bus;
    this.schema = schema;
    this.config = Map.copyOf(config);
    this.idleTimeout = idleTimeout;
    long sweepNanos = Math.max(1, idleTimeout.toNanos() / 2);
    this.sweeper =
        SharedTimer.scheduleAtFixedRate(
            this::closeIdle, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Publishes {@code message} to {@code busTopic}, creating the topic's producer if it has none.
   * The future fails with the bus's error, or with {@link IllegalStateException} once closed.
   */
  public CompletableFuture<MessageId> send(String busTopic, OutgoingMessage<T> message) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the producers are closed; nothing is sent to " + busTopic));
    }
    TopicProducer<T> entry = producers.get(busTopic);
    if (entry == null) {
      TopicProducer<T> created = new TopicProducer<>();
      entry = producers.putIfAbsent(busTopic, created);
      if (entry == null) {
        entry = created;
        open(busTopic, created);
      }
    }
    entry.lastUsed = System.nanoTime();
    return entry.send(message);
  }

  /** Closes every producer; idempotent. The future completes when all are closed. */
  public CompletableFuture<Void> closeAsync() {
    closed = true;
    sweeper.cancel(false);
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    producers.forEach((topic, entry) -> closing.add(close(topic, entry)));
    producers.clear();
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
  }

  /** How many topics have a producer open or opening. */
  public int size() {
    return producers.size();
  }

  private void open(String busTopic, TopicProducer<T> entry) {
    CompletableFuture<BusProducer<T>> creation;
    try {
      creation = bus.createProducer(new ProducerSpec<>(busTopic, schema, config));
    } catch (RuntimeException e) {
      creation = CompletableFuture.failedFuture(e);
    }
    creation.whenComplete(
        (producer, failure) -> {
          if (failure != null) {
            producers.remove(busTopic, entry);
            entry.producer.completeExceptionally(failure);
          } else {
            entry.producer.complete(producer);
          }
          entry.flush(producer, failure);
          if (closed && producers.remove(busTopic, entry)) {
            // A send raced with closeAsync and opened this after the others were closed.
            close(busTopic, entry);
          }
        });
  }

  private void closeIdle() {
    long idleSince = System.nanoTime() - idleTimeout.toNanos();
    producers.forEach(
        (topic, entry) -> {
          if (entry.lastUsed - idleSince < 0 && producers.remove(topic, entry)) {
            close(topic, entry);
          }
        });
  }

  private static <T> CompletableFuture<Void> close(String topic, TopicProducer<T> entry) {
    return entry
        .producer
        .thenCompose(BusProducer::closeAsync)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.debug("Closing the producer of {} failed", topic, failure);
              }
              return null;
            });
  }

  /** One topic's producer, and the messages that wait for it to exist, in order. */
  private static final class TopicProducer<T> {
    final CompletableFuture<BusProducer<T>> producer = new CompletableFuture<>();
    volatile long lastUsed = System.nanoTime();
    private List<Waiting<T>> waiting = new ArrayList<>(); // null once flushed; guarded by this

    private record Waiting<T>(OutgoingMessage<T> message, CompletableFuture<MessageId> sent) {}

    CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
      synchronized (this) {
        if (waiting != null) {
          CompletableFuture<MessageId> sent = new CompletableFuture<>();
          waiting.add(new Waiting<>(message, sent));
          return sent;
        }
      }
      // Flushed: the producer future is complete, and a failed one was removed from the map.
      return producer.isCompletedExceptionally()
          ? producer.thenCompose(failedProducer -> failedProducer.send(message))
          : sendNow(producer.join(), message);
    }

    /** A message the bus refuses (its settings) fails its own future, not the caller's loop. */
    private static <T> CompletableFuture<MessageId> sendNow(
        BusProducer<T> ready, OutgoingMessage<T> message) {
      try {
        return ready.send(message);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** Hands the waiting messages over in order, under the lock, so no later send overtakes. */
    synchronized void flush(BusProducer<T> ready, Throwable failure) {
      for (Waiting<T> next : waiting) {
        if (failure != null) {
          next.sent().completeExceptionally(failure);
        } else {
          sendNow(ready, next.message())
              .whenComplete(
                  (id, sendFailure) -> {
                    if (sendFailure != null) {
                      next.sent().completeExceptionally(sendFailure);
                    } else {
                      next.sent().complete(id);
                    }
                  });
        }
      }
      waiting = null;
    }
  }
}
