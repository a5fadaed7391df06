package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionLifetime;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the bus SPI ({@link MessageBus} and the producers, consumers and messages it
 * makes), written once and run against every adapter. An adapter is done when its subclass passes.
 *
 * <p>A subclass gives a fresh bus ({@link #newBus()}); it may change how topics are named ({@link
 * #newTopic(String)}), how long the suite waits ({@link #patience()}) and how early a delayed
 * message may come ({@link #delayedDeliveryEarliness()}), and let the suite look at what the bus
 * holds for a subscription ({@link #holdsSubscription}). The capabilities the bus declares decide
 * which parts apply: {@link MessageBus#supportsDelayedDelivery()}, {@link
 * MessageBus#supportsTopicPatterns()} and {@link MessageBus#isDurable()}. A part that does not
 * apply is reported as skipped, and where the SPI says how a missing capability shows (a refused
 * pattern, a refused delayed message), that is tested instead.
 *
 * <p>Each test gets its own bus, closed after it together with every producer and consumer the test
 * made; tests that close a bus on purpose make their own with {@link #newBus()}. Every wait is
 * bounded by {@link #patience()}: a test fails rather than hangs.
 *
 * <p>What the contract leaves to each adapter, and so to the adapter's own tests: the exception
 * types and messages of refusals (the contract checks only that the operation fails), producer and
 * message settings, how the bus uses a client or connection it was given, and failure and restart
 * behaviour of the server behind it.
 */
public abstract class MessageBusContractSuite {

  private static final Schema<String> STR = Schema.STRING;

  private final List<MessageBus> buses = new ArrayList<>();

  /** The bus of the running test. */
  protected MessageBus bus;

  /**
   * Producers, consumers and bounded waits on {@link #bus}, waiting at most {@link #patience()}.
   */
  protected BusTestSupport support;

  /**
   * A new bus of the adapter under test, configured as the adapter's users would configure it
   * (timings may be shortened for tests). Called once per test, and again by tests that close a
   * bus; the suite closes every bus it got from here.
   */
  protected abstract MessageBus newBus();

  /**
   * A topic name no other test uses, valid on this bus; {@code name} is a readable hint. Default:
   * the name, a dash and eight random hexadecimal digits. Override where the bus wants another form
   * (a Pulsar topic in a namespace of the test broker, for example).
   */
  protected String newTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The longest the suite waits for the bus to do something. Default 30 s. */
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  /**
   * How much earlier than its delivery time the bus may deliver a delayed message. Default zero. A
   * Pulsar broker that is not in strict mode ({@code delayedDeliveryDeliverAtTimeStrict}) may
   * deliver up to its {@code delayedDeliveryTickTimeMillis} (1 s by default) early.
   */
  protected Duration delayedDeliveryEarliness() {
    return Duration.ZERO;
  }

  /**
   * A pattern that matches every topic whose name starts with {@code prefix}, for buses with {@link
   * MessageBus#supportsTopicPatterns()}. Default: the prefix, unquoted, followed by {@code .*}
   * (Pulsar reads the namespace from the pattern's text, so it must stay readable).
   */
  protected Pattern topicsStartingWith(String prefix) {
    return Pattern.compile(prefix + ".*");
  }

  /**
   * Whether this suite can look, with the bus's admin tools, at the subscriptions the bus holds
   * ({@link #holdsSubscription}), to check that a closed temporary subscription left nothing
   * behind. Default false: those checks are then left out (the behaviour around them is still
   * tested).
   */
  protected boolean canSeeSubscriptions() {
    return false;
  }

  /**
   * Whether the bus holds anything for {@code subscription} of {@code topic} (a cursor, a consumer
   * group, a server-side consumer...), as its admin tools show it. Called only when {@link
   * #canSeeSubscriptions()} is true, which a subclass that overrides this method returns.
   */
  protected boolean holdsSubscription(String topic, String subscription) {
    throw new UnsupportedOperationException(
        "override holdsSubscription together with canSeeSubscriptions");
  }

  @BeforeEach
  public void createTheBus() {
    bus = track(newBus());
    support = BusTestSupport.on(bus, patience());
  }

  @AfterEach
  public void closeTheBuses() {
    List<MessageBus> reversed = new ArrayList<>(buses);
    Collections.reverse(reversed);
    for (MessageBus each : reversed) {
      BusTestSupport.on(each, patience()).join(each.closeAsync(), "the close of " + each.name());
    }
  }

  // ---------------------------------------------------------------- what a message carries

  @Test
  public void keyPropertiesAndValueArriveAsSentWithTheIdTheSendReturned() {
    String topic = newTopic("round-trip");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    Map<String, String> properties =
        Map.of(
            "replyTopic", "persistent://public/default/replies",
            "errorMessage", " needs: 100% \u00e9 ",
            "empty", "",
            "line\nbreak", "tab\there");
    long before = System.currentTimeMillis();

    MessageId sentId =
        support.join(producer.send(OutgoingMessage.of("id 1: \u00e9", "hello", properties)));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(sentId).isNotNull();
    assertThat(message.id()).isEqualTo(sentId);
    assertThat(message.topic()).isEqualTo(topic);
    assertThat(message.key()).isEqualTo("id 1: \u00e9");
    assertThat(message.properties()).isEqualTo(properties);
    assertThat(message.value()).isEqualTo("hello");
    assertThat(message.data()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(message.redeliveryCount()).isZero();
    // Clocks of a broker and of this JVM may differ a little.
    assertThat(message.publishTime()).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
    assertThat(message.asPulsarMessage().getMessageId()).isEqualTo(sentId);
    assertThat(message.asPulsarMessage().getKey()).isEqualTo("id 1: \u00e9");
    assertThat(message.asPulsarMessage().getValue()).isEqualTo("hello");
    assertThat(message.asPulsarMessage().getProperty("replyTopic"))
        .isEqualTo("persistent://public/default/replies");
    assertThat(consumer.subscription()).isEqualTo("sub");
    assertThat(producer.topic()).isEqualTo(topic);
    assertThat(message.acknowledge()).succeedsWithin(patience());
  }

  @Test
  public void aNullValueArrivesAsNullWithEmptyData() {
    String topic = newTopic("null-value");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

    support.join(
        support
            .producer(topic)
            .send(OutgoingMessage.of("k", null, Map.of("errorMessage", "failed"))));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(message.value()).isNull();
    assertThat(message.data()).isEmpty();
    assertThat(message.key()).isEqualTo("k");
    assertThat(message.properties()).containsEntry("errorMessage", "failed");
  }

  @Test
  public void aMessageWithoutAKeyArrivesWithoutAKey() {
    String topic = newTopic("no-key");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

    support.join(support.producer(topic).send(OutgoingMessage.of(null, "anonymous", Map.of())));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(message.key()).isNull();
    assertThat(message.value()).isEqualTo("anonymous");
  }

  @Test
  public void aJsonValueRoundTripsBetweenMatchingSchemas() {
    String topic = newTopic("json");
    BusConsumer<Order> consumer =
        support.subscribe(
            SubscriptionSpec.ofTopic(
                topic, "sub", SubscriptionMode.SHARED, Schema.JSON(Order.class)));
    BusProducer<Order> producer =
        support.join(bus.createProducer(ProducerSpec.of(topic, Schema.JSON(Order.class))));

    support.join(producer.send(OutgoingMessage.of("k", new Order("apples", 2), Map.of())));
    Order order = support.receive(consumer).value();

    assertThat(order.item).isEqualTo("apples");
    assertThat(order.quantity).isEqualTo(2);
  }

  @Test
  public void aValueThatDoesNotDecodeThrowsMessageDecodeExceptionNamingTopicAndIdYetCanBeAcked() {
    String topic = newTopic("undecodable");
    // Subscribing first gives the topic the consumer's schema on a bus that registers schemas.
    BusConsumer<Order> consumer =
        support.subscribe(
            SubscriptionSpec.ofTopic(
                topic, "sub", SubscriptionMode.SHARED, Schema.JSON(Order.class)));
    BusProducer<byte[]> producer =
        support.join(bus.createProducer(ProducerSpec.of(topic, Schema.BYTES)));
    byte[] junk = "not json {".getBytes(StandardCharsets.UTF_8);

    support.join(producer.send(OutgoingMessage.of("k", junk, Map.of())));
    IncomingMessage<Order> message = support.receive(consumer);

    assertThatThrownBy(message::value)
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining(topic)
        .hasMessageContaining(message.id().toString())
        .cause()
        .isInstanceOf(RuntimeException.class);
    assertThat(message.key()).isEqualTo("k");
    assertThat(message.data()).isEqualTo(junk);
    assertThat(message.acknowledge()).succeedsWithin(patience());
  }

  // ---------------------------------------------------------------- subscriptions

  @Test
  public void everySubscriptionGetsEveryMessageInPublishOrder() {
    String topic = newTopic("fan-out");
    BusConsumer<String> first = support.subscribe(topic, "first", SubscriptionMode.SHARED);
    BusConsumer<String> second = support.subscribe(topic, "second", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);

    for (String value : List.of("a", "b", "c")) {
      support.join(producer.send(OutgoingMessage.of(value, value, Map.of())));
    }

    for (BusConsumer<String> consumer : List.of(first, second)) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        values.add(support.receiveAndAcknowledge(consumer));
      }
      assertThat(values).containsExactly("a", "b", "c");
    }
  }

  @Test
  public void twoSharedConsumersSplitTheMessages() {
    String topic = newTopic("shared");
    // A queue of one, so that neither consumer takes messages ahead of the other.
    BusConsumer<String> first = support.subscribe(topic, "workers", InitialPosition.LATEST, 1);
    BusConsumer<String> second = support.subscribe(topic, "workers", InitialPosition.LATEST, 1);
    List<String> firstGot = new CopyOnWriteArrayList<>();
    List<String> secondGot = new CopyOnWriteArrayList<>();
    BusTestSupport.receiveForever(first, firstGot);
    BusTestSupport.receiveForever(second, secondGot);
    BusProducer<String> producer = support.producer(topic);

    // One at a time, so that each message finds both consumers waiting.
    for (int i = 0; i < 20; i++) {
      support.join(producer.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
      int sent = i + 1;
      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(firstGot.size() + secondGot.size()).isEqualTo(sent));
    }

    assertThat(firstGot).isNotEmpty().doesNotContainAnyElementsOf(secondGot);
    assertThat(secondGot).isNotEmpty();
  }

  @Test
  public void aSecondExclusiveConsumerIsRefused() {
    String topic = newTopic("exclusive");
    support.subscribe(topic, "only-one", SubscriptionMode.EXCLUSIVE);

    assertThatThrownBy(
            () ->
                support.join(
                    bus.subscribe(
                        SubscriptionSpec.ofTopic(
                            topic, "only-one", SubscriptionMode.EXCLUSIVE, STR))))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  public void aSharedConsumerCannotJoinAnExclusiveSubscription() {
    String topic = newTopic("shared-on-exclusive");
    support.subscribe(topic, "owner", SubscriptionMode.EXCLUSIVE);

    assertThatThrownBy(
            () ->
                support.join(
                    bus.subscribe(
                        SubscriptionSpec.ofTopic(topic, "owner", SubscriptionMode.SHARED, STR))))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  public void anExclusiveConsumerCannotJoinASharedSubscriptionThatHasConsumers() {
    String topic = newTopic("exclusive-on-shared");
    support.subscribe(topic, "workers", SubscriptionMode.SHARED);

    assertThatThrownBy(
            () ->
                support.join(
                    bus.subscribe(
                        SubscriptionSpec.ofTopic(
                            topic, "workers", SubscriptionMode.EXCLUSIVE, STR))))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  public void anExclusiveSubscriptionTakesANewConsumerOnceTheOldOneClosed() {
    String topic = newTopic("exclusive-again");
    BusConsumer<String> first = support.subscribe(topic, "owner", SubscriptionMode.EXCLUSIVE);

    support.join(first.closeAsync());
    BusConsumer<String> second = support.subscribe(topic, "owner", SubscriptionMode.EXCLUSIVE);
    support.join(
        support.producer(topic).send(OutgoingMessage.of("k", "for the new owner", Map.of())));

    assertThat(support.receiveAndAcknowledge(second)).isEqualTo("for the new owner");
  }

  // ---------------------------------------------------------------- temporary subscriptions

  @Test
  public void twoTemporarySubscriptionsOfATopicEachGetEveryMessageInOrder() {
    String topic = newTopic("broadcast");
    BusConsumer<String> first = support.subscribe(SubscriptionSpec.temporary(topic, STR));
    BusConsumer<String> second = support.subscribe(SubscriptionSpec.temporary(topic, STR));
    BusProducer<String> producer = support.producer(topic);

    for (String value : List.of("a", "b", "c")) {
      support.join(producer.send(OutgoingMessage.of(value, value, Map.of())));
    }

    assertThat(first.subscription()).isNotEqualTo(second.subscription());
    for (BusConsumer<String> consumer : List.of(first, second)) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        values.add(support.receiveAndAcknowledge(consumer));
      }
      assertThat(values).as(consumer.subscription()).containsExactly("a", "b", "c");
    }
  }

  @Test
  public void aTemporarySubscriptionDoesNotGetWhatWasPublishedBeforeItExisted() {
    String topic = newTopic("temporary-latest");
    // A durable subscription takes the first message, so that the bus has it when the temporary
    // subscription starts (a bus may drop a message nobody subscribed to).
    BusConsumer<String> durable = support.subscribe(topic, "workers", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    support.join(producer.send(OutgoingMessage.of("1", "before", Map.of())));

    BusConsumer<String> temporary = support.subscribe(SubscriptionSpec.temporary(topic, STR));
    support.join(producer.send(OutgoingMessage.of("2", "after", Map.of())));

    assertThat(support.receiveAndAcknowledge(temporary)).isEqualTo("after");
    assertThat(support.receiveAndAcknowledge(durable)).isEqualTo("before");
    assertThat(support.receiveAndAcknowledge(durable)).isEqualTo("after");
  }

  @Test
  public void closingATemporarySubscriptionRemovesItWithWhatItHadNotConsumed() {
    String topic = newTopic("temporary-close");
    SubscriptionSpec<String> spec = SubscriptionSpec.temporary(topic, STR);
    BusConsumer<String> consumer = support.subscribe(spec);
    BusProducer<String> producer = support.producer(topic);
    support.join(producer.send(OutgoingMessage.of("1", "received, not acknowledged", Map.of())));
    support.join(producer.send(OutgoingMessage.of("2", "never received", Map.of())));
    assertThat(support.receive(consumer).value()).isEqualTo("received, not acknowledged");
    if (canSeeSubscriptions()) {
      assertThat(holdsSubscription(topic, spec.subscription())).as("while open").isTrue();
    }

    support.join(consumer.closeAsync());

    if (canSeeSubscriptions()) {
      await()
          .atMost(patience())
          .untilAsserted(
              () ->
                  assertThat(holdsSubscription(topic, spec.subscription()))
                      .as("what the bus holds for the closed temporary subscription")
                      .isFalse());
    }
    // The same name again is a new subscription: it starts at the latest position, and nothing of
    // the old one comes back.
    BusConsumer<String> again = support.subscribe(spec);
    support.join(producer.send(OutgoingMessage.of("3", "new", Map.of())));
    assertThat(support.receiveAndAcknowledge(again)).isEqualTo("new");
  }

  @Test
  public void aTemporarySubscriptionBesideADurableSharedOneBothGetEveryMessage() {
    String topic = newTopic("temporary-beside-durable");
    BusConsumer<String> durable = support.subscribe(topic, "workers", SubscriptionMode.SHARED);
    BusConsumer<String> temporary = support.subscribe(SubscriptionSpec.temporary(topic, STR));
    BusProducer<String> producer = support.producer(topic);

    for (String value : List.of("a", "b")) {
      support.join(producer.send(OutgoingMessage.of(value, value, Map.of())));
    }

    for (BusConsumer<String> consumer : List.of(durable, temporary)) {
      assertThat(
              List.of(
                  support.receiveAndAcknowledge(consumer), support.receiveAndAcknowledge(consumer)))
          .as(consumer.subscription())
          .containsExactly("a", "b");
    }
  }

  @Test
  public void aSecondConsumerOfATemporarySubscriptionIsRefused() {
    SubscriptionSpec<String> spec = SubscriptionSpec.temporary(newTopic("temporary-twice"), STR);
    support.subscribe(spec);

    assertThatThrownBy(() -> support.join(bus.subscribe(spec)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  public void aNegativelyAcknowledgedMessageOfATemporarySubscriptionComesAgain() {
    assumeRedelivery();
    String topic = newTopic("temporary-nack");
    BusConsumer<String> consumer = support.subscribe(SubscriptionSpec.temporary(topic, STR));
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "retry me", Map.of())));

    IncomingMessage<String> first = support.receive(consumer);
    first.negativeAcknowledge();
    IncomingMessage<String> again = support.receive(consumer);

    // Not the redelivery count: Pulsar counts redeliveries on shared subscriptions only.
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.value()).isEqualTo("retry me");
    assertThat(again.acknowledge()).succeedsWithin(patience());
  }

  @Test
  public void aSharedOrEarliestTemporarySpecIsRefused() {
    assertThatThrownBy(() -> temporarySpec(SubscriptionMode.SHARED, InitialPosition.LATEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EXCLUSIVE");
    assertThatThrownBy(() -> temporarySpec(SubscriptionMode.EXCLUSIVE, InitialPosition.EARLIEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LATEST");
  }

  // ---------------------------------------------------------------- acknowledgement

  @Test
  public void anUnacknowledgedMessageGoesToTheNextConsumerAndAnAcknowledgedOneNever() {
    assumeRedelivery();
    String topic = newTopic("acks");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    support.join(producer.send(OutgoingMessage.of("a", "acknowledged", Map.of())));
    support.join(producer.send(OutgoingMessage.of("u", "unacknowledged", Map.of())));
    IncomingMessage<String> acknowledged = support.receive(consumer);
    IncomingMessage<String> unacknowledged = support.receive(consumer);
    assertThat(List.of(acknowledged.value(), unacknowledged.value()))
        .containsExactly("acknowledged", "unacknowledged");
    support.join(acknowledged.acknowledge());

    support.join(consumer.closeAsync());
    BusConsumer<String> again = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    IncomingMessage<String> redelivered = support.receive(again);
    support.join(redelivered.acknowledge());
    support.join(producer.send(OutgoingMessage.of("n", "new", Map.of())));

    assertThat(redelivered.value()).isEqualTo("unacknowledged");
    assertThat(redelivered.id()).isEqualTo(unacknowledged.id());
    assertThat(support.receiveAndAcknowledge(again)).isEqualTo("new");
  }

  @Test
  public void aMessageWhoseConsumerClosedCannotBeAcknowledgedAndGoesToTheNextConsumer() {
    assumeRedelivery();
    String topic = newTopic("ack-after-close");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "late", Map.of())));
    IncomingMessage<String> received = support.receive(consumer);

    support.join(consumer.closeAsync());

    assertThat(received.acknowledge())
        .as("acknowledging after the consumer closed")
        .failsWithin(patience());
    BusConsumer<String> next = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    assertThat(support.receiveAndAcknowledge(next)).isEqualTo("late");
  }

  @Test
  public void aNegativelyAcknowledgedMessageIsRedeliveredWithTheSameIdAndRedeliveryCountOne() {
    assumeRedelivery();
    String topic = newTopic("nack");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "retry me", Map.of())));

    IncomingMessage<String> first = support.receive(consumer);
    first.negativeAcknowledge();
    IncomingMessage<String> again = support.receive(consumer);

    assertThat(first.redeliveryCount()).isZero();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.value()).isEqualTo("retry me");
    assertThat(again.redeliveryCount()).isEqualTo(1);
    assertThat(again.acknowledge()).succeedsWithin(patience());
  }

  // ---------------------------------------------------------------- durability

  @Test
  public void aDurableSubscriptionKeepsWhatIsPublishedWhileNoConsumerIsConnected() {
    assumeTrue(bus.isDurable(), () -> bus.name() + " does not declare durable subscriptions");
    String topic = newTopic("durable");
    support.join(support.subscribe(topic, "workers", SubscriptionMode.SHARED).closeAsync());

    support.join(support.producer(topic).send(OutgoingMessage.of("k", "kept", Map.of())));
    BusConsumer<String> returning = support.subscribe(topic, "workers", SubscriptionMode.SHARED);

    assertThat(support.receiveAndAcknowledge(returning)).isEqualTo("kept");
  }

  @Test
  public void anExclusiveSubscriptionKeepsItsMessagesForItsNextConsumerWhenDurable() {
    assumeTrue(bus.isDurable(), () -> bus.name() + " does not declare durable subscriptions");
    String topic = newTopic("exclusive-handover");
    support.join(support.subscribe(topic, "reply-sub", SubscriptionMode.EXCLUSIVE).closeAsync());
    support.join(
        support.producer(topic).send(OutgoingMessage.of("k", "kept for the next one", Map.of())));

    BusConsumer<String> second = support.subscribe(topic, "reply-sub", SubscriptionMode.EXCLUSIVE);

    assertThat(support.receiveAndAcknowledge(second)).isEqualTo("kept for the next one");
  }

  // ---------------------------------------------------------------- delayed delivery

  @Test
  public void aDelayedMessageArrivesNotBeforeItsTimeAndAnUndelayedOneOvertakesIt() {
    assumeTrue(bus.supportsDelayedDelivery(), () -> bus.name() + " has no delayed delivery");
    String topic = newTopic("delayed");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    long deliverAt = System.currentTimeMillis() + 1_500;

    support.join(producer.send(new OutgoingMessage<>("1", "later", Map.of(), deliverAt, Map.of())));
    support.join(producer.send(OutgoingMessage.of("2", "now", Map.of())));
    IncomingMessage<String> first = support.receive(consumer);
    long firstArrivedAt = System.currentTimeMillis();
    support.join(first.acknowledge());
    IncomingMessage<String> delayed = support.receive(consumer);
    long delayedArrivedAt = System.currentTimeMillis();

    assertThat(first.value()).isEqualTo("now");
    assertThat(firstArrivedAt).isLessThan(deliverAt);
    assertThat(delayed.value()).isEqualTo("later");
    assertThat(delayedArrivedAt)
        .isGreaterThanOrEqualTo(deliverAt - delayedDeliveryEarliness().toMillis());
    support.join(delayed.acknowledge());
  }

  @Test
  public void aDelayedMessageGoesToEverySubscriptionThatExistedWhenItWasPublished() {
    assumeTrue(bus.supportsDelayedDelivery(), () -> bus.name() + " has no delayed delivery");
    String topic = newTopic("delayed-fan-out");
    BusConsumer<String> first = support.subscribe(topic, "first", SubscriptionMode.SHARED);
    BusConsumer<String> second = support.subscribe(topic, "second", SubscriptionMode.SHARED);
    long deliverAt = System.currentTimeMillis() + 500;

    support.join(
        support
            .producer(topic)
            .send(new OutgoingMessage<>("k", "later", Map.of(), deliverAt, Map.of())));

    assertThat(support.receiveAndAcknowledge(first)).isEqualTo("later");
    assertThat(support.receiveAndAcknowledge(second)).isEqualTo("later");
    assertThat(System.currentTimeMillis())
        .isGreaterThanOrEqualTo(deliverAt - delayedDeliveryEarliness().toMillis());
  }

  @Test
  public void aDeliveryTimeInThePastDeliversAtOnce() {
    assumeTrue(bus.supportsDelayedDelivery(), () -> bus.name() + " has no delayed delivery");
    String topic = newTopic("delayed-past");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    long deliverAt = System.currentTimeMillis() - 60_000;

    support.join(
        support
            .producer(topic)
            .send(new OutgoingMessage<>("k", "overdue", Map.of(), deliverAt, Map.of())));

    assertThat(support.receiveAndAcknowledge(consumer)).isEqualTo("overdue");
  }

  @Test
  public void aDelayedMessageIsRefusedByABusWithoutDelayedDelivery() {
    assumeFalse(bus.supportsDelayedDelivery(), () -> bus.name() + " has delayed delivery");
    BusProducer<String> producer = support.producer(newTopic("no-delay"));
    long deliverAt = System.currentTimeMillis() + 60_000;

    assertThatThrownBy(
            () ->
                support.join(
                    producer.send(
                        new OutgoingMessage<>("k", "later", Map.of(), deliverAt, Map.of()))))
        .isInstanceOf(RuntimeException.class);
  }

  // ---------------------------------------------------------------- topic patterns

  @Test
  public void aPatternSubscriptionReceivesFromATopicCreatedAfterSubscribing() {
    assumeTrue(bus.supportsTopicPatterns(), () -> bus.name() + " has no topic patterns");
    String base = newTopic("pattern");
    BusConsumer<String> consumer =
        support.subscribe(
            new SubscriptionSpec<>(
                null,
                topicsStartingWith(base + "-"),
                "sub",
                SubscriptionMode.SHARED,
                // A topic discovered after its first message would otherwise skip that message.
                InitialPosition.EARLIEST,
                STR,
                Duration.ofSeconds(1),
                SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE));
    String lateTopic = base + "-orders";

    support.join(support.producer(lateTopic).send(OutgoingMessage.of("k", "late", Map.of())));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(message.value()).isEqualTo("late");
    assertThat(message.topic()).isEqualTo(lateTopic);
    assertThat(message.acknowledge()).succeedsWithin(patience());
  }

  @Test
  public void aTopicPatternIsAnIllegalArgumentForABusWithoutPatterns() {
    assumeFalse(bus.supportsTopicPatterns(), () -> bus.name() + " has topic patterns");
    SubscriptionSpec<String> pattern =
        new SubscriptionSpec<>(
            null,
            Pattern.compile("orders-.*"),
            "sub",
            SubscriptionMode.SHARED,
            InitialPosition.LATEST,
            STR,
            SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
            SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE);

    assertThatThrownBy(() -> bus.subscribe(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern");
  }

  // ---------------------------------------------------------------- close

  @Test
  public void closingAConsumerFailsItsPendingReceiveAndLaterOnes() {
    BusConsumer<String> consumer =
        support.subscribe(newTopic("consumer-close"), "sub", SubscriptionMode.SHARED);
    CompletableFuture<IncomingMessage<String>> pending = consumer.receive();

    support.join(consumer.closeAsync());

    assertThatThrownBy(() -> support.join(pending)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> support.receive(consumer)).isInstanceOf(RuntimeException.class);
  }

  @Test
  public void closingTheBusFailsAPendingReceiveAndLaterSends() {
    String topic = newTopic("bus-close");
    MessageBus own = track(newBus());
    BusConsumer<String> consumer =
        support.join(
            own.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
    BusProducer<String> producer = support.join(own.createProducer(ProducerSpec.of(topic, STR)));
    CompletableFuture<IncomingMessage<String>> pending = consumer.receive();

    support.join(own.closeAsync());

    assertThatThrownBy(() -> support.join(pending)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> support.join(producer.send(OutgoingMessage.of("k", "v", Map.of()))))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  public void aProducerAndAConsumerReadConnectedWhileOpenAndNotOnceClosed() {
    String topic = newTopic("connected");
    BusProducer<String> producer = support.producer(topic);
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

    assertThat(producer.isConnected()).as("producer open").isTrue();
    assertThat(consumer.isConnected()).as("consumer open").isTrue();

    support.join(producer.closeAsync());
    support.join(consumer.closeAsync());

    assertThat(producer.isConnected()).as("producer closed").isFalse();
    assertThat(consumer.isConnected()).as("consumer closed").isFalse();
  }

  @Test
  public void closingTheBusLeavesItsProducersAndConsumersNotConnected() {
    String topic = newTopic("connected-bus-close");
    MessageBus own = track(newBus());
    BusProducer<String> producer = support.join(own.createProducer(ProducerSpec.of(topic, STR)));
    BusConsumer<String> consumer =
        support.join(
            own.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
    assertThat(producer.isConnected() && consumer.isConnected()).as("open").isTrue();

    support.join(own.closeAsync());

    assertThat(producer.isConnected()).as("producer of the closed bus").isFalse();
    assertThat(consumer.isConnected()).as("consumer of the closed bus").isFalse();
  }

  @Test
  public void aClosedBusRefusesNewProducersAndConsumersAndClosingAgainIsHarmless() {
    MessageBus own = track(newBus());
    support.join(own.closeAsync());

    assertThatThrownBy(
            () -> support.join(own.createProducer(ProducerSpec.of(newTopic("closed"), STR))))
        .hasStackTraceContaining("closed");
    assertThatThrownBy(
            () ->
                support.join(
                    own.subscribe(
                        SubscriptionSpec.ofTopic(
                            newTopic("closed"), "sub", SubscriptionMode.SHARED, STR))))
        .hasStackTraceContaining("closed");
    assertThat(own.closeAsync()).succeedsWithin(patience());
  }

  // ---------------------------------------------------------------- helpers

  /** A small POJO for the JSON schema; public with a no-argument constructor for Jackson. */
  public static final class Order {
    public String item;
    public int quantity;

    public Order() {}

    Order(String item, int quantity) {
      this.item = item;
      this.quantity = quantity;
    }
  }

  /**
   * Skips a behaviour that needs a message delivered again. The SPI ties redelivery to {@link
   * MessageBus#isDurable()}: a bus that keeps no message for an absent consumer keeps no copy of a
   * delivered one either.
   */
  private void assumeRedelivery() {
    assumeTrue(
        bus.isDurable(),
        () ->
            bus.name()
                + " is not durable (isDurable() is false): it keeps no copy of a delivered message"
                + " to deliver again");
  }

  private static SubscriptionSpec<String> temporarySpec(
      SubscriptionMode mode, InitialPosition position) {
    return new SubscriptionSpec<>(
        "a-topic",
        null,
        "a-temporary-subscription",
        mode,
        position,
        STR,
        SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
        SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE,
        SubscriptionLifetime.TEMPORARY);
  }

  /** Closes {@code created} after the test; returns it. */
  protected final MessageBus track(MessageBus created) {
    buses.add(created);
    return created;
  }
}
