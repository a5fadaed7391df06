package io.pulsarrpc.server;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's side of deduplication: which requests run here now, and the replies it remembers in
 * its {@link DeduplicationStore}, keyed by subscription and correlation id. Thread-safe.
 */
final class ReplyDeduplication<V> {

  private static final Logger log = LoggerFactory.getLogger(ReplyDeduplication.class);

  private final DeduplicationStore store;
  private final boolean ownsStore;
  private final Duration window;
  private final Schema<V> replySchema;
  private final String keyPrefix;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> running =
      new ConcurrentHashMap<>();

  ReplyDeduplication(
      DeduplicationStore store,
      boolean ownsStore,
      Duration window,
      Schema<V> replySchema,
      String subscription) {
    this.store = store;
    this.ownsStore = ownsStore;
    this.window = window;
    this.replySchema = replySchema;
    // The length keeps keys of different subscriptions apart whatever characters ids hold.
    this.keyPrefix = subscription.length() + ":" + subscription + ":";
  }

  /**
   * Marks {@code correlationId} as running here with {@code mine}. Returns null when it was not
   * running, or the future of the delivery that runs it now, which completes when that one settles.
   */
  CompletableFuture<Void> claim(String correlationId, CompletableFuture<Void> mine) {
    return running.putIfAbsent(correlationId, mine);
  }

  /** Ends what {@link #claim} started, letting waiting deliveries of the same request go on. */
  void release(String correlationId, CompletableFuture<Void> mine) {
    running.remove(correlationId, mine);
    mine.complete(null);
  }

  /** The reply remembered for {@code correlationId}; empty also when the store failed (logged). */
  CompletableFuture<Optional<RememberedReply>> find(String correlationId) {
    return guarded(() -> store.find(keyPrefix + correlationId))
        .exceptionally(
            failure -> {
              log.warn(
                  "Deduplication lookup of request {} failed; running it as new",
                  correlationId,
                  failure);
              return Optional.empty();
            });
  }

  /**
   * Remembers the reply to {@code correlationId} for the window. Completes normally also when the
   * store failed (logged): the reply is sent all the same.
   */
  CompletableFuture<Void> remember(String correlationId, V reply, Map<String, String> properties) {
    return guarded(
            () ->
                store.remember(
                    keyPrefix + correlationId,
                    new RememberedReply(
                        reply == null ? null : replySchema.encode(reply),
                        properties,
                        System.currentTimeMillis() + window.toMillis())))
        .exceptionally(
            failure -> {
              log.warn(
                  "Could not remember the reply to request {}; a duplicate of it would run again",
                  correlationId,
                  failure);
              return null;
            });
  }

  /** The store's future, or a failed one when the store (or encoding) threw instead. */
  private static <R> CompletableFuture<R> guarded(Supplier<CompletableFuture<R>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The reply value of {@code remembered}, decoded with the reply schema.
   *
   * @throws RuntimeException when the schema cannot decode it
   */
  V decode(RememberedReply remembered) {
    byte[] value = remembered.value();
    return value == null ? null : replySchema.decode(value);
  }

  void close() {
    if (ownsStore) {
      store.close();
    }
  }
}
