package io.pulsarrpc.bus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The bus SPI: what the RPC engine needs from a messaging system. Publish a message to a topic;
 * consume a topic or a topic pattern under a named subscription, shared or exclusive; acknowledge;
 * optionally deliver later.
 *
 * <p>An adapter knows nothing of RPC: it moves {@linkplain OutgoingMessage messages} (key,
 * properties, value encoded with a {@link org.apache.pulsar.client.api.Schema}) and nothing else. A
 * capability the bus lacks is refused with a clear error, never silently ignored.
 *
 * <p><b>Subscriptions</b> are {@linkplain SubscriptionLifetime#DURABLE durable} or {@linkplain
 * SubscriptionLifetime#TEMPORARY temporary}. Every subscription of a topic gets every message
 * published to the topic while it exists. A temporary subscription has one consumer and lives as
 * long as it: it starts at the latest position when {@link #subscribe} completes, and closing the
 * consumer removes it together with what it had not consumed, so nothing accumulates for an
 * instance that went away. Several instances that each subscribe with {@link
 * SubscriptionSpec#temporary} therefore each see every message of the topic (a broadcast), beside
 * any durable subscriptions of it. A consumer that dies without closing leaves at worst something
 * the bus removes by itself after a bounded time; each adapter documents what and when, and
 * docs/protocol.md how each bus makes and cleans up a temporary subscription. Every adapter
 * supports both lifetimes; {@link #isDurable()} is about durable subscriptions.
 *
 * <p>Implementations are thread-safe. Every operation is asynchronous: a broker failure completes
 * the returned future exceptionally; invalid arguments throw {@link IllegalArgumentException} at
 * once. {@link #close()} closes every producer and consumer the bus created and fails their pending
 * operations; it closes clients the bus was given only when it created them itself.
 */
public interface MessageBus extends AutoCloseable {

  /** A short name for logs and error messages, such as {@code pulsar} or {@code memory}. */
  String name();

  /**
   * Whether {@link OutgoingMessage#deliverAt()} is honoured. When false, {@link
   * BusProducer#send(OutgoingMessage)} fails a message that asks for delayed delivery.
   */
  boolean supportsDelayedDelivery();

  /** Whether {@link SubscriptionSpec#topicsPattern()} is supported. */
  boolean supportsTopicPatterns();

  /**
   * Whether a subscription keeps the messages published to its topic while no consumer of it is
   * connected, and delivers them when a consumer subscribes again. On a durable bus a request waits
   * for a server that is restarting; on a bus that is not durable, a message published while nobody
   * listens is lost, and its caller learns of it only by its deadline.
   *
   * <p>A subscription starts existing when it is first subscribed to: what is published before that
   * is not part of this promise.
   *
   * <p>Redelivery goes with durability: a durable bus delivers again a message that was negatively
   * acknowledged, or left unacknowledged by a consumer that closed; a bus that is not durable keeps
   * no copy of a message it delivered.
   */
  boolean isDurable();

  /**
   * Checks producer settings without creating a producer, so that a component which creates its
   * producers later (a server's reply producers) can refuse bad settings when it is built.
   *
   * @throws IllegalArgumentException naming the keys or values this bus refuses; {@link
   *     #createProducer} would refuse the same {@link ProducerSpec#config()}
   */
  void checkProducerConfig(Map<String, Object> config);

  /** Creates a producer for one topic. */
  <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec);

  /**
   * Subscribes to a topic or a topic pattern. The future completes once the subscription exists:
   * messages published after that are delivered to it. For a {@linkplain
   * SubscriptionLifetime#TEMPORARY temporary} subscription, that is when it was created; closing
   * the returned consumer deletes it.
   */
  <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec);

  /** Closes every producer and consumer of this bus, then what the bus owns. Idempotent. */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  default void close() {
    BlockingCalls.await(closeAsync());
  }
}
