package io.pulsarrpc.server;

import io.pulsarrpc.inspect.ServerInspection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Consumes requests from a request topic (or a pattern of topics) under a subscription, runs the
 * request function on each, and publishes the reply (or an error reply) to the topic the request
 * names, through a pool of producers.
 *
 * <p>What the server guarantees:
 *
 * <ul>
 *   <li>A request is acknowledged only once its outcome is settled: reply published, error reply
 *       published, expired (skipped), or rolled back. A server that dies before that leaves the
 *       request to be redelivered to another server of the subscription.
 *   <li>Deadlines are absolute: a request whose deadline (publish time, or {@code deliverAt}, plus
 *       {@code requestTimeoutInMillis}) has passed is acknowledged without running the function; a
 *       function that finishes after the deadline causes the rollback function to run and no reply.
 *   <li>The function never runs on the thread that receives messages; at most {@code
 *       maxConcurrentRequests} run at once, and beyond that the server stops taking requests
 *       (back-pressure) rather than drop any.
 *   <li>A request that cannot be read (no key, missing or invalid properties, a value that does not
 *       decode) is acknowledged and, when it names a reply topic, answered with an error.
 * </ul>
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
public interface PulsarRpcServer<T, V> extends AutoCloseable {

  /**
   * A builder for a server that decodes requests with {@code requestSchema} and encodes replies
   * with {@code replySchema}.
   */
  static <T, V> PulsarRpcServerBuilder<T, V> builder(
      Schema<T> requestSchema, Schema<V> replySchema) {
    return new PulsarRpcServerBuilder<>(requestSchema, replySchema);
  }

  /** The subscription this server consumes requests with; replies carry it as {@code serverSub}. */
  String subscription();

  /**
   * Starts taking the calls made with topic {@code topic} ({@code RequestOptions.withTopic(topic)})
   * for this server's request topic, beside its other calls, without restarting anything: the
   * server subscribes to the topic's bus topic ({@code <requestTopic>.topic.<topic>}) with its own
   * subscription, so servers of one subscription share a topic's calls and servers of different
   * subscriptions each get them, as for the request topic. Completes once subscribed; registering a
   * registered topic completes at once. Calls with a topic are claimed, so a topic that no server
   * registered fails its callers with {@code no_responders} within their claim window. At most
   * {@code maxConcurrentRequests} calls of one topic are in flight at once, counted apart from the
   * request topic's.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   * @throws IllegalStateException when the server reads a pattern of request topics, which has no
   *     one request topic to derive topics from
   */
  CompletableFuture<Void> registerTopicAsync(String topic);

  /**
   * Stops taking the calls of {@code topic}: no new one starts; those in flight finish within the
   * shutdown grace period, then the topic's consumer closes (what it did not settle goes to another
   * server that registered the topic). Completes then; deregistering a topic that is not registered
   * completes at once.
   */
  CompletableFuture<Void> deregisterTopicAsync(String topic);

  /** The topics this server takes calls of, sorted; empty when it registered none. */
  Set<String> topics();

  /**
   * A snapshot of this server: its id, topics, subscription, whether its consumers and reply
   * producers are connected to the bus now, call kinds, API versions, start time, counters and the
   * calls in flight (with the thread running each handler, if any). Cheap: it takes no lock the
   * server needs, does no I/O and copies what it reads, so it may be polled (a health check) and
   * the caller may format it at leisure; weakly consistent (see {@link ServerInspection}). Works at
   * any time, also while or after the server closes. Without a thread dump.
   */
  ServerInspection inspect();

  /**
   * As {@link #inspect()}, with the JVM's thread dump ({@link ServerInspection#threadDump()}) when
   * {@code threadDump} is true. A dump stops every thread for a moment (a safepoint) and is tens of
   * kilobytes: for diagnosis, not for polling.
   */
  ServerInspection inspect(boolean threadDump);

  /**
   * Stops taking requests, lets those in flight finish within the shutdown grace period (their
   * replies are published), then closes the consumer (requests still unsettled go back to the
   * subscription for another server) and the reply producers. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  void close();

  /**
   * Stops the server at once, as if its process had died, without draining: from when this returns,
   * the server acknowledges nothing and publishes no reply. It stops taking requests, closes its
   * consumer without acknowledging what it holds, releases its own handler pool (queued requests do
   * not start; running handlers may finish, but their results are dropped: no reply, no rollback),
   * closes its reply producers, and closes the bus if the server created it.
   *
   * <p>Requests in flight go back to the subscription: on a durable bus ({@link
   * io.pulsarrpc.bus.MessageBus#isDurable()}) the bus delivers them to another server of the same
   * subscription (or to this subscription's next server to start), which runs them if their
   * deadline has not passed; on a bus that is not durable they are lost, and their callers learn of
   * it at their deadline. A reply this server handed to the bus before the kill may still arrive;
   * the caller keeps the first reply it gets.
   *
   * <p>Idempotent; it also stops a server that is closing. A later {@link #close()} or {@link
   * #closeAsync()} does nothing more and completes once the server's resources are closed. Does not
   * block on the bus: the consumer and the bus finish closing in the background.
   */
  void kill();
}
