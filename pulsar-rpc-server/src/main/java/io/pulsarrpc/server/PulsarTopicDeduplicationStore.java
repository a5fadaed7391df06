package io.pulsarrpc.server;

import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.common.PulsarRpcServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies kept on a Pulsar topic, keyed by request: every store on the topic reads it through a
 * {@link KeyedTopicView} and so sees the replies any server remembered. Thread-safe.
 *
 * <p>A miss reads the topic up to its end ({@link KeyedTopicView#refresh()}) before answering: a
 * request redelivered after a crash may arrive before the crashed server's last entry has reached
 * this view. Misses arriving together share one such read. Expired entries are swept once a minute:
 * each store writes a tombstone (a null value) for the expired keys it holds, which removes them
 * from every view.
 */
final class PulsarTopicDeduplicationStore implements DeduplicationStore {

  private static final Logger log = LoggerFactory.getLogger(PulsarTopicDeduplicationStore.class);
  private static final long SWEEP_INTERVAL_MILLIS = 60_000;

  private final String topic;
  private final KeyedTopicView view;
  private final Producer<byte[]> producer;
  private final ScheduledExecutorService sweeper;
  private final Object refreshes = new Object();
  // Guarded by refreshes: the read waiting to start, and whether one runs.
  private CompletableFuture<Void> nextRefresh;
  private boolean refreshing;

  private PulsarTopicDeduplicationStore(
      String topic, KeyedTopicView view, Producer<byte[]> producer) {
    this.topic = topic;
    this.view = view;
    this.producer = producer;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            new DaemonThreadFactory("pulsar-rpc-deduplication-sweeper"));
    sweeper.scheduleWithFixedDelay(
        this::sweep, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  static PulsarTopicDeduplicationStore create(PulsarClient client, String topic)
      throws PulsarRpcServerException {
    if (client == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank");
    }
    Producer<byte[]> producer;
    try {
      producer = client.newProducer(Schema.BYTES).topic(topic).create();
    } catch (PulsarClientException e) {
      throw new PulsarRpcServerException(
          "Could not create the deduplication store's producer on " + topic + ": " + e, e);
    }
    try {
      KeyedTopicView view = KeyedTopicView.open(client, topic);
      return new PulsarTopicDeduplicationStore(topic, view, producer);
    } catch (PulsarClientException e) {
      producer.closeAsync();
      throw new PulsarRpcServerException(
          "Could not read the deduplication store's topic " + topic + ": " + e, e);
    }
  }

  @Override
  public CompletableFuture<Optional<RememberedReply>> find(String key) {
    Optional<RememberedReply> seen = lookUp(key);
    if (seen.isPresent()) {
      return CompletableFuture.completedFuture(seen);
    }
    return refreshStartedFromNow().thenApply(ignored -> lookUp(key));
  }

  /**
   * A read of the topic to its end that starts no earlier than this call, so it sees every entry
   * written before. Misses that arrive while a read runs share the next one: one read per broker
   * round trip, not one per request.
   */
  private CompletableFuture<Void> refreshStartedFromNow() {
    synchronized (refreshes) {
      CompletableFuture<Void> next = nextRefresh;
      if (next == null) {
        next = new CompletableFuture<>();
        nextRefresh = next;
        if (!refreshing) {
          startNextRefresh();
        }
      }
      return next;
    }
  }

  /** Starts the waiting read; called holding the lock. */
  private void startNextRefresh() {
    CompletableFuture<Void> batch = nextRefresh;
    nextRefresh = null;
    refreshing = true;
    view.refresh()
        .whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                batch.complete(null);
              } else {
                batch.completeExceptionally(failure);
              }
              synchronized (refreshes) {
                refreshing = false;
                if (nextRefresh != null) {
                  startNextRefresh();
                }
              }
            });
  }

  @Override
  public CompletableFuture<Void> remember(String key, RememberedReply reply) {
    return producer
        .newMessage()
        .key(key)
        .value(reply.toBytes())
        .sendAsync()
        .thenApply(ignored -> null);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      view.close();
    } catch (RuntimeException e) {
      logCloseFailure(e);
    }
    producer.closeAsync().exceptionally(this::logCloseFailure).join();
  }

  /** The keys this store's view holds, expired ones included; for tests. */
  Set<String> keys() {
    return view.keys();
  }

  private Optional<RememberedReply> lookUp(String key) {
    byte[] bytes = view.get(key);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      RememberedReply reply = RememberedReply.fromBytes(bytes);
      return reply.isExpiredAt(System.currentTimeMillis()) ? Optional.empty() : Optional.of(reply);
    } catch (IllegalArgumentException e) {
      log.warn("Ignoring entry {} of deduplication topic {}: {}", key, topic, e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes tombstones for the expired entries this view holds; runs once a minute. */
  void sweep() {
    try {
      writeTombstonesForExpiredEntries();
    } catch (RuntimeException e) {
      // The next sweep tries again; a scheduled task that throws would never run again.
      log.warn("Sweeping the deduplication topic {} failed", topic, e);
    }
  }

  private void writeTombstonesForExpiredEntries() {
    long now = System.currentTimeMillis();
    List<String> expired = new ArrayList<>();
    view.forEach(
        (key, bytes) -> {
          if (bytes == null || isExpired(bytes, now)) {
            expired.add(key);
          }
        });
    for (String key : expired) {
      producer
          .newMessage()
          .key(key)
          .value(null)
          .sendAsync()
          .exceptionally(
              failure -> {
                log.debug("Tombstone of {} on {} not written; next sweep", key, topic, failure);
                return null;
              });
    }
  }

  private static boolean isExpired(byte[] bytes, long now) {
    try {
      return RememberedReply.fromBytes(bytes).isExpiredAt(now);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private Void logCloseFailure(Throwable failure) {
    log.warn("Closing the deduplication store on {} failed", topic, failure);
    return null;
  }
}
