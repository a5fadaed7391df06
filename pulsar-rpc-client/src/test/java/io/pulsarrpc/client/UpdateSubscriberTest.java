package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.UpdateHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpdateSubscriberTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String UPDATES = "updates";

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private final PulsarRpcSubscriber<Integer> subscriber =
      PulsarRpcSubscriber.builder(Schema.INT32).updateTopic(UPDATES).build(bus);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    subscriber.close();
    bus.close();
  }

  private void publish(String topic, int... updates) throws Exception {
    BusProducer<Integer> producer =
        bus.createProducer(ProducerSpec.of(CallTopics.updateTopic(UPDATES, topic), Schema.INT32))
            .get(10, TimeUnit.SECONDS);
    for (int update : updates) {
      producer
          .send(OutgoingMessage.of(UpdateHeaders.newUpdateId(), update, UpdateHeaders.write(topic)))
          .get(10, TimeUnit.SECONDS);
    }
  }

  private void publish(int... updates) throws Exception {
    publish(null, updates);
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  /** A listener that records updates and blocks on {@link #release} when given {@code blockOn}. */
  private UpdateListener<Integer> blockingOn(int blockOn, List<Integer> received) {
    return update -> {
      received.add(update);
      if (update == blockOn) {
        await().atMost(PATIENCE).until(() -> release.getCount() == 0);
      }
    };
  }

  @Test
  void broadcastSubscriptionsEachReceiveEveryUpdateInPublishOrder() throws Exception {
    List<Integer> first = new CopyOnWriteArrayList<>();
    List<Integer> second = new CopyOnWriteArrayList<>();
    subscriber.subscribe(first::add);
    subscriber.subscribe(second::add);

    publish(range(0, 200));

    List<Integer> expected = IntStream.range(0, 200).boxed().toList();
    await().atMost(PATIENCE).until(() -> first.size() == 200 && second.size() == 200);
    assertThat(first).isEqualTo(expected);
    assertThat(second).isEqualTo(expected);
  }

  @Test
  void listenerRunsOnTheSubscribersThreadsOneUpdateAtATime() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    AtomicInteger inListener = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    subscriber.subscribe(
        update -> {
          mostAtOnce.accumulateAndGet(inListener.incrementAndGet(), Math::max);
          threads.add(Thread.currentThread().getName());
          inListener.decrementAndGet();
        });

    publish(range(0, 100));

    await().atMost(PATIENCE).until(() -> threads.size() == 100);
    assertThat(threads).allMatch(name -> name.startsWith("pulsar-rpc-subscriber-"));
    assertThat(mostAtOnce).hasValue(1);
  }

  @Test
  void backPressureHoldsAtMostMaxBufferedUpdatesAndLosesNone() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    UpdateSubscription<Integer> subscription =
        (UpdateSubscription<Integer>)
            subscriber.subscribe(
                blockingOn(0, received), SubscribeOptions.defaults().withMaxBufferedUpdates(5));

    publish(0);
    await().atMost(PATIENCE).until(() -> received.equals(List.of(0)));
    publish(range(1, 50));

    await().atMost(PATIENCE).until(() -> subscription.buffered() == 5);
    assertThat(subscription.buffered())
        .as("the bound holds while the listener is blocked")
        .isEqualTo(5);
    release.countDown();
    await().atMost(PATIENCE).until(() -> received.size() == 50);
    assertThat(received).isEqualTo(IntStream.range(0, 50).boxed().toList());
    assertThat(subscription.droppedUpdates()).isZero();
  }

  @Test
  void backPressureOnAQueueLeavesTheUpdatesToTheOtherSubscribers() throws Exception {
    List<Integer> slow = new CopyOnWriteArrayList<>();
    List<Integer> fast = new CopyOnWriteArrayList<>();
    SubscribeOptions queue = SubscribeOptions.defaults().withQueue("workers");
    UpdateSubscription<Integer> slowSubscription =
        (UpdateSubscription<Integer>)
            subscriber.subscribe(blockingOn(0, slow), queue.withMaxBufferedUpdates(2));

    publish(0);
    await().atMost(PATIENCE).until(() -> slow.equals(List.of(0)));
    subscriber.subscribe(fast::add, queue);
    publish(range(1, 100));

    await().atMost(PATIENCE).until(() -> fast.size() + slowSubscription.buffered() == 99);
    assertThat(slowSubscription.buffered()).isLessThanOrEqualTo(2);
    release.countDown();
    await().atMost(PATIENCE).until(() -> slow.size() + fast.size() == 100);
    List<Integer> all = new ArrayList<>(slow);
    all.addAll(fast);
    assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).boxed().toList());
  }

  @Test
  void dropOldestKeepsTheNewestUpdatesAndCountsTheDropped() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription =
        subscriber.subscribe(
            blockingOn(0, received),
            SubscribeOptions.defaults()
                .withMaxBufferedUpdates(3)
                .withOverflow(UpdateOverflow.DROP_OLDEST));

    publish(0);
    await().atMost(PATIENCE).until(() -> received.equals(List.of(0)));
    publish(range(1, 11));

    await().atMost(PATIENCE).until(() -> subscription.droppedUpdates() == 7);
    release.countDown();
    await().atMost(PATIENCE).until(() -> received.size() == 4);
    assertThat(received).containsExactly(0, 8, 9, 10);
  }

  @Test
  void dropOldestIsRefusedOnAQueueSubscription() {
    assertThatThrownBy(
            () ->
                subscriber.subscribeAsync(
                    update -> {},
                    SubscribeOptions.defaults()
                        .withQueue("workers")
                        .withOverflow(UpdateOverflow.DROP_OLDEST)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DROP_OLDEST")
        .hasMessageContaining("BACK_PRESSURE");
  }

  @Test
  void aListenerThatThrowsIsCountedAndDeliveryGoesOn() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription =
        subscriber.subscribe(
            update -> {
              received.add(update);
              if (update % 2 == 0) {
                throw new IllegalStateException("even updates fail");
              }
            });

    publish(range(0, 10));

    await().atMost(PATIENCE).until(() -> received.size() == 10);
    assertThat(received).isEqualTo(IntStream.range(0, 10).boxed().toList());
    await().atMost(PATIENCE).until(() -> subscription.listenerFailures() == 5);
  }

  @Test
  void aMessageOfAnotherKindOnTheUpdateTopicIsCountedAndNotHandedOver() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = subscriber.subscribe(received::add);
    BusProducer<Integer> producer =
        bus.createProducer(ProducerSpec.of(UPDATES, Schema.INT32)).get(10, TimeUnit.SECONDS);

    producer.send(OutgoingMessage.of("x", 1, Map.of(WireProperties.KIND, "multi"))).join();
    producer.send(OutgoingMessage.of("y", 2, Map.of())).join();

    await().atMost(PATIENCE).until(() -> received.equals(List.of(2)));
    assertThat(subscription.listenerFailures()).isEqualTo(1);
  }

  @Test
  void aSubscriptionWithATopicReceivesOnlyThatTopicsUpdates() throws Exception {
    List<Integer> eu = new CopyOnWriteArrayList<>();
    List<Integer> none = new CopyOnWriteArrayList<>();
    subscriber.subscribe(eu::add, SubscribeOptions.defaults().withTopic("eu"));
    subscriber.subscribe(none::add);

    publish("us", 1);
    publish("eu", 2);
    publish(3);

    await().atMost(PATIENCE).until(() -> eu.size() == 1 && none.size() == 1);
    assertThat(eu).containsExactly(2);
    assertThat(none).containsExactly(3);
  }

  @Test
  void aQueueSubscriptionClosedByItsListenerGivesItsBufferedUpdatesToTheOthers() throws Exception {
    List<Integer> closing = new CopyOnWriteArrayList<>();
    List<Integer> staying = new CopyOnWriteArrayList<>();
    SubscribeOptions queue = SubscribeOptions.defaults().withQueue("workers");
    CompletableFuture<Subscription> self = new CompletableFuture<>();
    CountDownLatch closed = new CountDownLatch(1);
    self.complete(
        subscriber.subscribe(
            update -> {
              closing.add(update);
              if (closing.size() == 3) {
                self.join().close();
                closed.countDown();
              } else if (closing.size() == 1) {
                await().atMost(PATIENCE).until(() -> release.getCount() == 0);
              }
            },
            queue.withMaxBufferedUpdates(10)));

    publish(range(0, 11));
    await()
        .atMost(PATIENCE)
        .until(() -> ((UpdateSubscription<Integer>) self.join()).buffered() == 10);
    subscriber.subscribe(staying::add, queue);
    release.countDown();

    assertThat(closed.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    await().atMost(PATIENCE).until(() -> closing.size() + staying.size() == 11);
    assertThat(closing).hasSize(3);
    List<Integer> all = new ArrayList<>(closing);
    all.addAll(staying);
    assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 11).boxed().toList());
  }

  @Test
  void closingWaitsForTheUpdateTheListenerHasAndHandsOverNoOther() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = subscriber.subscribe(blockingOn(0, received));
    publish(range(0, 5));
    await().atMost(PATIENCE).until(() -> received.equals(List.of(0)));

    CompletableFuture<Void> closing = subscription.closeAsync();

    assertThat(subscription.isOpen()).isFalse();
    assertThat(closing).isNotDone();
    release.countDown();
    assertThat(closing).succeedsWithin(PATIENCE);
    assertThat(received).containsExactly(0);
  }

  @Test
  void closingTheSubscriberClosesItsSubscriptionsAndRefusesNewOnes() throws Exception {
    Subscription first = subscriber.subscribe(update -> {});
    Subscription second =
        subscriber.subscribe(update -> {}, SubscribeOptions.defaults().withQueue("q"));

    subscriber.close();

    assertThat(first.isOpen()).isFalse();
    assertThat(second.isOpen()).isFalse();
    assertThat(((UpdateSubscriber<Integer>) subscriber).openSubscriptions()).isZero();
    assertThatThrownBy(() -> subscriber.subscribe(update -> {}))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELED));
  }

  @Test
  void buildNamesEveryMissingSetting() {
    assertThatThrownBy(() -> PulsarRpcSubscriber.builder((Schema<String>) null).build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("updateSchema is null")
        .hasMessageContaining("updateTopic is not set");
  }
}
