package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;

/**
 * Shortcuts for tests of a bus adapter: producers and consumers of strings on one bus, waits that
 * are bounded and say what they waited for, and unique names. {@link MessageBusContractSuite} is
 * written with it; an adapter's own tests (what only that bus does) use it the same way.
 *
 * <p>Every wait is bounded by the patience given to {@link #on(MessageBus, Duration)} (default
 * {@link #DEFAULT_PATIENCE}), so a broken adapter fails a test rather than hanging it. A wait that
 * runs out throws a {@link CompletionException} caused by a {@link TimeoutException} whose message
 * names what was awaited (a message of a subscription, a producer on a topic...); a future that
 * fails throws a {@link CompletionException} caused by its failure, as {@link
 * CompletableFuture#join()} does, so that tests can assert on the cause.
 *
 * <p>Immutable and thread-safe; it closes nothing (the producers and consumers it makes belong to
 * the bus, which the test closes).
 */
public final class BusTestSupport {

  /** How long a wait lasts unless another patience is given: 30 s, for a loaded build machine. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(30);

  private static final Schema<String> STR = Schema.STRING;

  private final MessageBus bus;
  private final Duration patience;

  private BusTestSupport(MessageBus bus, Duration patience) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.patience = Objects.requireNonNull(patience, "patience");
    if (patience.isNegative() || patience.isZero()) {
      throw new IllegalArgumentException("patience must be positive, was " + patience);
    }
  }

  /** Shortcuts on {@code bus}, waiting at most {@link #DEFAULT_PATIENCE}. */
  public static BusTestSupport on(MessageBus bus) {
    return new BusTestSupport(bus, DEFAULT_PATIENCE);
  }

  /** Shortcuts on {@code bus}, waiting at most {@code patience} (positive) each time. */
  public static BusTestSupport on(MessageBus bus, Duration patience) {
    return new BusTestSupport(bus, patience);
  }

  /** The bus the producers and consumers are made on. */
  public MessageBus bus() {
    return bus;
  }

  /** The longest one wait lasts. */
  public Duration patience() {
    return patience;
  }

  /**
   * {@code name}, a dash and eight random hexadecimal digits: a topic or subscription name no other
   * test uses, valid on every bus of this project when {@code name} is.
   */
  public static String uniqueName(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A producer of strings on {@code topic}. */
  public BusProducer<String> producer(String topic) {
    return join(bus.createProducer(ProducerSpec.of(topic, STR)), "a producer on " + topic);
  }

  /** A consumer of strings on {@code topic}, from the latest position. */
  public BusConsumer<String> subscribe(String topic, String subscription, SubscriptionMode mode) {
    return subscribe(SubscriptionSpec.ofTopic(topic, subscription, mode, STR));
  }

  /** A shared consumer of strings on {@code topic} with the given position and queue size. */
  public BusConsumer<String> subscribe(
      String topic, String subscription, InitialPosition position, int receiverQueueSize) {
    return subscribe(
        new SubscriptionSpec<>(
            topic,
            null,
            subscription,
            SubscriptionMode.SHARED,
            position,
            STR,
            SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
            receiverQueueSize));
  }

  /** A consumer as {@code spec} says. */
  public <T> BusConsumer<T> subscribe(SubscriptionSpec<T> spec) {
    return join(
        bus.subscribe(spec),
        "subscription '" + spec.subscription() + "' to " + describe(spec.topic(), spec));
  }

  /** The consumer's next message, not acknowledged. */
  public <T> IncomingMessage<T> receive(BusConsumer<T> consumer) {
    return join(consumer.receive(), "a message for subscription '" + consumer.subscription() + "'");
  }

  /** The value of the consumer's next message, which is acknowledged. */
  public <T> T receiveAndAcknowledge(BusConsumer<T> consumer) {
    IncomingMessage<T> message = receive(consumer);
    join(message.acknowledge(), "the acknowledgement of message " + message.id());
    return message.value();
  }

  /**
   * Sends {@code value} to {@code topic} after subscribing to it under a new shared subscription,
   * and returns the value that subscription received (acknowledged): whether messages still go
   * through the bus, for example after something else on its client or connection was closed.
   */
  public String sendAndReceive(String topic, String value) {
    BusConsumer<String> consumer =
        subscribe(topic, uniqueName("send-and-receive"), SubscriptionMode.SHARED);
    join(producer(topic).send(OutgoingMessage.of("k", value, Map.of())), "the send to " + topic);
    return receiveAndAcknowledge(consumer);
  }

  /** The future's value, waiting at most {@link #patience()}. */
  public <T> T join(CompletableFuture<T> future) {
    return join(future, "a bus operation");
  }

  /**
   * The future's value, waiting at most {@link #patience()}; {@code what} names what is awaited in
   * the timeout's message.
   */
  public <T> T join(CompletableFuture<T> future, String what) {
    try {
      return future.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new CompletionException(
          new TimeoutException(what + " did not come within " + patience));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while waiting for " + what, e);
    }
  }

  /**
   * Receives from {@code consumer} and acknowledges, adding each value to {@code values}, until the
   * consumer closes; returns at once. {@code values} must be safe to add to from the bus's threads
   * (a {@link java.util.concurrent.CopyOnWriteArrayList}, for example).
   */
  public static <T> void receiveForever(BusConsumer<T> consumer, List<T> values) {
    receiveMessagesForever(consumer, message -> values.add(message.value()));
  }

  /**
   * As {@link #receiveForever(BusConsumer, List)}, keeping whole messages (key, properties, value).
   */
  public static <T> void receiveMessagesForever(
      BusConsumer<T> consumer, List<IncomingMessage<T>> messages) {
    receiveMessagesForever(consumer, messages::add);
  }

  private static <T> void receiveMessagesForever(
      BusConsumer<T> consumer, Consumer<IncomingMessage<T>> sink) {
    consumer
        .receive()
        .thenAccept(
            message -> {
              sink.accept(message);
              message.acknowledge();
              receiveMessagesForever(consumer, sink);
            });
  }

  private static String describe(String topic, SubscriptionSpec<?> spec) {
    return topic != null ? topic : "the topics matching " + spec.topicsPattern();
  }
}
