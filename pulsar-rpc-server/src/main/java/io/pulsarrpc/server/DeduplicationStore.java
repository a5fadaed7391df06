package io.pulsarrpc.server;

import io.pulsarrpc.common.PulsarRpcServerException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * Where a server with {@link PulsarRpcServerBuilder#deduplication(java.time.Duration,
 * DeduplicationStore) deduplication} remembers the replies it sent, so that a request delivered
 * again (after a server crash, a lost acknowledgement or a redelivery timeout) is answered with the
 * same reply instead of running the handler a second time.
 *
 * <p>A store in one server's memory ({@link #inMemory}) catches the duplicates that come back to
 * that server; a store that several servers share ({@link #pulsarTopic}) also catches a request
 * that a crashed server answered but had not acknowledged, when the bus hands it to another server.
 *
 * <p>Implementations are thread-safe. Failures go into the returned futures; a server treats a
 * failed lookup as "not seen" (the handler runs) and a failed write as "not remembered" (the reply
 * is still sent), and logs both: deduplication narrows at-least-once delivery, it cannot make it
 * exactly-once.
 */
public interface DeduplicationStore extends AutoCloseable {

  /**
   * The reply remembered under {@code key} that has not expired, or empty. {@code key} is unique
   * per request subscription and correlation id.
   */
  CompletableFuture<Optional<RememberedReply>> find(String key);

  /**
   * Remembers {@code reply} under {@code key} until {@link RememberedReply#expiresAtMillis()}. The
   * future completes once a later {@link #find} (on any server sharing the store) would see it.
   */
  CompletableFuture<Void> remember(String key, RememberedReply reply);

  /**
   * Releases what the store holds: the in-memory store forgets every reply, the Pulsar one closes
   * its reader and producer (later calls may fail). Does not throw.
   */
  @Override
  void close();

  /**
   * A store in this JVM's memory holding at most {@code maxEntries} replies; when full, the oldest
   * reply is forgotten first (and a warning is logged once). Entries go when they expire.
   *
   * @throws IllegalArgumentException unless {@code maxEntries} is positive
   */
  static DeduplicationStore inMemory(int maxEntries) {
    return new InMemoryDeduplicationStore(maxEntries);
  }

  /**
   * A store shared by every server that uses the same Pulsar {@code topic}: each remembered reply
   * is a message keyed by request, read back by a reader of every store on the topic; expired
   * replies are removed with tombstones (null values). A lookup that misses reads the topic up to
   * its end before it answers (misses arriving together share one read), so a new request waits
   * about one broker round trip more, and each reply one more for the write. Give the topic a
   * retention time of at least the deduplication window, so that a server started later reads the
   * replies still in it. Blocks until the store has read the topic. The store uses {@code
   * pulsarClient} and does not close it.
   *
   * @throws IllegalArgumentException when an argument is null or blank
   * @throws PulsarRpcServerException when the broker refuses the reader or the producer
   */
  static DeduplicationStore pulsarTopic(PulsarClient pulsarClient, String topic)
      throws PulsarRpcServerException {
    return PulsarTopicDeduplicationStore.create(pulsarClient, topic);
  }
}
