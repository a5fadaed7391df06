package io.pulsarrpc.bus.memory;

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
import io.pulsarrpc.bus.support.OpenResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MessageBus} inside one JVM, with the semantics of a Pulsar broker: for unit tests, demos
 * and single-process applications. Nothing is persisted; everything is lost on {@link #close()}.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li><b>Topics</b> exist from the first producer, publish or subscription naming them. Names are
 *       used as given: {@code orders} and {@code persistent://public/default/orders} are two topics
 *       here, while Pulsar would treat them as one.
 *   <li><b>Encoding.</b> A value is encoded with the producer's schema and decoded with the
 *       consumer's, so a mismatch shows as on a real bus: {@link
 *       io.pulsarrpc.bus.IncomingMessage#value()} throws {@link MessageDecodeException}, while
 *       {@code data()}, {@code key()} and acknowledgement still work. A value the producer's schema
 *       cannot encode fails the send future with the schema's exception. A null value is sent as
 *       Pulsar's null value: empty data, and {@code value()} returns null.
 *   <li><b>Subscriptions</b> are durable: created by the first consumer, they live as long as the
 *       bus and keep collecting messages while no consumer is connected. Every subscription of a
 *       topic gets every message (fan-out). Consumers of a {@link SubscriptionMode#SHARED}
 *       subscription take turns (each message goes to one of them). A second consumer on an {@link
 *       SubscriptionMode#EXCLUSIVE} subscription, or a consumer whose mode differs from the
 *       connected ones', gets a failed future with an {@link IllegalStateException} naming the
 *       subscription and topic.
 *   <li><b>Temporary subscriptions</b> ({@link io.pulsarrpc.bus.SubscriptionLifetime#TEMPORARY})
 *       are created by their consumer and removed from the topic when it closes, with their
 *       unacknowledged messages and backlog; acknowledging one of those messages afterwards fails,
 *       and a negatively acknowledged or delayed message that comes due afterwards is dropped. The
 *       name of a durable subscription of the topic is refused, as on Pulsar. Closing the bus
 *       removes everything, so nothing outlives a consumer.
 *   <li><b>No retention.</b> A message published to a topic without subscriptions is dropped, as on
 *       Pulsar without retention. A new subscription therefore always starts empty, so {@link
 *       InitialPosition} makes no difference here.
 *   <li><b>Receiving.</b> {@link BusConsumer#receive()} completes when a message is available; any
 *       number of receives may wait. A message is assigned to a consumer only when it has a receive
 *       waiting, so nothing is prefetched and {@link SubscriptionSpec#receiverQueueSize()} is
 *       ignored. A receive that its caller cancels or times out gives up its place, and a message
 *       chosen for it goes back to the subscription.
 *   <li><b>Acknowledgement</b> removes the message. Messages still unacknowledged when their
 *       consumer closes go back to the head of the subscription, with the redelivery count raised
 *       by one; acknowledging them afterwards fails. {@link
 *       io.pulsarrpc.bus.IncomingMessage#negativeAcknowledge()} redelivers the message, with the
 *       count raised by one, after {@link Builder#negativeAckRedeliveryDelay(Duration)}.
 *   <li><b>Delayed delivery</b> ({@link #supportsDelayedDelivery()} is true). A message whose
 *       {@link OutgoingMessage#deliverAt()} is in the future enters, at that time and never earlier
 *       by {@link System#currentTimeMillis()}, the subscriptions that existed when it was
 *       published. Unlike Pulsar, which delays only for shared subscriptions, the delay is honoured
 *       for exclusive ones too.
 *   <li><b>Topic patterns</b> ({@link #supportsTopicPatterns()} is true). A pattern subscription
 *       joins every existing topic whose whole name matches and every matching topic created later,
 *       at once ({@link SubscriptionSpec#patternAutoDiscoveryInterval()} is not needed). It is one
 *       subscription of that name per topic, as on Pulsar; {@code topic()} tells them apart.
 *   <li><b>Message ids</b> are {@link BusMessageId}s {@code (topic, String.valueOf(seq), seq)} with
 *       a sequence that grows across the whole bus; the publish time is {@link
 *       System#currentTimeMillis()} at publish. {@link
 *       io.pulsarrpc.bus.IncomingMessage#asPulsarMessage()} returns a {@link PulsarMessageView};
 *       {@code pulsarConsumer()} returns null.
 * </ul>
 *
 * <h2>Settings</h2>
 *
 * <p>{@link ProducerSpec#config()} must be empty: the bus has no producer settings, and {@link
 * #createProducer} throws {@link IllegalArgumentException} naming any key given. {@link
 * OutgoingMessage#config()} accepts the keys of Pulsar's {@code TypedMessageBuilder.loadConf} that
 * make sense in one JVM, with Pulsar's value types, applied after the message's own fields:
 *
 * <ul>
 *   <li>{@code key} (String): replaces the key;
 *   <li>{@code properties} (Map of String to String): merged over the message's properties;
 *   <li>{@code deliverAt} (Long, epoch milliseconds) or {@code deliverAfterSeconds} (Long,
 *       seconds), not both: replace {@link OutgoingMessage#deliverAt()};
 *   <li>{@code eventTime} (Long): accepted and ignored.
 * </ul>
 *
 * Any other key ({@code sequenceId}, {@code replicationClusters}, {@code disableReplication}, or an
 * unknown one), a value of the wrong type, or a negative time makes {@link
 * BusProducer#send(OutgoingMessage)} throw {@link IllegalArgumentException} naming the key.
 *
 * <h2>Threads and errors</h2>
 *
 * <p>Thread-safe. Operations never block on I/O, and most futures are complete when returned.
 * Futures are never completed while the bus holds its lock; their callbacks run inline on the
 * thread that completes them: the thread that published, received, acknowledged or closed, or the
 * bus's one daemon thread. That thread runs the timers of delayed and negatively acknowledged
 * messages, and takes over completions that would otherwise nest too deep: after 16 receives in a
 * row that one thread gets already completed, the next completes on the bus's thread, and a chain
 * of callbacks that call into the bus 16 deep continues there. So a receive loop written as
 * callbacks ({@code receive().thenAccept(m -> { ...; receiveAgain(); })}) never overflows the
 * stack, as on Pulsar, whose receives always complete on its own executor. Keep callbacks short and
 * never block in them; move work to your own executor, as with any Pulsar client callback.
 *
 * <p>{@link #closeAsync()} is idempotent. It closes every consumer and producer, fails waiting
 * receives with an {@link IllegalStateException} ("memory bus closed"), drops delayed and
 * negatively acknowledged messages not yet due, and stops the bus's thread. Afterwards {@link
 * #createProducer}, {@link #subscribe} and {@link BusProducer#send} return futures failed with
 * {@link IllegalStateException} "memory bus closed".
 */
public final class InMemoryMessageBus implements MessageBus {

  /** The default {@link Builder#negativeAckRedeliveryDelay(Duration)}: 100 milliseconds. */
  public static final Duration DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY = Duration.ofMillis(100);

  private final MemoryBroker broker;

  private InMemoryMessageBus(Builder builder) {
    this.broker = new MemoryBroker(builder.negativeAckRedeliveryDelay);
  }

  /** A bus with the default settings. */
  public static InMemoryMessageBus create() {
    return builder().build();
  }

  /** A builder for a bus with non-default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Always {@code memory}. */
  @Override
  public String name() {
    return "memory";
  }

  /** Always true: see the class javadoc for the rules. */
  @Override
  public boolean supportsDelayedDelivery() {
    return true;
  }

  /** Always true: see the class javadoc for the rules. */
  @Override
  public boolean supportsTopicPatterns() {
    return true;
  }

  /**
   * Returns true: a subscription keeps its messages while no consumer is connected, for the life of
   * this bus (memory only: nothing survives the JVM).
   */
  @Override
  public boolean isDurable() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@link ProducerSpec#config()} is not empty
   */
  /** Accepts only an empty config: this bus has no producer settings. */
  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    MemoryBroker.checkProducerConfig(config);
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return broker.createProducer(OpenResources.checkNotNull(spec, "producer spec"));
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return broker.subscribe(OpenResources.checkNotNull(spec, "subscription spec"));
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return broker.close();
  }

  @Override
  public String toString() {
    return "InMemoryMessageBus";
  }

  /** For tests: whether the bus's thread has stopped. */
  boolean isBusThreadTerminated() {
    return broker.isBusThreadTerminated();
  }

  /** For tests: the names of the subscriptions {@code topic} has now. */
  List<String> subscriptionNames(String topic) {
    return broker.subscriptionNames(topic);
  }

  /**
   * Settings of an {@link InMemoryMessageBus}. Not thread-safe; {@link #build()} may be called
   * again.
   */
  public static final class Builder {

    private Duration negativeAckRedeliveryDelay = DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY;

    private Builder() {}

    /**
     * How long a negatively acknowledged message waits before it is delivered again. Default {@link
     * #DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY} (100 ms); zero redelivers at once.
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

    /** A new bus with these settings, with its own topics and thread. */
    public InMemoryMessageBus build() {
      return new InMemoryMessageBus(this);
    }
  }
}
