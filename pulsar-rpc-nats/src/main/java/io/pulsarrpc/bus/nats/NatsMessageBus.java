package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
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
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.bus.support.OpenResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus SPI on NATS, with the jnats client, in one of two {@linkplain NatsMode modes}. In {@link
 * NatsMode#JETSTREAM} mode (the default) every topic is a stream and every subscription a durable
 * pull consumer of it, both created on demand, so messages are kept by the server and survive
 * restarts of clients and of the server. In {@link NatsMode#CORE} mode a topic is a subject and a
 * subscription a queue group: nothing is stored, nothing is delivered again, and there is no
 * delayed delivery. {@code docs/buses.md} says when to choose which; {@code docs/protocol.md} has
 * the names, headers and delivery rules on the wire, for other clients.
 *
 * <pre>{@code
 * try (MessageBus bus = NatsMessageBus.create("nats://localhost:4222")) {
 *   BusProducer<String> producer =
 *       bus.createProducer(ProducerSpec.of("requests", Schema.STRING)).join();
 *   producer.send(OutgoingMessage.of("id-1", "hello", Map.of())).join();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Names.</b> Any topic and subscription name works; two names never share a stream,
 *       subject or consumer. A name longer than 255 characters once escaped is refused with {@link
 *       IllegalArgumentException}.
 *   <li><b>Messages</b> keep their key, properties (any text) and value; a null value stays null.
 *       Message ids are {@link BusMessageId}s of the stream sequence (in core mode, of the
 *       consumer's count of messages); the publish time is the server's time of storing (in core
 *       mode, the producer's clock at the send).
 *   <li><b>Subscriptions.</b> Consumers with the same subscription name share its messages; every
 *       subscription gets every message (fan-out). On JetStream a new subscription starts at {@link
 *       InitialPosition#LATEST} or {@link InitialPosition#EARLIEST} (the messages the stream still
 *       holds), counted only when the durable consumer is created, as on Pulsar; durable consumers
 *       live until deleted (for example with {@code nats consumer rm}). In core mode a subscription
 *       gets what is published while it exists.
 *   <li><b>Temporary subscriptions</b> ({@link io.pulsarrpc.bus.SubscriptionLifetime#TEMPORARY}).
 *       On JetStream, an ephemeral pull consumer named after the subscription, from new messages,
 *       deleted when the consumer closes; its {@code inactive_threshold} ({@link
 *       NatsMessageBusBuilder#temporaryInactiveThreshold(Duration)}) makes the server delete the
 *       consumer of a process that died, and with interest retention the messages only it still
 *       held go with it. A second consumer of the name is refused with an {@link
 *       IllegalStateException}. A consumer that nobody receives from for longer than the threshold
 *       is deleted too and made again at the next receive, missing what came meanwhile. In core
 *       mode, a plain subscription to the subject without queue group, which the server forgets
 *       when the consumer closes or its connection goes.
 *   <li><b>Exclusive subscriptions</b> ({@link SubscriptionMode#EXCLUSIVE}): on JetStream a second
 *       consumer, of this or any other process, is refused with an {@link IllegalStateException}
 *       naming the subscription and topic, as is a {@link SubscriptionMode#SHARED} consumer while
 *       an exclusive one holds the subscription (the opposite is not detected); a crashed holder's
 *       subscription accepts a new consumer after {@link
 *       NatsMessageBusBuilder#exclusiveLeaseTtl(Duration)}. In core mode only consumers of this bus
 *       are checked.
 *   <li><b>Receiving.</b> A JetStream consumer asks the server, in one pull request, for as many
 *       messages as {@link BusConsumer#receive()}s are waiting, at most {@link
 *       SubscriptionSpec#receiverQueueSize()}; a caller that stops receiving stops taking messages.
 *       Receives complete on the consumer's own thread, which waits out connection losses and
 *       server restarts and binds again (recreating a lost stream or durable consumer) after an
 *       error. A core consumer receives on its own jnats dispatcher and holds at most {@link
 *       NatsMessageBusBuilder#maxAckPending(int)} messages for receives to come.
 *   <li><b>Acknowledgement.</b> On JetStream {@code acknowledge()} is confirmed by the server;
 *       {@code negativeAcknowledge()} redelivers after {@link
 *       NatsMessageBusBuilder#negativeAckRedeliveryDelay(Duration)}; a message not acknowledged
 *       within the {@linkplain NatsMessageBusBuilder#ackWait(Duration) ack wait} is delivered
 *       again; {@code redeliveryCount()} counts earlier deliveries, not those before a delivery
 *       time. In core mode acknowledging succeeds at once and there is no redelivery.
 *   <li><b>Delayed delivery</b> ({@link #supportsDelayedDelivery()}, JetStream only): a message is
 *       never handed over before its delivery time (by the consumer's clock), across restarts; a
 *       delivery time further away than the stream's {@code maxAge} is refused with {@link
 *       IllegalArgumentException}, and delayed messages waiting for their time count against {@link
 *       NatsMessageBusBuilder#maxAckPending(int)}. In core mode a send with a delivery time fails
 *       with {@link UnsupportedOperationException}.
 *   <li><b>No subscriber</b> (core mode): a send completes once the server routed the message to a
 *       subscriber, and fails at once with an {@link IllegalStateException} when none listens
 *       (NATS's "no responders"). As everywhere on core NATS, a subscriber that is slow or goes
 *       away may still lose a routed message.
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
 * <p>A stream created by the bus has {@linkplain NatsMessageBusBuilder#retention(RetentionPolicy)
 * interest retention} by default: a message is deleted once every subscription that existed when it
 * was published has acknowledged it, and a message published to a topic without subscriptions is
 * dropped, as on Pulsar without retention. Its {@linkplain NatsMessageBusBuilder#maxAge(Duration)
 * maxAge} (7 days by default) bounds what an abandoned subscription keeps; {@link
 * NatsMessageBusBuilder#maxMessages(long)} and {@link NatsMessageBusBuilder#maxBytes(long)} may
 * bound it further (a full stream then refuses publishes). A stream or durable consumer that
 * already exists is used with the settings it has.
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
 * buckets) runs on the bus's worker threads; send and acknowledgement futures complete on its
 * completion pool, never on a jnats thread; receives complete on the consumer's own thread (in core
 * mode, its jnats dispatcher). Keep callbacks short.
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

  /**
   * The default {@link NatsMessageBusBuilder#ackWait(Duration)}: 30 seconds, as JetStream's own
   * default.
   */
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
   * The default {@link NatsMessageBusBuilder#negativeAckRedeliveryDelay(Duration)}: 1 second, as
   * the Pulsar bus.
   */
  public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);

  /**
   * The default {@link NatsMessageBusBuilder#maxAge(Duration)} of the streams the bus creates: 7
   * days.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  /** The default {@link NatsMessageBusBuilder#maxAckPending(int)}: 100,000. */
  public static final int DEFAULT_MAX_ACK_PENDING = 100_000;

  /** The default {@link NatsMessageBusBuilder#exclusiveLeaseTtl(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_EXCLUSIVE_LEASE_TTL = Duration.ofSeconds(10);

  /** The default {@link NatsMessageBusBuilder#temporaryInactiveThreshold(Duration)}: 1 minute. */
  public static final Duration DEFAULT_TEMPORARY_INACTIVE_THRESHOLD = Duration.ofMinutes(1);

  /** The default {@link NatsMessageBusBuilder#operationTimeout(Duration)}: 10 seconds. */
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
  private final JetStreamSubscriber subscriber;
  private final ExecutorService workers;
  private final ForkJoinPool completions;
  private final Executor callbacks;
  // Core mode only: what the server routed, for every core producer of the bus.
  private final RoutingConfirmations routing;

  private final OpenResources resources = new OpenResources("NatsMessageBus");
  // Held while a core consumer is checked against the bus's consumers and registered, so that two
  // subscribes at once cannot both pass.
  private final Object coreSubscriptions = new Object();

  /** The bus {@link NatsMessageBusBuilder#build()} makes; {@code settings} are validated. */
  static NatsMessageBus open(Connection connection, boolean ownsConnection, BusSettings settings)
      throws IOException {
    return new NatsMessageBus(connection, ownsConnection, settings);
  }

  private NatsMessageBus(Connection connection, boolean ownsConnection, BusSettings settings)
      throws IOException {
    this.connection = connection;
    this.ownsConnection = ownsConnection;
    this.settings = settings;
    this.provisioner = new JetStreamProvisioner(connection, settings);
    this.workers = Executors.newCachedThreadPool(new DaemonThreadFactory("pulsar-rpc-nats-worker"));
    // Completions of sends and acknowledgements, several per message: a work-stealing pool hands
    // them over without waking a parked thread each time, which the cached pool of the blocking
    // set-up steps would do (a third of the bus's CPU under load, by profile).
    this.completions =
        new ForkJoinPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            pool -> {
              ForkJoinWorkerThread thread =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
              thread.setName("pulsar-rpc-nats-completions-" + thread.getPoolIndex());
              thread.setDaemon(true);
              return thread;
            },
            null,
            true);
    this.callbacks = this::runCompletion;
    this.routing =
        settings.mode() == NatsMode.CORE
            ? new RoutingConfirmations(connection, settings.operationTimeout())
            : null;
    this.subscriber =
        new JetStreamSubscriber(
            connection,
            settings,
            provisioner,
            new EarlyDeliveries(provisioner, settings),
            callbacks,
            new DaemonThreadFactory("pulsar-rpc-nats-timer"));
  }

  /**
   * A bus on a new connection to {@code natsUrl} (for example {@code nats://localhost:4222}) with
   * the default settings; the bus owns the connection and closes it in {@link #closeAsync()}. A
   * {@code tls://} URL trusts the JVM's trust store; to trust a certificate authority of your own,
   * use {@link NatsMessageBusBuilder#tlsTrustCertsFile}. For authentication or other connection
   * settings, connect yourself and use {@link #create(Connection)}.
   *
   * @throws IllegalArgumentException when {@code natsUrl} is blank or not a NATS URL
   * @throws UncheckedIOException when the server cannot be reached, or its TLS certificate is not
   *     trusted (the message says so)
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
  public static NatsMessageBusBuilder builder() {
    return new NatsMessageBusBuilder();
  }

  /** Returns {@code "nats"}. */
  @Override
  public String name() {
    return "nats";
  }

  /**
   * True in {@link NatsMode#JETSTREAM} mode (see the class javadoc for how delivery is delayed),
   * false in {@link NatsMode#CORE} mode, where a message with a delivery time fails its send with
   * an {@link UnsupportedOperationException}.
   */
  @Override
  public boolean supportsDelayedDelivery() {
    return settings.mode() == NatsMode.JETSTREAM;
  }

  /** The mode this bus was built with. */
  public NatsMode mode() {
    return settings.mode();
  }

  /** Returns false: JetStream streams are per topic here, and patterns are not mapped. */
  @Override
  public boolean supportsTopicPatterns() {
    return false;
  }

  /**
   * True in {@link NatsMode#JETSTREAM} mode: a durable consumer keeps its messages while no one
   * pulls. False in {@link NatsMode#CORE} mode, where a message published while nobody listens is
   * lost (and its send fails with no responders).
   */
  @Override
  public boolean isDurable() {
    return settings.mode() == NatsMode.JETSTREAM;
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
    OpenResources.checkNotNull(spec, "producer spec");
    checkProducerConfig(spec.config());
    NatsNames.streamName(spec.topic());
    if (resources.isClosed()) {
      return resources.failedClosed();
    }
    if (settings.mode() == NatsMode.CORE) {
      return registerProducer(
          new NatsBusProducer<>(
              spec.topic(),
              spec.schema(),
              new CoreNatsPublisher(routing, spec.topic()),
              connection,
              null,
              callbacks,
              this::forget));
    }
    return onWorker(() -> provisioner.ensureStream(spec.topic()))
        .thenCompose(stream -> registerProducer(newProducer(spec, stream)));
  }

  /**
   * Subscribes to {@code spec.topic()} as the durable consumer of {@code spec.subscription()},
   * creating the stream and the durable consumer when they do not exist. The future completes once
   * the durable consumer exists (in core mode: once the server has the subscription, so that a
   * message published afterwards from any connection reaches it). It fails with an {@link
   * IllegalStateException} naming subscription and topic when the subscription is exclusive and has
   * a consumer, or is shared and has an exclusive one; with the server's error when it refuses the
   * stream or consumer; or with an {@link IllegalStateException} once the bus is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null, has a topic pattern, or its stream
   *     or durable consumer name would be too long
   */
  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    OpenResources.checkNotNull(spec, "subscription spec");
    if (spec.isPattern()) {
      throw new IllegalArgumentException(
          "the nats bus does not support topic patterns (supportsTopicPatterns() is false);"
              + " subscribe to each topic instead of "
              + spec.topicsPattern().pattern());
    }
    NatsNames.streamName(spec.topic());
    NatsNames.durableName(spec.subscription());
    if (resources.isClosed()) {
      return resources.failedClosed();
    }
    if (settings.mode() == NatsMode.CORE) {
      return newCoreConsumer(spec);
    }
    return onWorker(() -> subscriber.newConsumer(spec, this::forget))
        .thenCompose(this::registerConsumer);
  }

  /**
   * Closes every producer and consumer of this bus (waiting receives fail with an {@link
   * IllegalStateException}), releases their exclusive leases, stops the bus's threads and closes
   * the connection if the bus opened it. A connection given to {@link #create(Connection)} stays
   * open. Idempotent: every call returns a future of the same close.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    return resources.closeAll(
        () -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          // On a worker: closing the connection blocks.
          runOnWorker(() -> finishClose(done));
          return done;
        });
  }

  @Override
  public String toString() {
    return "NatsMessageBus[" + connection.getConnectedUrl() + "]";
  }

  /** What the core producers' sends wait for; null on JetStream. For tests. */
  RoutingConfirmations routingConfirmations() {
    return routing;
  }

  /** The connection this bus uses; for tests. */
  Connection connection() {
    return connection;
  }

  private void finishClose(CompletableFuture<Void> done) {
    Throwable failure = null;
    subscriber.close();
    if (routing != null) {
      routing.close("bus closed");
    }
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
    completions.shutdown();
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  private <T> NatsBusProducer<T> newProducer(ProducerSpec<T> spec, StreamConfiguration stream) {
    Duration maxAge = stream.getMaxAge() == null ? Duration.ZERO : stream.getMaxAge();
    JetStream jetStream = provisioner.jetStream();
    return new NatsBusProducer<>(
        spec.topic(),
        spec.schema(),
        message -> jetStream.publishAsync(message).thenApply(PublishAck::getSeqno),
        connection,
        maxAge,
        callbacks,
        this::forget);
  }

  /**
   * A consumer in core mode: a queue subscription, nothing to create on the server. An exclusive
   * subscription is refused when this bus already has a consumer of it (other processes are not
   * seen: core NATS keeps no state to check against).
   */
  private <T> CompletableFuture<BusConsumer<T>> newCoreConsumer(SubscriptionSpec<T> spec) {
    CoreNatsConsumer<T> consumer =
        new CoreNatsConsumer<>(
            spec,
            connection,
            new NatsIncomingMessage.Settlement(
                false,
                connection,
                settings.operationTimeout(),
                settings.negativeAckRedeliveryDelay(),
                callbacks),
            settings.maxAckPending(),
            this::forget);
    String refusal;
    CompletableFuture<BusConsumer<T>> registered;
    synchronized (coreSubscriptions) {
      refusal = exclusivityConflict(spec);
      registered = refusal == null ? registerConsumer(consumer) : null;
    }
    if (registered == null) {
      consumer.close(refusal);
      return CompletableFuture.failedFuture(new IllegalStateException(refusal));
    }
    // The subscription is only queued to the server; a round trip to it (PING, answered after the
    // server handled what came before) makes sure it is in place, so that a message published
    // after the subscribe completes, from any connection, reaches it instead of "no responders".
    return registered.thenCompose(
        open ->
            onWorker(
                    () -> {
                      try {
                        connection.flush(settings.operationTimeout());
                      } catch (TimeoutException e) {
                        throw new IllegalStateException(
                            "the NATS server did not confirm the core subscription '"
                                + spec.subscription()
                                + "' on topic '"
                                + spec.topic()
                                + "' within "
                                + settings.operationTimeout().toMillis()
                                + " ms (operationTimeout)",
                            e);
                      }
                      return open;
                    })
                .whenComplete(
                    (ignored, failure) -> {
                      if (failure != null) {
                        consumer.close(failure.getMessage());
                      }
                    }));
  }

  /** Why a core consumer of {@code spec} may not join the consumers of this bus; null if it may. */
  private String exclusivityConflict(SubscriptionSpec<?> spec) {
    for (Object other : resources.snapshot()) {
      if (other instanceof CoreNatsConsumer<?> core
          && core.topic().equals(spec.topic())
          && core.subscription().equals(spec.subscription())
          && (spec.mode() == SubscriptionMode.EXCLUSIVE || core.isExclusive())) {
        return "subscription '"
            + spec.subscription()
            + "' on topic '"
            + spec.topic()
            + "' has "
            + (core.isExclusive() ? "an exclusive consumer" : "a consumer")
            + " on this bus; "
            + (spec.mode() == SubscriptionMode.EXCLUSIVE ? "an exclusive" : "a shared")
            + " consumer cannot join it";
      }
    }
    return null;
  }

  private <T> CompletableFuture<BusProducer<T>> registerProducer(NatsBusProducer<T> producer) {
    return resources.register(
        producer,
        () -> {
          producer.close(resources.closedException().getMessage());
          return CompletableFuture.completedFuture(null);
        });
  }

  private <T> CompletableFuture<BusConsumer<T>> registerConsumer(ManagedConsumer<T> consumer) {
    CompletableFuture<BusConsumer<T>> registered =
        resources.register(
            consumer,
            () ->
                consumer
                    .close(resources.closedException().getMessage())
                    .thenCompose(ignored -> consumer.drained()));
    return registered.thenApply(
        open -> {
          consumer.start();
          return open;
        });
  }

  private void forget(Object resource) {
    resources.forget(resource);
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
      result.completeExceptionally(resources.closedException());
    }
    return result;
  }

  private void runCompletion(Runnable task) {
    try {
      completions.execute(task);
    } catch (RejectedExecutionException e) {
      // The bus is closed and its pool is gone: late completions run on the caller's thread.
      task.run();
    }
  }

  private void runOnWorker(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      // The bus is closed and its workers are gone: late completions run on the caller's thread.
      task.run();
    }
  }

  @FunctionalInterface
  private interface BlockingStep<R> {
    R run() throws Exception;
  }
}
