package io.pulsarrpc.bus.pulsar;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionLifetime;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.OpenResources;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.ProducerBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * The bus SPI on Apache Pulsar: a {@link BusProducer} is a Pulsar producer, a {@link BusConsumer} a
 * Pulsar consumer, and values are encoded and decoded by the {@link
 * org.apache.pulsar.client.api.Schema} of the spec, so messages are ordinary Pulsar messages that
 * any Pulsar client can read or write.
 *
 * <pre>{@code
 * try (MessageBus bus = PulsarMessageBus.create("pulsar://localhost:6650")) {
 *   BusProducer<String> producer =
 *       bus.createProducer(ProducerSpec.of("requests", Schema.STRING)).join();
 *   producer.send(OutgoingMessage.of("id-1", "hello", Map.of())).join();
 * }
 * }</pre>
 *
 * <p><b>Defaults.</b> Producers and consumers start from the Pulsar client's defaults (producers
 * batch messages, consumers group acknowledgements for 100 ms). {@link ProducerSpec#config()} is
 * applied with {@link ProducerBuilder#loadConf(Map)} and {@link OutgoingMessage#config()} with
 * {@link org.apache.pulsar.client.api.TypedMessageBuilder#loadConf(Map)}. A negatively acknowledged
 * message is delivered again after {@link #NEGATIVE_ACK_REDELIVERY_DELAY}. {@link
 * SubscriptionMode#SHARED} is Pulsar's {@code Shared} subscription type, {@link
 * SubscriptionMode#EXCLUSIVE} its {@code Exclusive} type.
 *
 * <p><b>Delayed delivery</b> is Pulsar's own ({@code deliverAt}); a delayed message is never put
 * into a batch by the Pulsar client, so batching may stay on. Two limits of the broker apply: it
 * delays messages only for {@code SHARED} subscriptions (an {@code EXCLUSIVE} subscription gets
 * them at once), and unless the broker runs with {@code delayedDeliveryDeliverAtTimeStrict=true} it
 * may deliver a message up to {@code delayedDeliveryTickTimeMillis} (1 s by default) before its
 * {@code deliverAt}.
 *
 * <p><b>Thread-safety.</b> The bus, its producers, consumers and messages are thread-safe. Futures
 * complete on the Pulsar client's threads: callbacks must not block.
 *
 * <p><b>Errors.</b> A null spec, or a {@code config} entry that Pulsar's {@code loadConf} refuses,
 * throws {@link IllegalArgumentException} at once. Everything else fails the returned future with
 * Pulsar's exception (usually a {@link PulsarClientException}), for example {@link
 * PulsarClientException.ConsumerBusyException} for a second consumer of an exclusive subscription.
 * After {@link #closeAsync()}, {@link #createProducer} and {@link #subscribe} return futures failed
 * with an {@link IllegalStateException} saying the bus is closed.
 */
public final class PulsarMessageBus implements MessageBus {

  /** Checks {@code config} with Pulsar's {@link ProducerBuilder#loadConf(Map)}. */
  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("producer config must not be null");
    }
    if (!config.isEmpty()) {
      loadConf(() -> client.newProducer().loadConf(config), "producer", config);
    }
  }

  /**
   * How long Pulsar waits before it delivers a {@linkplain
   * io.pulsarrpc.bus.IncomingMessage#negativeAcknowledge() negatively acknowledged} message again:
   * 1 second. Pulsar's own default holds such a message back for a minute, longer than a
   * request-reply caller usually waits.
   */
  public static final Duration NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofSeconds(1);

  private final PulsarClient client;
  private final boolean ownsClient;
  private final Optional<TlsHandshakeCheck> tlsCheck;

  private final OpenResources open = new OpenResources("PulsarMessageBus");

  private PulsarMessageBus(PulsarClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.tlsCheck = TlsHandshakeCheck.of(client);
  }

  /**
   * A bus on a client you manage. Closing the bus closes the producers and consumers it created but
   * not {@code client}, which stays usable.
   *
   * @throws IllegalArgumentException when {@code client} is null
   */
  public static PulsarMessageBus create(PulsarClient client) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    return new PulsarMessageBus(client, false);
  }

  /**
   * A bus on a new Pulsar client for {@code serviceUrl} (for example {@code
   * pulsar://localhost:6650}) with the client's default settings. The bus owns that client and
   * closes it in {@link #closeAsync()}. The client connects lazily: an unreachable broker fails the
   * first {@link #createProducer} or {@link #subscribe}, not this call. For authentication, TLS or
   * other client settings, build the client yourself and use {@link #create(PulsarClient)}.
   *
   * @throws IllegalArgumentException when {@code serviceUrl} is blank or not a Pulsar service URL
   */
  public static PulsarMessageBus create(String serviceUrl) {
    if (serviceUrl == null || serviceUrl.isBlank()) {
      throw new IllegalArgumentException("serviceUrl must not be blank");
    }
    try {
      return new PulsarMessageBus(PulsarClient.builder().serviceUrl(serviceUrl).build(), true);
    } catch (PulsarClientException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Could not create a Pulsar client for serviceUrl '" + serviceUrl + "': " + e.getMessage(),
          e);
    }
  }

  /** Returns {@code "pulsar"}. */
  @Override
  public String name() {
    return "pulsar";
  }

  /**
   * Returns true: Pulsar delays delivery itself, with the limits described in the {@linkplain
   * PulsarMessageBus class documentation} (SHARED subscriptions only; up to the broker's tick early
   * unless it runs in strict mode).
   */
  @Override
  public boolean supportsDelayedDelivery() {
    return true;
  }

  /**
   * Returns true. A pattern covers the topics of one namespace; write it as a full topic name, such
   * as {@code persistent://public/default/orders-.*}.
   */
  @Override
  public boolean supportsTopicPatterns() {
    return true;
  }

  /**
   * Returns true: a subscription keeps its unacknowledged messages in the topic while no consumer
   * is connected, as long as the topic's retention allows (non-persistent topics do not).
   */
  @Override
  public boolean isDurable() {
    return true;
  }

  /**
   * Creates a Pulsar producer for {@code spec.topic()} with {@code spec.schema()}, then {@code
   * spec.config()} applied by {@link ProducerBuilder#loadConf(Map)}. The future fails with Pulsar's
   * exception when the broker refuses the producer (for example an incompatible schema), or with an
   * {@link IllegalStateException} once the bus is closed.
   *
   * @throws IllegalArgumentException when {@code spec} is null or Pulsar refuses its config
   */
  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    OpenResources.checkNotNull(spec, "producer spec");
    if (open.isClosed()) {
      return open.failedClosed();
    }
    ProducerBuilder<T> builder = client.newProducer(spec.schema()).topic(spec.topic());
    if (!spec.config().isEmpty()) {
      loadConf(() -> builder.loadConf(spec.config()), "producer", spec.config());
    }
    return explainTlsFailure(builder.createAsync())
        .thenCompose(
            producer -> {
              PulsarBusProducer<T> busProducer = new PulsarBusProducer<>(producer, open::forget);
              return open.register(busProducer, busProducer::closeAsync);
            });
  }

  /**
   * Subscribes with a Pulsar consumer: {@code spec.topic()}, or {@code spec.topicsPattern()} with
   * new matching topics looked for every {@code spec.patternAutoDiscoveryInterval()}; the
   * subscription name, type, initial position and receiver queue size of the spec; and negative
   * acknowledgements redelivered after {@link #NEGATIVE_ACK_REDELIVERY_DELAY}. The future fails
   * with Pulsar's exception when the broker refuses the consumer ({@link
   * PulsarClientException.ConsumerBusyException} for a second consumer of an exclusive
   * subscription, {@link PulsarClientException.IncompatibleSchemaException} for a schema the topic
   * does not accept), or with an {@link IllegalStateException} once the bus is closed.
   *
   * <p>A pattern subscription starts on a topic it discovers later at {@code
   * spec.initialPosition()}: with {@link InitialPosition#LATEST}, messages published to a new topic
   * before it is discovered are not delivered.
   *
   * @throws IllegalArgumentException when {@code spec} is null
   */
  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    OpenResources.checkNotNull(spec, "subscription spec");
    if (open.isClosed()) {
      return open.failedClosed();
    }
    ConsumerBuilder<T> builder = client.newConsumer(spec.schema());
    if (spec.isPattern()) {
      builder
          .topicsPattern(spec.topicsPattern())
          .patternAutoDiscoveryPeriod(
              toIntMillis(spec.patternAutoDiscoveryInterval()), TimeUnit.MILLISECONDS);
    } else {
      builder.topic(spec.topic());
    }
    builder
        .subscriptionName(spec.subscription())
        .subscriptionMode(toPulsar(spec.lifetime()))
        .subscriptionType(toPulsar(spec.mode()))
        .subscriptionInitialPosition(toPulsar(spec.initialPosition()))
        .receiverQueueSize(spec.receiverQueueSize())
        .negativeAckRedeliveryDelay(
            NEGATIVE_ACK_REDELIVERY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    return explainTlsFailure(builder.subscribeAsync())
        .thenCompose(
            consumer -> {
              PulsarBusConsumer<T> busConsumer =
                  new PulsarBusConsumer<>(consumer, spec.subscription(), open::forget);
              return open.register(busConsumer, busConsumer::closeAsync);
            });
  }

  /**
   * {@code creation}, or when it fails on a {@code pulsar+ssl://} client whose TLS handshake with
   * the broker fails, a failure caused by the handshake's: the Pulsar client hides it.
   */
  private <R> CompletableFuture<R> explainTlsFailure(CompletableFuture<R> creation) {
    if (tlsCheck.isEmpty()) {
      return creation;
    }
    return creation.exceptionallyCompose(failure -> tlsCheck.get().explain(failure));
  }

  /**
   * Closes every producer and consumer this bus created, then the client if the bus created it.
   * Receives that were waiting fail with Pulsar's {@link
   * PulsarClientException.AlreadyClosedException}, as do later sends and receives on them. A client
   * given to {@link #create(PulsarClient)} stays open. Idempotent: every call returns a future of
   * the same close. It fails with the first error of closing, after everything was attempted. A
   * producer or consumer whose creation was still under way is closed when it arrives, and its
   * creation fails with an {@link IllegalStateException}.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    return open.closeAll(
        () -> ownsClient ? client.closeAsync() : CompletableFuture.completedFuture(null));
  }

  /** The client this bus uses; for tests. */
  PulsarClient client() {
    return client;
  }

  static void loadConf(Runnable load, String what, Map<String, ?> config) {
    try {
      load.run();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Pulsar refuses the " + what + " config " + config + ": " + e.getMessage(), e);
    }
  }

  private static int toIntMillis(Duration duration) {
    // Pulsar takes an int; a sub-millisecond interval would become 0, which Pulsar does not allow.
    if (duration.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(1, duration.toMillis());
  }

  private static SubscriptionType toPulsar(SubscriptionMode mode) {
    return switch (mode) {
      case SHARED -> SubscriptionType.Shared;
      case EXCLUSIVE -> SubscriptionType.Exclusive;
    };
  }

  private static org.apache.pulsar.client.api.SubscriptionMode toPulsar(
      SubscriptionLifetime lifetime) {
    // Pulsar's SubscriptionMode is our lifetime; our SubscriptionMode is Pulsar's type.
    return switch (lifetime) {
      case DURABLE -> org.apache.pulsar.client.api.SubscriptionMode.Durable;
      case TEMPORARY -> org.apache.pulsar.client.api.SubscriptionMode.NonDurable;
    };
  }

  private static SubscriptionInitialPosition toPulsar(InitialPosition position) {
    return switch (position) {
      case LATEST -> SubscriptionInitialPosition.Latest;
      case EARLIEST -> SubscriptionInitialPosition.Earliest;
    };
  }
}
