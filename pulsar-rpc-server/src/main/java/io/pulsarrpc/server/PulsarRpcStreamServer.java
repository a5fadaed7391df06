package io.pulsarrpc.server;

import io.pulsarrpc.bus.BlockingCalls;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Accepts bidirectional streams opened on a request topic by {@code
 * io.pulsarrpc.client.PulsarRpcStreamClient}s and runs a {@link StreamHandler} on each.
 *
 * <p>What the server guarantees:
 *
 * <ul>
 *   <li>Exactly one server runs a stream: every server (of any subscription) that receives an open
 *       may accept it, the client confirms the first accept only, and a server calls its handler on
 *       the confirmation only. An accept that is not confirmed within the open's timeout is
 *       dropped.
 *   <li>At most {@code maxStreams} streams are open or being accepted at once; an open beyond it is
 *       not accepted (on a durable bus it goes back to the subscription for another server).
 *   <li>The handler never runs on a bus thread.
 * </ul>
 *
 * <p>The server consumes opens from the request topic (and each registered topic) under its
 * subscription, shared with the other servers of that subscription, and the frames of its streams
 * from its own inbox, {@code <requestTopic>.stream.<serverId>}, through a temporary subscription.
 *
 * <p>Thread-safe.
 *
 * @param <R> what the server receives
 * @param <S> what the server sends
 */
public interface PulsarRpcStreamServer<R, S> extends AutoCloseable {

  /**
   * A builder for a server that decodes what it receives with {@code receiveSchema} and encodes
   * what it sends with {@code sendSchema}.
   */
  static <R, S> PulsarRpcStreamServerBuilder<R, S> builder(
      Schema<R> receiveSchema, Schema<S> sendSchema) {
    return new PulsarRpcStreamServerBuilder<>(receiveSchema, sendSchema);
  }

  /** The subscription this server consumes opens with. */
  String subscription();

  /** This server instance's id, the {@code peer()} its clients' streams name. */
  String serverId();

  /**
   * Starts accepting the streams opened with topic {@code topic} ({@code
   * StreamOptions.withTopic(topic)}), beside the others: the server subscribes to {@code
   * <requestTopic>.topic.<topic>} with its subscription. Completes once subscribed; registering a
   * registered topic completes at once.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   */
  CompletableFuture<Void> registerTopicAsync(String topic);

  /**
   * Stops accepting the streams of {@code topic}; streams already open stay open. Completes once
   * the topic's consumer closed; deregistering a topic not registered completes at once.
   */
  CompletableFuture<Void> deregisterTopicAsync(String topic);

  /** The topics this server accepts streams of, sorted; empty when it registered none. */
  Set<String> topics();

  /** Streams open or being accepted: what the server holds state for. */
  int openStreams();

  /**
   * Stops accepting streams, closes every open stream with {@link
   * io.pulsarrpc.common.ErrorCode#CANCELED} "server closed" (the clients see it), then closes the
   * consumers, the inbox, the producers and the handler threads, and the bus when the server made
   * it. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  default void close() {
    BlockingCalls.await(closeAsync());
  }

  /**
   * Stops the server at once, as if its process had died: nothing more is sent, not even a close;
   * the clients learn of it by their heartbeat rule (UNAVAILABLE within three of this server's
   * heartbeat intervals). The streams fail here with {@link io.pulsarrpc.common.ErrorCode#CANCELED}
   * "server killed"; consumers and producers close in the background. Idempotent.
   */
  void kill();
}
