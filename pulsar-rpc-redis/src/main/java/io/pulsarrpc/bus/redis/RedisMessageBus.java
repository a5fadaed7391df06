package io.pulsarrpc.bus.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
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
 * Cluster).
 *
 * <pre>{@code
 * try (MessageBus bus = RedisMessageBus.create("redis://localhost:6379")) {
 *   BusProducer<String> producer =
 *       bus.createProducer(ProducerSpec.of("requests", Schema.STRING)).join();
 *   producer.send(OutgoingMessage.of("id-1", "hello", Map.of())).join();
 * }
 * }</pre>
 *
 * <h2>How Pulsar's concepts map onto Redis</h2>
 *
 * <ul>
 *   <li><b>A topic is a stream</b>, the Redis key named exactly as the topic. A message is one
 *       stream entry with the fields {@code key} (absent when the message has none), {@code value}
 *       (the bytes of the producer's {@link org.apache.pulsar.client.api.Schema}; empty for a null
 *       value, which also gets the field {@code null-value} = {@code 1}) and {@code p:<name>} for
 *       each property. Its id is a {@link BusMessageId} whose text is the stream entry id; its
 *       publish time is the time part of that id, by the Redis server's clock. The consumer decodes
 *       the value with its own schema: bytes that do not decode make {@link
 *       IncomingMessage#value()} throw {@link MessageDecodeException}, while {@code data()}, {@code
 *       key()} and acknowledgement still work. {@link IncomingMessage#asPulsarMessage()} is a
 *       {@link PulsarMessageView}; {@code pulsarConsumer()} is null.
 *   <li><b>A subscription is a consumer group</b> of the stream, created by the first consumer
 *       ({@code XGROUP CREATE … MKSTREAM}) at {@code $} for {@link InitialPosition#LATEST} or
 *       {@code 0} for {@link InitialPosition#EARLIEST}; an existing group keeps its position. Like
 *       a Pulsar subscription it is durable: it collects entries while no consumer is connected,
 *       and every group of a stream gets every entry (fan-out).
 *   <li><b>A consumer</b> is a consumer of the group with a name of its own, reading with {@code
 *       XREADGROUP} on a connection of its own (its reads block). It reads only as many entries as
 *       receives wait for (at most {@link SubscriptionSpec#receiverQueueSize()} at once), so a
 *       caller that stops receiving leaves new entries to the other consumers. {@link
 *       IncomingMessage#acknowledge()} is {@code XACK}.
 *   <li><b>{@link SubscriptionMode#SHARED}</b>: the consumers of a group share its entries, as
 *       Redis does.
 *   <li><b>{@link SubscriptionMode#EXCLUSIVE}</b> is emulated, since Redis has no exclusive groups:
 *       every consumer holds a lease in a sorted set of the subscription's members, renewed by a
 *       heartbeat every third of the lease and removed on close. A consumer may join only when the
 *       subscription has no live member, or when both it and the members are shared; otherwise its
 *       {@link #subscribe} future fails with an {@link IllegalStateException} naming the
 *       subscription and topic. The check and the join are one Lua script, so two consumers racing
 *       for an exclusive subscription cannot both win. A consumer that crashed holds its place
 *       until its lease ends ({@link Builder#consumerLease(Duration)}, 10 s by default). A consumer
 *       whose heartbeats failed for a whole lease (cut off from Redis) and whose place was taken
 *       meanwhile closes itself: its waiting receives fail with an {@link IllegalStateException}
 *       that says so. As with any lease, two exclusive consumers may overlap while one is cut off
 *       from Redis and has not noticed yet.
 * </ul>
 *
 * <h2>Redelivery</h2>
 *
 * <ul>
 *   <li><b>A consumer that dies</b> (crash, lost connection) leaves its unacknowledged entries in
 *       the group's pending list. Consumers of the group that have receives waiting claim entries
 *       idle for at least {@link Builder#claimIdleTime(Duration)} (30 s by default) with {@code
 *       XAUTOCLAIM}, looking every half of that time (at most every second). A live consumer's
 *       heartbeat resets the idle time of the entries it holds, so a slow handler never loses its
 *       entry to another consumer. {@link IncomingMessage#redeliveryCount()} is the entry's
 *       delivery count minus one.
 *   <li><b>A consumer that closes</b> releases the entries it holds: they become claimable at once
 *       and go to another consumer within a second.
 *   <li><b>An answer lost with the connection</b>: when Redis dies (or the connection breaks) just
 *       after it handed entries to a consumer's read or claim, the entries are in that consumer's
 *       pending list (and, with persistence on, in Redis's data after a restart) but never reached
 *       it. So after one of its connections reconnects, or a read or claim fails, a consumer lists
 *       its own pending entries ({@code XPENDING}) and releases those it does not hold: they are
 *       claimed at once, by it or another consumer with receives waiting, a few seconds at most
 *       after the reconnect (a blocking read in flight at the crash, up to 2 s, ends first) instead
 *       of after the claim idle time. Their {@link IncomingMessage#redeliveryCount()} counts the
 *       lost delivery, as for any claimed entry (1 for an entry lost on its first delivery).
 *       Entries the consumer holds (not yet received, or received and not acknowledged) are left
 *       alone: they are not delivered again and their delivery count does not change.
 *   <li><b>{@link IncomingMessage#negativeAcknowledge()}</b>: after {@link
 *       Builder#negativeAckRedeliveryDelay(Duration)} (1 s by default) the entry is delivered again
 *       to the same consumer, ahead of new entries, with its delivery count raised by one (an
 *       {@code XCLAIM} of the entry by its own consumer). If that consumer closes first, the entry
 *       goes to another one as above.
 * </ul>
 *
 * <h2>Delayed delivery</h2>
 *
 * {@link #supportsDelayedDelivery()} is true. A message whose delivery time is in the future is
 * stored in a sorted set of its topic ({@code pulsar-rpc:delayed:<topic>}, scored by the delivery
 * time), and the topic is recorded in the set {@code pulsar-rpc:delayed-topics}. Every bus instance
 * runs a mover every {@link Builder#pollInterval(Duration)} (100 ms by default): one Lua script
 * that, atomically, takes the entries that are due by the Redis server's clock, adds them to their
 * streams and removes them from the sorted sets. Being atomic, it never moves an entry twice,
 * whatever the number of bus instances. So a delayed message is durable like the rest of Redis's
 * data (it survives a restart of the bus and, with persistence on, of Redis), is never delivered
 * before its time by the Redis server's clock, and is delivered at most a poll interval late while
 * any bus runs. As on Pulsar, it reaches the subscriptions that exist when it becomes due. The id
 * that {@link BusProducer#send} returns for it is {@code delayed-<uuid>}: the stream entry id is
 * only known once the entry is moved.
 *
 * <h2>Trimming</h2>
 *
 * Redis keeps acknowledged stream entries until the stream is trimmed, so the bus trims in two
 * ways. Every second, each bus trims the streams it produces to or consumes of up to the oldest
 * entry that some group still needs (its oldest pending entry, or the first it has not read): what
 * every subscription has acknowledged goes, as on Pulsar without retention; a stream without groups
 * is left alone. And every {@code XADD} caps the stream at about {@link
 * Builder#maxStreamLength(long)} entries ({@code MAXLEN ~}, 100 000 by default, or the producer's
 * {@code maxLen}), a bound that holds whatever consumers do. That cap does not look at
 * acknowledgements: when a subscription lags more than that many entries behind (all its consumers
 * stopped, or an abandoned group nobody reads), its oldest unread or unacknowledged entries are
 * lost, and a consumer that claims one logs a warning. With trimming by acknowledgement the cap is
 * reached only by such a lag, and RPC requests that old are long past their deadlines. Remove the
 * group of a subscription you no longer use ({@code XGROUP DESTROY}). Streams and groups of topics
 * nobody uses any more stay in Redis until you delete them.
 *
 * <h2>Settings</h2>
 *
 * {@link ProducerSpec#config()} accepts one key, {@code maxLen} (Integer or Long, at least 1): the
 * stream's {@code MAXLEN ~} for this producer's messages instead of {@link
 * Builder#maxStreamLength(long)}. {@link OutgoingMessage#config()} accepts the keys of Pulsar's
 * {@code TypedMessageBuilder.loadConf} that make sense here, with Pulsar's value types, applied
 * after the message's own fields: {@code key} (String, replaces the key), {@code properties} (Map
 * of String to String, merged over the message's properties), {@code deliverAt} (Long, epoch
 * milliseconds) or {@code deliverAfterSeconds} (Long), not both, and {@code eventTime} (Long,
 * accepted and ignored). Any other key, in either config, or a value of the wrong type, throws
 * {@link IllegalArgumentException} naming it, at once.
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
 * itself: consumers keep their receives waiting and resume reading, background tasks log one
 * warning and retry. A consumer whose group disappeared (deleted, or Redis restarted without its
 * data) creates it again at the subscription's initial position. A subscription refused for its
 * mode fails with {@link IllegalStateException}. After {@link #closeAsync()}, {@link
 * #createProducer}, {@link #subscribe} and sends return futures failed with an {@link
 * IllegalStateException} saying the bus is closed.
 *
 * <p>Topic patterns are not supported ({@link #supportsTopicPatterns()} is false): {@link
 * #subscribe} throws {@link IllegalArgumentException} for a pattern.
 */
public final class RedisMessageBus implements MessageBus {

  /** The default {@link Builder#claimIdleTime(Duration)}: 30 seconds. */
  public static final Duration DEFAULT_CLAIM_IDLE_TIME = Duration.ofSeconds(30);

  /** The default {@link Builder#maxStreamLength(long)}: 100 000 entries. */
  public static final long DEFAULT_MAX_STREAM_LENGTH = 100_000;

  /** The default {@link Builder#pollInterval(Duration)}: 100 milliseconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

  /** The default {@link Builder#consumerLease(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_CONSUMER_LEASE = Duration.ofSeconds(10);

  /** The default {@link Builder#negativeAckRedeliveryDelay(Duration)}: 1 second, as on Pulsar. */
  public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);

  /** The producer config key for a producer's own {@code MAXLEN ~}. */
  public static final String MAX_LEN = "maxLen";

  /** Why the waiting receives of a consumer fail when its bus closes. */
  private static final String BUS_CLOSED = "bus closed: this RedisMessageBus was closed";

  private final BusResources resources;
  private final DelayedEntryMover mover;
  private final StreamTrimmer trimmer;
  private final OpenResources open = new OpenResources("RedisMessageBus");

  private RedisMessageBus(BusSettings settings, RedisClient client, boolean ownsClient) {
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
  public static Builder builder() {
    return new Builder();
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
            connected -> {
              RedisBusProducer<T> producer =
                  new RedisBusProducer<>(resources, spec, maxLength, open::forget);
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
   * same close, which fails only if closing the connection or client failed.
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

  /**
   * Settings of a {@link RedisMessageBus}: where Redis is (a URL, or a client you manage) and how
   * the bus paces its work. Setters reject a bad value with {@link IllegalArgumentException};
   * {@link #build()} checks the settings against each other. Not thread-safe; {@link #build()} may
   * be called again.
   */
  public static final class Builder {

    private String redisUrl;
    private RedisClient client;
    private Duration claimIdleTime = DEFAULT_CLAIM_IDLE_TIME;
    private long maxStreamLength = DEFAULT_MAX_STREAM_LENGTH;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration consumerLease = DEFAULT_CONSUMER_LEASE;
    private Duration negativeAckRedeliveryDelay = DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY;

    private Builder() {}

    /**
     * The Redis to connect to, for a client the bus creates, owns and shuts down (see {@link
     * RedisMessageBus#create(String)}). Set this or {@link #client(RedisClient)}.
     *
     * @throws IllegalArgumentException when {@code redisUrl} is blank or not a Redis URL
     */
    public Builder redisUrl(String redisUrl) {
      if (redisUrl == null || redisUrl.isBlank()) {
        throw new IllegalArgumentException("redisUrl must not be blank");
      }
      try {
        RedisURI.create(redisUrl);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "redisUrl '" + redisUrl + "' is not a Redis URL: " + e.getMessage(), e);
      }
      this.redisUrl = redisUrl;
      return this;
    }

    /**
     * A client you manage, which the bus uses but never shuts down (see {@link
     * RedisMessageBus#create(RedisClient)}). Set this or {@link #redisUrl(String)}.
     *
     * @throws IllegalArgumentException when {@code client} is null
     */
    public Builder client(RedisClient client) {
      if (client == null) {
        throw new IllegalArgumentException("client must not be null");
      }
      this.client = client;
      return this;
    }

    /**
     * How long an entry must sit unacknowledged in the pending list of a consumer that stopped
     * renewing it (crashed, or cut off from Redis) before another consumer claims it. Default
     * {@link #DEFAULT_CLAIM_IDLE_TIME} (30 s). Shorter recovers faster from a crash; live consumers
     * renew their entries every third of it, so it must comfortably exceed how long a heartbeat can
     * be held up (a GC pause, a slow network).
     *
     * @throws IllegalArgumentException when null or shorter than 100 ms
     */
    public Builder claimIdleTime(Duration claimIdleTime) {
      this.claimIdleTime = atLeast("claimIdleTime", claimIdleTime, Duration.ofMillis(100));
      return this;
    }

    /**
     * The cap on each stream's length: every XADD trims with {@code MAXLEN ~ maxStreamLength}, so a
     * stream holds about that many entries at most (a little more, as Redis trims whole nodes).
     * Default {@link #DEFAULT_MAX_STREAM_LENGTH} (100 000). Trimming by this cap ignores
     * acknowledgements: see "Trimming" in the class documentation. A producer may set its own with
     * the producer config key {@code maxLen}.
     *
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxStreamLength(long maxStreamLength) {
      if (maxStreamLength < 1) {
        throw new IllegalArgumentException(
            "maxStreamLength must be at least 1, got " + maxStreamLength);
      }
      this.maxStreamLength = maxStreamLength;
      return this;
    }

    /**
     * How often the bus moves due delayed entries to their streams: a delayed message arrives up to
     * this late. Default {@link #DEFAULT_POLL_INTERVAL} (100 ms); each poll is one script call.
     *
     * @throws IllegalArgumentException when null, not positive, or longer than a minute
     */
    public Builder pollInterval(Duration pollInterval) {
      if (pollInterval == null
          || pollInterval.isNegative()
          || pollInterval.isZero()
          || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "pollInterval must be positive and at most a minute, got " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * How long a consumer that stops renewing (crashed, or cut off from Redis) stays a member of
     * its subscription: an exclusive subscription whose consumer crashed accepts a new one after
     * this. Consumers renew every third of it. Default {@link #DEFAULT_CONSUMER_LEASE} (10 s).
     *
     * @throws IllegalArgumentException when null or shorter than 100 ms
     */
    public Builder consumerLease(Duration consumerLease) {
      this.consumerLease = atLeast("consumerLease", consumerLease, Duration.ofMillis(100));
      return this;
    }

    /**
     * How long a negatively acknowledged message waits before it is delivered again. Default {@link
     * #DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY} (1 s); zero redelivers at once.
     *
     * @throws IllegalArgumentException when null or negative
     */
    public Builder negativeAckRedeliveryDelay(Duration delay) {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException(
            "negativeAckRedeliveryDelay must be zero or positive, got " + delay);
      }
      this.negativeAckRedeliveryDelay = delay;
      return this;
    }

    /**
     * A new bus with these settings. With {@link #redisUrl(String)}, it creates a Lettuce client
     * for that URL with command timeouts enabled; it connects in the background.
     *
     * @throws IllegalArgumentException when neither or both of {@code redisUrl} and {@code client}
     *     are set, or when {@code pollInterval} is not shorter than {@code claimIdleTime} and
     *     {@code consumerLease}
     */
    public RedisMessageBus build() {
      if ((redisUrl == null) == (client == null)) {
        throw new IllegalArgumentException(
            redisUrl == null
                ? "set redisUrl or client: the bus needs to know which Redis to use"
                : "set only one of redisUrl and client: a bus uses one Redis client");
      }
      for (Map.Entry<String, Duration> setting :
          Map.of("claimIdleTime", claimIdleTime, "consumerLease", consumerLease).entrySet()) {
        if (pollInterval.compareTo(setting.getValue()) >= 0) {
          throw new IllegalArgumentException(
              "pollInterval ("
                  + pollInterval
                  + ") must be shorter than "
                  + setting.getKey()
                  + " ("
                  + setting.getValue()
                  + "); shorten pollInterval or lengthen "
                  + setting.getKey());
        }
      }
      BusSettings settings =
          new BusSettings(
              claimIdleTime,
              maxStreamLength,
              pollInterval,
              consumerLease,
              negativeAckRedeliveryDelay);
      if (client != null) {
        return new RedisMessageBus(settings, client, false);
      }
      RedisClient owned = RedisClient.create(redisUrl);
      owned.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled()).build());
      return new RedisMessageBus(settings, owned, true);
    }

    private static Duration atLeast(String name, Duration value, Duration minimum) {
      if (value == null || value.compareTo(minimum) < 0) {
        throw new IllegalArgumentException(
            name + " must be at least " + minimum.toMillis() + " ms, got " + value);
      }
      return value;
    }
  }
}
