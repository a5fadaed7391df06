package io.pulsarrpc.bus.redis;

import io.lettuce.core.RedisClient;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.OpenResources;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The bus SPI on Redis Streams and consumer groups, with Lettuce: requests are stored durably and
 * acknowledged, as on Pulsar. Needs Redis 7.0 or later, standalone or a single primary (not Redis
 * Cluster). How topics, subscriptions, messages, leases, redelivery, delayed delivery and trimming
 * map onto Redis keys and commands is in docs/protocol.md ("On Redis"); this page is the contract.
 *
 * <pre>{@code
 * try (MessageBus bus = RedisMessageBus.create("redis://localhost:6379")) {
 *   BusProducer<String> producer =
 *       bus.createProducer(ProducerSpec.of("requests", Schema.STRING)).join();
 *   producer.send(OutgoingMessage.of("id-1", "hello", Map.of())).join();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Topics and subscriptions.</b> A topic is a stream named as the topic; a subscription is
 *       a consumer group, durable like a Pulsar subscription: it collects entries while no consumer
 *       is connected, starts at {@link InitialPosition#LATEST} or {@link InitialPosition#EARLIEST}
 *       when created, and every subscription of a topic gets every message. A value is encoded with
 *       the producer's {@link org.apache.pulsar.client.api.Schema} and decoded with the consumer's:
 *       bytes that do not decode make {@link IncomingMessage#value()} throw {@link
 *       MessageDecodeException}, while {@code data()}, {@code key()} and acknowledgement still
 *       work. Ids are {@link BusMessageId}s of the stream entry id; the publish time is the Redis
 *       server's. {@link IncomingMessage#asPulsarMessage()} is a {@link PulsarMessageView}; {@code
 *       pulsarConsumer()} is null.
 *   <li><b>{@link SubscriptionMode#SHARED}</b> consumers share a subscription's entries. <b>{@link
 *       SubscriptionMode#EXCLUSIVE}</b> is emulated with leases, since Redis has no exclusive
 *       groups: a second consumer, or one of the other mode, gets a failed {@link #subscribe}
 *       future with an {@link IllegalStateException} naming the subscription and topic. A crashed
 *       consumer holds its place until its lease ends ({@link
 *       RedisMessageBusBuilder#consumerLease(Duration)}); a consumer cut off for a whole lease
 *       whose place was taken closes itself, failing its waiting receives with an {@link
 *       IllegalStateException} that says so.
 *   <li><b>Temporary subscriptions</b> ({@link io.pulsarrpc.bus.SubscriptionLifetime#TEMPORARY})
 *       are consumer groups of their own, created at {@code $} and recorded in {@code
 *       pulsar-rpc:temporary:<topic>}; closing the consumer destroys the group with what it had not
 *       acknowledged. The group of a consumer that died stays until its lease ends ({@link
 *       RedisMessageBusBuilder#consumerLease(Duration)}); then the next trim (every second) of any
 *       bus that uses the topic destroys it. Until then it holds trimming back, within the {@code
 *       MAXLEN ~} cap, so a dead instance never makes a stream grow without bound. A consumer cut
 *       off from Redis for a whole lease may find its group removed: it creates it again at {@code
 *       $}, missing what was published meanwhile. A temporary subscription cannot take the name of
 *       a durable one.
 *   <li><b>Redelivery.</b> Entries of a consumer that died go to another consumer after {@link
 *       RedisMessageBusBuilder#claimIdleTime(Duration)}; a live consumer's entries never do,
 *       however slow its handler. Entries of a consumer that closed, or whose answer Redis's
 *       connection lost, go to another consumer within seconds. A negatively acknowledged entry
 *       comes back to the same consumer after {@link
 *       RedisMessageBusBuilder#negativeAckRedeliveryDelay(Duration)}. {@link
 *       IncomingMessage#redeliveryCount()} is the entry's delivery count minus one.
 *   <li><b>Delayed delivery</b> ({@link #supportsDelayedDelivery()} is true): a delayed message is
 *       stored in Redis, so it survives a restart of the bus (and of Redis, with persistence); it
 *       is never delivered before its time by the Redis server's clock, at most {@link
 *       RedisMessageBusBuilder#pollInterval(Duration)} late while any bus runs, exactly once
 *       whatever the number of buses, to the subscriptions that exist when it becomes due. {@link
 *       BusProducer#send} answers it with the id {@code delayed-<uuid>}.
 *   <li><b>Trimming.</b> What every subscription acknowledged is trimmed every second, as on Pulsar
 *       without retention; every XADD also caps the stream at about {@link
 *       RedisMessageBusBuilder#maxStreamLength(long)} entries, which ignores acknowledgements: a
 *       subscription lagging that far behind loses its oldest entries, with a warning.
 *   <li>Topic patterns are not supported ({@link #supportsTopicPatterns()} is false): {@link
 *       #subscribe} throws {@link IllegalArgumentException} for a pattern.
 * </ul>
 *
 * <h2>Settings</h2>
 *
 * {@link ProducerSpec#config()} accepts one key, {@value #MAX_LEN} (Integer or Long, at least 1):
 * the stream's {@code MAXLEN ~} for this producer's messages instead of {@link
 * RedisMessageBusBuilder#maxStreamLength(long)}. {@link OutgoingMessage#config()} accepts the keys
 * of {@link io.pulsarrpc.bus.support.MessageSettings}: {@code key}, {@code properties}, {@code
 * deliverAt} or {@code deliverAfterSeconds}, and {@code eventTime} (ignored). Any other key, in
 * either config, or a value of the wrong type, throws {@link IllegalArgumentException} naming it.
 *
 * <h2>Connections, threads and errors</h2>
 *
 * <p>The bus uses one connection for all its commands (Lettuce pipelines them) plus one per
 * consumer for its blocking reads, and runs one timer thread, one delivery thread and up to four
 * short-lived connect threads. It never blocks a Lettuce event-loop thread. Receive futures
 * complete on the delivery thread; the other futures on Lettuce's threads or the bus's own. Either
 * way, callbacks must not block: move work to your own executor, as with any Pulsar client
 * callback. The bus, its producers, consumers and messages are thread-safe.
 *
 * <p>Invalid arguments throw {@link IllegalArgumentException} at once; Redis errors fail the
 * returned future with Lettuce's exception. While Redis is unreachable, Lettuce reconnects by
 * itself: consumers keep their receives waiting and resume reading, background jobs log one warning
 * and retry. A consumer whose group disappeared creates it again at the subscription's initial
 * position. After {@link #closeAsync()}, {@link #createProducer}, {@link #subscribe} and sends
 * return futures failed with an {@link IllegalStateException} saying the bus is closed.
 */
public final class RedisMessageBus implements MessageBus {

  /** The default {@link RedisMessageBusBuilder#claimIdleTime(Duration)}: 30 seconds. */
  public static final Duration DEFAULT_CLAIM_IDLE_TIME = Duration.ofSeconds(30);

  /** The default {@link RedisMessageBusBuilder#maxStreamLength(long)}: 100 000 entries. */
  public static final long DEFAULT_MAX_STREAM_LENGTH = 100_000;

  /** The default {@link RedisMessageBusBuilder#pollInterval(Duration)}: 100 milliseconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

  /** The default {@link RedisMessageBusBuilder#consumerLease(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_CONSUMER_LEASE = Duration.ofSeconds(10);

  /**
   * The default {@link RedisMessageBusBuilder#negativeAckRedeliveryDelay(Duration)}: 1 second, as
   * on Pulsar.
   */
  public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);

  /** The producer config key for a producer's own {@code MAXLEN ~}. */
  public static final String MAX_LEN = "maxLen";

  /** Why the waiting receives of a consumer fail when its bus closes. */
  private static final String BUS_CLOSED = "bus closed: this RedisMessageBus was closed";

  private final BusResources resources;
  private final DelayedEntryMover mover;
  private final StreamTrimmer trimmer;
  private final OpenResources open = new OpenResources("RedisMessageBus");

  RedisMessageBus(BusSettings settings, RedisClient client, boolean ownsClient) {
    this.resources = new BusResources(settings, client, ownsClient, open);
    this.mover = new DelayedEntryMover(resources);
    this.trimmer = new StreamTrimmer(resources, this::topicsInUse);
  }

  /** Accepts only the key {@value #MAX_LEN}, as {@link #createProducer} does. */
  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("producer config must not be null");
    }
    maxLength(config);
  }

  /**
   * A bus on a new Lettuce client for {@code redisUrl} (for example {@code redis://localhost:6379},
   * {@code rediss://…} for TLS, {@code redis://:password@host}), with the default settings. The bus
   * owns that client and shuts it down in {@link #closeAsync()}. It enables Lettuce's command
   * timeouts (the URL's {@code timeout}, 60 s by default), so a command fails rather than waits
   * forever while Redis is down. It connects in the background: an unreachable Redis fails the
   * first {@link #createProducer} or {@link #subscribe}, not this call.
   *
   * @throws IllegalArgumentException when {@code redisUrl} is blank or not a Redis URL
   */
  public static RedisMessageBus create(String redisUrl) {
    return builder().redisUrl(redisUrl).build();
  }

  /**
   * A bus on a Lettuce client you manage, connecting with the URI it was created with ({@link
   * RedisClient#create(String)}): authentication, TLS and client options are yours. Closing the bus
   * closes the connections it opened, never {@code client}, which stays usable. Enable Lettuce's
   * command timeouts ({@code TimeoutOptions}) on it, as {@link #create(String)} does: without them
   * a connection that dies silently (no TCP reset) leaves a consumer's read waiting for good.
   *
   * @throws IllegalArgumentException when {@code client} is null
   */
  public static RedisMessageBus create(RedisClient client) {
    return builder().client(client).build();
  }

  /** A builder for a bus with non-default settings. */
  public static RedisMessageBusBuilder builder() {
    return new RedisMessageBusBuilder();
  }

  /** Returns {@code "redis"}. */
  @Override
  public String name() {
    return "redis";
  }

  /** Returns true: see the class documentation for how. */
  @Override
  public boolean supportsDelayedDelivery() {
    return true;
  }

  /** Returns false: subscribe to one topic at a time. */
  @Override
  public boolean supportsTopicPatterns() {
    return false;
  }

  /** Returns true: a consumer group keeps its entries in the stream while no consumer reads. */
  @Override
  public boolean isDurable() {
    return true;
  }

  /**
   * Creates a producer once the bus's connection to Redis is up. The future fails with Lettuce's
   * exception when Redis cannot be reached, or with an {@link IllegalStateException} once the bus
   * is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null or its config holds a key other than
   *     {@code maxLen}, or a {@code maxLen} that is not a whole number of at least 1
   */
  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    OpenResources.checkNotNull(spec, "producer spec");
    long configured = maxLength(spec.config());
    long maxLength = configured > 0 ? configured : resources.settings.maxStreamLength();
    if (open.isClosed()) {
      return open.failedClosed();
    }
    return resources
        .commands()
        .thenCompose(
            commands -> {
              RedisBusProducer<T> producer =
                  new RedisBusProducer<>(
                      resources, spec, maxLength, commands.getStatefulConnection(), open::forget);
              return open.register(producer, producer::closeAsync);
            });
  }

  /**
   * Joins the subscription {@code spec.subscription()} of {@code spec.topic()}, creating its
   * consumer group when it does not exist. The future completes once the group exists: entries
   * added to the stream after that reach it. It fails with an {@link IllegalStateException} naming
   * the subscription and topic when the subscription is exclusive and has a consumer, or has
   * consumers of the other mode; with Lettuce's exception when Redis cannot be reached or the
   * topic's key is not a stream; with an {@link IllegalStateException} once the bus is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null or names a topic pattern
   */
  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    OpenResources.checkNotNull(spec, "subscription spec");
    if (spec.isPattern()) {
      throw new IllegalArgumentException(
          "the redis bus does not support topic patterns (got "
              + spec.topicsPattern()
              + "); subscribe to each topic by name");
    }
    if (open.isClosed()) {
      return open.failedClosed();
    }
    return RedisBusConsumer.join(resources, spec, open::forget)
        .thenCompose(
            consumer ->
                open.<BusConsumer<T>, RedisBusConsumer<T>>register(
                        consumer, () -> consumer.close(BUS_CLOSED))
                    .thenApply(
                        registered -> {
                          consumer.start();
                          return registered;
                        }));
  }

  /**
   * Closes every consumer (failing their waiting receives with an {@link IllegalStateException}
   * "bus closed", releasing their entries to other consumers) and producer of this bus, stops the
   * mover, the trimming and the bus's threads, closes its connections, and shuts the client down
   * when the bus created it. A client given to {@link #create(RedisClient)} stays open. Delayed
   * entries stay in Redis for the next bus to move. Idempotent: every call returns a future of the
   * same close, which fails only if closing the connection or client failed. Completes even when
   * Lettuce never completes a connection's close or the client's shutdown (its I/O threads blocked,
   * say): each such step is given 10 s, then logged and left behind.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    mover.stop();
    trimmer.stop();
    return open.closeAll(resources::close);
  }

  @Override
  public String toString() {
    return "RedisMessageBus";
  }

  /** The client this bus uses; for tests. */
  RedisClient client() {
    return resources.client();
  }

  /** What the names of this bus's threads start with; for tests. */
  String threadNamePrefix() {
    return resources.threadNamePrefix();
  }

  /** The topics of open producers and consumers: the streams this bus trims. */
  private List<String> topicsInUse() {
    Set<String> topics = new LinkedHashSet<>();
    for (Object resource : open.snapshot()) {
      if (resource instanceof RedisBusProducer<?> producer) {
        topics.add(producer.topic());
      } else if (resource instanceof RedisBusConsumer<?> consumer) {
        topics.add(consumer.topic());
      }
    }
    return List.copyOf(topics);
  }

  private static long maxLength(Map<String, Object> config) {
    Set<String> refused = new TreeSet<>(config.keySet());
    refused.remove(MAX_LEN);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "the redis bus does not support producer config keys "
              + refused
              + "; the only supported key is "
              + MAX_LEN);
    }
    Object value = config.get(MAX_LEN);
    if (value == null) {
      return -1;
    }
    if (!(value instanceof Long || value instanceof Integer) || ((Number) value).longValue() < 1) {
      throw new IllegalArgumentException(
          "producer config '"
              + MAX_LEN
              + "' must be an Integer or Long of at least 1, got "
              + value
              + " ("
              + value.getClass().getName()
              + ")");
    }
    return ((Number) value).longValue();
  }
}
