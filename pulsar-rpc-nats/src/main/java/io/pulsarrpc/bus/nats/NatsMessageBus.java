package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus SPI on NATS JetStream, with the jnats client: every topic is a stream, every subscription
 * a durable pull consumer of it, both created on demand, so messages are kept by the server and
 * survive restarts of clients and of the server.
 *
 * <pre>{@code
 * try (MessageBus bus = NatsMessageBus.create("nats://localhost:4222")) {
 *   BusProducer<String> producer =
 *       bus.createProducer(ProducerSpec.of("requests", Schema.STRING)).join();
 *   producer.send(OutgoingMessage.of("id-1", "hello", Map.of())).join();
 * }
 * }</pre>
 *
 * <h2>Mapping</h2>
 *
 * <ul>
 *   <li><b>Names.</b> Topic {@code T} is the stream {@code RPC_<escaped T>} with the one subject
 *       {@code rpc.<escaped T>}; subscription {@code S} is the durable consumer {@code <escaped S>}
 *       of that stream. The escaping keeps {@code A-Z a-z 0-9 -}, doubles {@code _} and writes any
 *       other UTF-8 byte as {@code _} and two hex digits, so any topic works (a Pulsar-style {@code
 *       persistent://public/default/orders} is the stream {@code
 *       RPC_persistent_3A_2F_2Fpublic_2Fdefault_2Forders}) and two topics never share a stream. An
 *       escaped name longer than 255 characters is refused with {@link IllegalArgumentException}.
 *   <li><b>Messages.</b> The value, encoded with the spec's schema, is the body; the key, the
 *       properties and the delivery time are headers: {@code rpc-key}, one {@code p-<name>} per
 *       property, {@code rpc-deliver-at} (epoch milliseconds) and {@code rpc-null-value: true} for
 *       a null value, with names and values percent-encoded (UTF-8; every byte outside {@code
 *       !}..{@code ~}, and {@code %} and {@code :}, as {@code %XX}) because NATS headers take only
 *       printable ASCII. {@code docs/protocol.md} has the full layout.
 *   <li><b>Message ids</b> are {@link BusMessageId}s {@code (topic, String.valueOf(seq), seq)} of
 *       the stream sequence; the publish time is the server's time of storing.
 *   <li><b>Subscriptions.</b> Consumers with the same subscription name share its messages (each
 *       message goes to one of them); every subscription gets every message (fan-out). A new
 *       subscription starts at {@link InitialPosition#LATEST} ({@code DeliverPolicy.New}) or {@link
 *       InitialPosition#EARLIEST} ({@code DeliverPolicy.All}, the messages the stream still holds);
 *       the position counts only when the durable consumer is created, as on Pulsar. Durable
 *       consumers use explicit acknowledgement, unlimited deliveries, the {@linkplain
 *       Builder#ackWait(Duration) ack wait} and the {@linkplain Builder#maxAckPending(int) maximum
 *       of pending acknowledgements}. They live until deleted (for example with {@code nats
 *       consumer rm}); with interest retention, an abandoned one keeps messages until {@code
 *       maxAge}.
 *   <li><b>Exclusive subscriptions</b> ({@link SubscriptionMode#EXCLUSIVE}) are emulated with a
 *       lease in the key-value bucket {@value #EXCLUSIVE_LEASES_BUCKET}, keyed by stream and
 *       durable name. The first consumer creates the entry and renews it every third of the
 *       bucket's time-to-live ({@link Builder#exclusiveLeaseTtl(Duration)}); a second consumer, of
 *       this or any other process, is refused with an {@link IllegalStateException} naming the
 *       subscription and topic. Closing the consumer deletes the entry; the lease of a crashed
 *       process expires after the time-to-live. A holder that could not renew for two thirds of it
 *       stops pulling until it holds the lease again, so that two consumers never pull at the same
 *       time. A {@link SubscriptionMode#SHARED} consumer is refused on a subscription with a live
 *       exclusive lease; the opposite (an exclusive consumer on a subscription whose shared
 *       consumers are connected) is not detected.
 *   <li><b>Receiving.</b> Each consumer has a thread of its own that pulls one message at a time
 *       ({@code fetch(1)}), and only while a {@link BusConsumer#receive()} is waiting: nothing is
 *       prefetched, {@link SubscriptionSpec#receiverQueueSize()} is ignored, and a caller that
 *       stops receiving stops taking messages. Receives complete on that thread. It waits out
 *       connection losses and server restarts, and binds again (recreating the stream and the
 *       durable consumer if the server lost them) after an error.
 *   <li><b>Acknowledgement.</b> {@code acknowledge()} is JetStream's {@code +ACK}, confirmed by the
 *       server; {@code negativeAcknowledge()} is {@code -NAK} with {@link
 *       Builder#negativeAckRedeliveryDelay(Duration)}; {@code redeliveryCount()} is the delivery
 *       count minus one (minus hidden deliveries, below). A message that is not acknowledged within
 *       the ack wait, for example because its consumer closed or crashed, is delivered again.
 *   <li><b>Delayed delivery</b> ({@link #supportsDelayedDelivery()} is true). A message with a
 *       delivery time is stored at once with the header {@code rpc-deliver-at}. A consumer that
 *       receives it before that time (by {@link System#currentTimeMillis()}) does not hand it over
 *       but gives it back with a negative acknowledgement delayed until that time; JetStream keeps
 *       the message and the delay in its store, so it is delivered at its time, never earlier,
 *       across restarts of clients and of the server. These hidden deliveries are recorded in the
 *       key-value bucket {@value #EARLY_DELIVERIES_BUCKET} and not counted in {@code
 *       redeliveryCount()}, except when a consumer crashed holding one or the record could not be
 *       written or read. A delivery time further away than the stream's {@code maxAge} is refused
 *       with {@link IllegalArgumentException}. Delayed messages waiting for their time count
 *       against the consumer's {@link Builder#maxAckPending(int)}.
 *   <li><b>Topic patterns</b> are not supported ({@link #supportsTopicPatterns()} is false): a
 *       pattern subscription is refused with {@link IllegalArgumentException}.
 *   <li><b>Decoding.</b> {@link io.pulsarrpc.bus.IncomingMessage#value()} throws {@link
 *       MessageDecodeException} when the body does not decode with the consumer's schema; {@code
 *       data()}, {@code key()} and acknowledgement still work. {@code asPulsarMessage()} returns a
 *       {@link PulsarMessageView}; {@code pulsarConsumer()} returns null.
 * </ul>
 *
 * <h2>Streams and retention</h2>
 *
 * <p>A stream created by the bus has {@linkplain Builder#retention(RetentionPolicy) interest
 * retention} by default: a message is deleted once every subscription that existed when it was
 * published has acknowledged it, and a message published to a topic without subscriptions is
 * dropped, as on Pulsar without retention. Its {@linkplain Builder#maxAge(Duration) maxAge} (7 days
 * by default) bounds what an abandoned subscription keeps; {@link Builder#maxMessages(long)} and
 * {@link Builder#maxBytes(long)} may bound it further (a full stream then refuses publishes). A
 * stream or durable consumer that already exists is used with the settings it has.
 *
 * <h2>Settings</h2>
 *
 * <p>{@link ProducerSpec#config()} must be empty: this bus has no producer settings, and {@link
 * #createProducer} throws {@link IllegalArgumentException} naming any key given. {@link
 * OutgoingMessage#config()} accepts the keys of Pulsar's {@code TypedMessageBuilder.loadConf} that
 * mean something here, with Pulsar's value types: {@code key} (String, replaces the key), {@code
 * properties} (Map of String to String, merged over the message's properties), {@code deliverAt}
 * (Long, epoch milliseconds) or {@code deliverAfterSeconds} (Long), not both, and {@code eventTime}
 * (Long, accepted and ignored). Any other key, a value of the wrong type or a negative time makes
 * {@link BusProducer#send} throw {@link IllegalArgumentException} naming the key.
 *
 * <h2>Connection, threads and errors</h2>
 *
 * <p>{@link #create(String)} connects with jnats's defaults, reconnecting forever, and closes that
 * connection in {@link #closeAsync()}. {@link #create(Connection)} uses your connection, with its
 * authentication and TLS, and never closes it. The bus, its producers, consumers and messages are
 * thread-safe. Futures are never completed while the bus holds a lock. Set-up (streams, consumers,
 * buckets) runs on the bus's worker threads, and send and acknowledgement futures complete there,
 * never on a jnats thread; receives complete on the consumer's own thread. Keep callbacks short.
 *
 * <p>Invalid arguments throw {@link IllegalArgumentException} at once; server failures fail the
 * returned future with jnats's exception (or an {@link IllegalStateException} that names what could
 * not be done). {@link #closeAsync()} is idempotent: it closes every producer and consumer, fails
 * waiting receives with an {@link IllegalStateException} ("bus closed"), stops the bus's threads
 * and closes the connection if the bus opened it. Afterwards {@link #createProducer} and {@link
 * #subscribe} return futures failed with an {@link IllegalStateException} ("bus closed"), as do
 * sends of its producers. Messages handed over and not yet acknowledged can still be acknowledged
 * while the connection is open; otherwise they come back after the ack wait.
 */
public final class NatsMessageBus implements MessageBus {

  /** The default {@link Builder#ackWait(Duration)}: 30 seconds, as JetStream's own default. */
  public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

  /** Accepts only an empty config: this bus has no producer settings. */
  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("producer config must not be null");
    }
    if (!config.isEmpty()) {
      throw new IllegalArgumentException(
          "the nats bus has no producer settings; remove the producer config keys "
              + new TreeSet<>(config.keySet()));
    }
  }

  /**
   * The default {@link Builder#negativeAckRedeliveryDelay(Duration)}: 1 second, as the Pulsar bus.
   */
  public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);

  /** The default {@link Builder#maxAge(Duration)} of the streams the bus creates: 7 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  /** The default {@link Builder#maxAckPending(int)}: 100,000. */
  public static final int DEFAULT_MAX_ACK_PENDING = 100_000;

  /** The default {@link Builder#exclusiveLeaseTtl(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_EXCLUSIVE_LEASE_TTL = Duration.ofSeconds(10);

  /** The default {@link Builder#operationTimeout(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);

  /** The key-value bucket of the leases of exclusive subscriptions. */
  public static final String EXCLUSIVE_LEASES_BUCKET = "pulsar-rpc-exclusive-leases";

  /** The key-value bucket that records deliveries of delayed messages before their time. */
  public static final String EARLY_DELIVERIES_BUCKET = "pulsar-rpc-early-deliveries";

  private static final Logger log = LoggerFactory.getLogger(NatsMessageBus.class);

  private final Connection connection;
  private final boolean ownsConnection;
  private final BusSettings settings;
  private final JetStreamProvisioner provisioner;
  private final EarlyDeliveries earlyDeliveries;
  private final ExecutorService workers;
  private final Executor callbacks;
  private final ScheduledThreadPoolExecutor leaseTimer;

  private final Object lock = new Object();
  // Guarded by lock. What closeAsync() must close; producers and consumers leave when closed.
  private final Set<NatsBusProducer<?>> producers = new HashSet<>();
  private final Set<NatsBusConsumer<?>> consumers = new HashSet<>();
  // Guarded by lock. Null while open; once set the bus is closing or closed.
  private CompletableFuture<Void> closed;

  private NatsMessageBus(Connection connection, boolean ownsConnection, BusSettings settings)
      throws IOException {
    this.connection = connection;
    this.ownsConnection = ownsConnection;
    this.settings = settings;
    this.provisioner = new JetStreamProvisioner(connection, settings);
    this.earlyDeliveries = new EarlyDeliveries(provisioner, settings);
    this.workers = Executors.newCachedThreadPool(daemonThreads("pulsar-rpc-nats-worker-"));
    this.callbacks = this::runOnWorker;
    this.leaseTimer = new ScheduledThreadPoolExecutor(1, daemonThreads("pulsar-rpc-nats-leases-"));
    this.leaseTimer.setRemoveOnCancelPolicy(true);
  }

  /**
   * A bus on a new connection to {@code natsUrl} (for example {@code nats://localhost:4222}) with
   * the default settings; the bus owns the connection and closes it in {@link #closeAsync()}. For
   * authentication, TLS or other connection settings, connect yourself and use {@link
   * #create(Connection)}.
   *
   * @throws IllegalArgumentException when {@code natsUrl} is blank or not a NATS URL
   * @throws UncheckedIOException when the server cannot be reached
   */
  public static NatsMessageBus create(String natsUrl) {
    return builder().url(natsUrl).build();
  }

  /**
   * A bus on your connection, with the default settings. Closing the bus closes what it created
   * (subscriptions, threads) but not {@code connection}, which stays usable.
   *
   * @throws IllegalArgumentException when {@code connection} is null or closed
   */
  public static NatsMessageBus create(Connection connection) {
    return builder().connection(connection).build();
  }

  /** A builder for a bus with non-default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns {@code "nats"}. */
  @Override
  public String name() {
    return "nats";
  }

  /** Returns true: see the class javadoc for how delivery is delayed. */
  @Override
  public boolean supportsDelayedDelivery() {
    return true;
  }

  /** Returns false: JetStream streams are per topic here, and patterns are not mapped. */
  @Override
  public boolean supportsTopicPatterns() {
    return false;
  }

  /** Returns true: a JetStream durable consumer keeps its messages while no one pulls. */
  @Override
  public boolean isDurable() {
    return true;
  }

  /**
   * Creates a producer for {@code spec.topic()}, creating the topic's stream when it does not
   * exist. The future fails when the server refuses the stream (for example when another stream
   * captures its subject), or with an {@link IllegalStateException} once the bus is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null, has a non-empty config, or its
   *     topic's stream name would be too long
   */
  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    if (spec == null) {
      throw new IllegalArgumentException("producer spec must not be null");
    }
    checkProducerConfig(spec.config());
    NatsNames.streamName(spec.topic());
    if (isClosed()) {
      return CompletableFuture.failedFuture(closedException());
    }
    return onWorker(() -> provisioner.ensureStream(spec.topic()))
        .thenCompose(stream -> registerProducer(newProducer(spec, stream)));
  }

  /**
   * Subscribes to {@code spec.topic()} as the durable consumer of {@code spec.subscription()},
   * creating the stream and the durable consumer when they do not exist. The future completes once
   * the durable consumer exists. It fails with an {@link IllegalStateException} naming subscription
   * and topic when the subscription is exclusive and has a consumer, or is shared and has an
   * exclusive one; with the server's error when it refuses the stream or consumer; or with an
   * {@link IllegalStateException} once the bus is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null, has a topic pattern, or its stream
   *     or durable consumer name would be too long
   */
  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    if (spec == null) {
      throw new IllegalArgumentException("subscription spec must not be null");
    }
    if (spec.isPattern()) {
      throw new IllegalArgumentException(
          "the nats bus does not support topic patterns (supportsTopicPatterns() is false);"
              + " subscribe to each topic instead of "
              + spec.topicsPattern().pattern());
    }
    NatsNames.streamName(spec.topic());
    NatsNames.durableName(spec.subscription());
    if (isClosed()) {
      return CompletableFuture.failedFuture(closedException());
    }
    return onWorker(() -> newConsumer(spec)).thenCompose(this::registerConsumer);
  }

  /**
   * Closes every producer and consumer of this bus (waiting receives fail with an {@link
   * IllegalStateException}), releases their exclusive leases, stops the bus's threads and closes
   * the connection if the bus opened it. A connection given to {@link #create(Connection)} stays
   * open. Idempotent: every call returns a future of the same close.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    List<NatsBusProducer<?>> openProducers;
    List<NatsBusConsumer<?>> openConsumers;
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (closed != null) {
        return closed.copy();
      }
      closed = new CompletableFuture<>();
      done = closed;
      openProducers = List.copyOf(producers);
      openConsumers = List.copyOf(consumers);
    }
    // Outside the lock: closing calls back into forget(), which takes it.
    String reason = closedException().getMessage();
    openProducers.forEach(producer -> producer.close(reason));
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    openConsumers.forEach(consumer -> closing.add(consumer.close(reason)));
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
        .whenCompleteAsync((ignored, error) -> finishClose(done), callbacks);
    return done.copy();
  }

  @Override
  public String toString() {
    return "NatsMessageBus[" + connection.getConnectedUrl() + "]";
  }

  /** The connection this bus uses; for tests. */
  Connection connection() {
    return connection;
  }

  private void finishClose(CompletableFuture<Void> done) {
    Throwable failure = null;
    leaseTimer.shutdownNow();
    if (ownsConnection) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    workers.shutdown();
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  private <T> NatsBusProducer<T> newProducer(ProducerSpec<T> spec, StreamConfiguration stream) {
    Duration maxAge = stream.getMaxAge() == null ? Duration.ZERO : stream.getMaxAge();
    return new NatsBusProducer<>(
        spec.topic(), spec.schema(), provisioner.jetStream(), maxAge, callbacks, this::forget);
  }

  /** Runs on a worker: creates what the subscription needs, then the consumer (not started). */
  private <T> NatsBusConsumer<T> newConsumer(SubscriptionSpec<T> spec)
      throws IOException, JetStreamApiException {
    String topic = spec.topic();
    String stream = NatsNames.streamName(topic);
    String durable = NatsNames.durableName(spec.subscription());
    String description = "subscription '" + spec.subscription() + "' on topic '" + topic + "'";
    String leaseKey = stream + "." + durable;
    provisioner.ensureStream(topic);
    ExclusiveLease lease = null;
    if (spec.mode() == SubscriptionMode.EXCLUSIVE) {
      JetStreamProvisioner.Bucket bucket =
          provisioner.bucket(
              EXCLUSIVE_LEASES_BUCKET,
              settings.exclusiveLeaseTtl(),
              // A renewal that waits longer than this is too late anyway.
              min(settings.operationTimeout(), settings.exclusiveLeaseTtl().dividedBy(3)),
              "pulsar-rpc: leases of exclusive subscriptions");
      if (bucket.ttl().isZero()) {
        throw new IllegalStateException(
            "the NATS key-value bucket "
                + EXCLUSIVE_LEASES_BUCKET
                + " has no time-to-live, so the lease of a crashed consumer would never expire;"
                + " delete the bucket so that the bus creates it again");
      }
      lease = ExclusiveLease.acquire(bucket.keyValue(), bucket.ttl(), leaseKey, description);
    } else if (ExclusiveLease.isHeld(
        provisioner.existingBucket(EXCLUSIVE_LEASES_BUCKET), leaseKey)) {
      throw new IllegalStateException(
          description + " has an exclusive consumer; a shared consumer cannot join it");
    }
    ScheduledFuture<?> renewal = null;
    try {
      NatsBusConsumer.Binder binder =
          () -> {
            provisioner.forgetStream(stream);
            provisioner.ensureStream(topic);
            provisioner.ensureDurable(
                topic, stream, durable, spec.subscription(), spec.initialPosition());
            return provisioner.bind(stream, durable);
          };
      provisioner.ensureDurable(
          topic, stream, durable, spec.subscription(), spec.initialPosition());
      JetStreamSubscription subscription = provisioner.bind(stream, durable);
      if (lease != null) {
        long period = lease.renewalPeriod().toMillis();
        renewal =
            leaseTimer.scheduleWithFixedDelay(lease::renew, period, period, TimeUnit.MILLISECONDS);
      }
      return new NatsBusConsumer<>(
          spec,
          connection,
          subscription,
          binder,
          lease,
          renewal,
          earlyDeliveries,
          new NatsIncomingMessage.Settlement(
              connection,
              settings.operationTimeout(),
              settings.negativeAckRedeliveryDelay(),
              callbacks),
          callbacks,
          this::forget);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      if (renewal != null) {
        renewal.cancel(false);
      }
      if (lease != null) {
        lease.release();
      }
      throw e;
    }
  }

  private <T> CompletableFuture<BusProducer<T>> registerProducer(NatsBusProducer<T> producer) {
    synchronized (lock) {
      if (closed == null) {
        producers.add(producer);
        return CompletableFuture.completedFuture(producer);
      }
    }
    producer.close(closedException().getMessage());
    return CompletableFuture.failedFuture(closedException());
  }

  private <T> CompletableFuture<BusConsumer<T>> registerConsumer(NatsBusConsumer<T> consumer) {
    boolean open;
    synchronized (lock) {
      open = closed == null;
      if (open) {
        consumers.add(consumer);
      }
    }
    if (open) {
      consumer.start();
      return CompletableFuture.completedFuture(consumer);
    }
    // The bus was closed while the consumer was set up: nobody else will close it.
    return consumer
        .close(closedException().getMessage())
        .handle(
            (ignored, error) -> {
              throw closedException();
            });
  }

  private void forget(Object resource) {
    synchronized (lock) {
      producers.remove(resource);
      consumers.remove(resource);
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed != null;
    }
  }

  /** A blocking set-up step on a worker thread; its exception fails the future. */
  private <R> CompletableFuture<R> onWorker(BlockingStep<R> step) {
    CompletableFuture<R> result = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              result.complete(step.run());
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedException());
    }
    return result;
  }

  private void runOnWorker(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      // The bus is closed and its workers are gone: late completions run on the caller's thread.
      task.run();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException(
        "bus closed: this NatsMessageBus was closed; create a new one");
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @FunctionalInterface
  private interface BlockingStep<R> {
    R run() throws Exception;
  }

  /**
   * Settings of a {@link NatsMessageBus}. Set exactly one of {@link #url(String)} and {@link
   * #connection(Connection)}. Setters reject a bad value with {@link IllegalArgumentException};
   * {@link #build()} checks the settings together. Not thread-safe; {@link #build()} may be called
   * again.
   *
   * <p>The stream settings ({@link #maxAge}, {@link #maxMessages}, {@link #maxBytes}, {@link
   * #retention}, {@link #storage}, {@link #replicas}) apply to the streams and key-value buckets
   * this bus creates; existing ones keep theirs. The consumer settings ({@link #ackWait}, {@link
   * #maxAckPending}) apply to the durable consumers it creates.
   */
  public static final class Builder {

    private String url;
    private Connection connection;
    private Duration ackWait = DEFAULT_ACK_WAIT;
    private Duration negativeAckRedeliveryDelay = DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private long maxMessages = -1;
    private long maxBytes = -1;
    private RetentionPolicy retention = RetentionPolicy.Interest;
    private StorageType storage = StorageType.File;
    private int replicas = 1;
    private int maxAckPending = DEFAULT_MAX_ACK_PENDING;
    private Duration exclusiveLeaseTtl = DEFAULT_EXCLUSIVE_LEASE_TTL;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;

    private Builder() {}

    /**
     * Connect to this URL (for example {@code nats://localhost:4222}; several separated by commas)
     * with jnats's defaults, reconnecting forever; the bus owns the connection. No default.
     *
     * @throws IllegalArgumentException when {@code url} is blank
     */
    public Builder url(String url) {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("url must not be blank");
      }
      this.url = url;
      return this;
    }

    /**
     * Use this connection, which the bus never closes. No default.
     *
     * @throws IllegalArgumentException when {@code connection} is null
     */
    public Builder connection(Connection connection) {
      if (connection == null) {
        throw new IllegalArgumentException("connection must not be null");
      }
      this.connection = connection;
      return this;
    }

    /**
     * How long the server waits for the acknowledgement of a delivered message before it delivers
     * it again. Default {@link #DEFAULT_ACK_WAIT} (30 s). Longer than the slowest handler, or
     * messages are processed twice.
     *
     * @throws IllegalArgumentException when {@code ackWait} is null or not positive
     */
    public Builder ackWait(Duration ackWait) {
      this.ackWait = positive("ackWait", ackWait);
      return this;
    }

    /**
     * How long a negatively acknowledged message waits before it is delivered again. Default {@link
     * #DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY} (1 s); zero redelivers at once.
     *
     * @throws IllegalArgumentException when {@code delay} is null or negative
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
     * How long a stream keeps a message at most, acknowledged or not. Default {@link
     * #DEFAULT_MAX_AGE} (7 days); zero keeps messages until acknowledged (or for ever, with {@link
     * RetentionPolicy#Limits}), which {@link #build()} allows only with {@link #maxMessages} or
     * {@link #maxBytes}. A delivery time further away is refused.
     *
     * @throws IllegalArgumentException when {@code maxAge} is null, negative, or positive and under
     *     one second
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge == null
          || maxAge.isNegative()
          || (!maxAge.isZero() && maxAge.compareTo(Duration.ofSeconds(1)) < 0)) {
        throw new IllegalArgumentException(
            "maxAge must be zero (no limit) or at least one second, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * The most messages a stream holds; a full stream refuses publishes. Default -1: no limit.
     *
     * @throws IllegalArgumentException when {@code maxMessages} is neither -1 nor positive
     */
    public Builder maxMessages(long maxMessages) {
      this.maxMessages = limit("maxMessages", maxMessages);
      return this;
    }

    /**
     * The most bytes a stream holds; a full stream refuses publishes. Default -1: no limit.
     *
     * @throws IllegalArgumentException when {@code maxBytes} is neither -1 nor positive
     */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = limit("maxBytes", maxBytes);
      return this;
    }

    /**
     * When a stream deletes a message: {@link RetentionPolicy#Interest} (the default) once every
     * subscription acknowledged it, or {@link RetentionPolicy#Limits} only at the limits, so that a
     * new {@link InitialPosition#EARLIEST} subscription reads the topic's history. Always also at
     * {@link #maxAge}, {@link #maxMessages} and {@link #maxBytes}.
     *
     * @throws IllegalArgumentException for null or {@link RetentionPolicy#WorkQueue}, which allows
     *     only one subscription per topic
     */
    public Builder retention(RetentionPolicy retention) {
      if (retention == null || retention == RetentionPolicy.WorkQueue) {
        throw new IllegalArgumentException(
            "retention must be Interest or Limits, got "
                + retention
                + " (WorkQueue allows one subscription per topic, so no fan-out)");
      }
      this.retention = retention;
      return this;
    }

    /**
     * Where streams and buckets keep messages. Default {@link StorageType#File}, which survives a
     * restart of the NATS server; with {@link StorageType#Memory} a restart loses every message,
     * delayed ones included.
     *
     * @throws IllegalArgumentException when {@code storage} is null
     */
    public Builder storage(StorageType storage) {
      if (storage == null) {
        throw new IllegalArgumentException("storage must not be null");
      }
      this.storage = storage;
      return this;
    }

    /**
     * How many servers of a NATS cluster keep a copy of each stream and bucket. Default 1.
     *
     * @throws IllegalArgumentException when {@code replicas} is not between 1 and 5
     */
    public Builder replicas(int replicas) {
      if (replicas < 1 || replicas > 5) {
        throw new IllegalArgumentException("replicas must be between 1 and 5, got " + replicas);
      }
      this.replicas = replicas;
      return this;
    }

    /**
     * How many messages of a subscription may be delivered and not yet acknowledged, delayed
     * messages waiting for their time included; beyond it the server delivers no new message to the
     * subscription. Default {@link #DEFAULT_MAX_ACK_PENDING} (100,000); make it larger than the
     * number of delayed messages a subscription may wait for at once.
     *
     * @throws IllegalArgumentException when {@code maxAckPending} is not positive
     */
    public Builder maxAckPending(int maxAckPending) {
      if (maxAckPending < 1) {
        throw new IllegalArgumentException("maxAckPending must be positive, got " + maxAckPending);
      }
      this.maxAckPending = maxAckPending;
      return this;
    }

    /**
     * The time-to-live of the lease that makes a subscription exclusive: after a crash, its
     * subscription accepts a new consumer this long after the holder last renewed it. Default
     * {@link #DEFAULT_EXCLUSIVE_LEASE_TTL} (10 s). It is the time-to-live of the bucket {@value
     * #EXCLUSIVE_LEASES_BUCKET} when the bus creates it; every bus uses the time-to-live the bucket
     * has, so all buses of a NATS system share it.
     *
     * @throws IllegalArgumentException when {@code ttl} is null or under one second
     */
    public Builder exclusiveLeaseTtl(Duration ttl) {
      if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "exclusiveLeaseTtl must be at least one second, got " + ttl);
      }
      this.exclusiveLeaseTtl = ttl;
      return this;
    }

    /**
     * How long one request to the server may take: a publish, a confirmed acknowledgement, a
     * stream, consumer or bucket operation. Default {@link #DEFAULT_OPERATION_TIMEOUT} (10 s).
     *
     * @throws IllegalArgumentException when {@code timeout} is null or not positive
     */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = positive("operationTimeout", timeout);
      return this;
    }

    /**
     * A new bus with these settings; with {@link #url(String)}, on a new connection.
     *
     * @throws IllegalArgumentException when not exactly one of url and connection is set, the
     *     connection is closed, streams would have no limit at all, or the URL is not a NATS URL
     * @throws UncheckedIOException when the server at the URL cannot be reached
     */
    public NatsMessageBus build() {
      List<String> problems = new ArrayList<>();
      if ((url == null) == (connection == null)) {
        problems.add(
            url == null
                ? "set url(...) or connection(...): where the NATS server is"
                : "set only one of url(...) and connection(...)");
      }
      if (connection != null && connection.getStatus() == Connection.Status.CLOSED) {
        problems.add("the connection is closed: pass an open one");
      }
      if (maxAge.isZero() && maxMessages < 0 && maxBytes < 0) {
        problems.add(
            "maxAge is zero and neither maxMessages nor maxBytes is set: streams would grow"
                + " without bound; set one of them");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid NatsMessageBus settings: " + String.join("; ", problems));
      }
      BusSettings settings =
          new BusSettings(
              ackWait,
              negativeAckRedeliveryDelay,
              maxAge,
              maxMessages,
              maxBytes,
              retention,
              storage,
              replicas,
              maxAckPending,
              exclusiveLeaseTtl,
              operationTimeout);
      if (connection != null) {
        try {
          return new NatsMessageBus(connection, false, settings);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot use JetStream on the connection: " + e, e);
        }
      }
      Connection own = connect(url);
      try {
        return new NatsMessageBus(own, true, settings);
      } catch (IOException | RuntimeException e) {
        closeQuietly(own);
        throw e instanceof IOException io
            ? new UncheckedIOException("cannot use JetStream at " + url + ": " + e, io)
            : (RuntimeException) e;
      }
    }

    private static Connection connect(String url) {
      Options options;
      try {
        options =
            Options.builder()
                .server(url)
                .connectionName("pulsar-rpc")
                // Like the Pulsar client: keep trying, a server restart must not end the bus.
                .maxReconnects(-1)
                .build();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + url + "' is not a NATS URL: " + e.getMessage(), e);
      }
      try {
        return Nats.connect(options);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to NATS at " + url + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
      }
    }

    private static void closeQuietly(Connection connection) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.debug("Could not close the NATS connection: {}", e.toString());
      }
    }

    private static Duration positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static long limit(String name, long value) {
      if (value != -1 && value < 1) {
        throw new IllegalArgumentException(
            name + " must be -1 (no limit) or positive, got " + value);
      }
      return value;
    }
  }
}
