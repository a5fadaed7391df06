package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.client.Subscription;
import io.pulsarrpc.client.UpdateListener;
import io.pulsarrpc.client.UpdateOverflow;
import io.pulsarrpc.server.PulsarRpcPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of subscriptions ({@link PulsarRpcPublisher} and {@link
 * PulsarRpcSubscriber}): written once and run against every bus, like {@link CallKindsSuite}. A
 * subclass says which bus and how to name topics.
 *
 * <p>The tests share a name prefix by what they prove: {@code broadcast...} (every subscriber gets
 * every update, in publish order), {@code queue...} (each update reaches one subscriber of the
 * queue; a subscriber that closes loses nothing it was not handed), {@code topic...} (a subscriber
 * sees only its topic's updates; subscribing and closing at run time), {@code slow...} and {@code
 * failing...} (a listener that blocks or throws holds back only its own subscription, within its
 * buffer bound). A behaviour that needs a capability the bus lacks ({@link MessageBus#isDurable()})
 * is reported as skipped, naming the capability.
 *
 * <p>Scenarios are made to happen rather than waited for: a slow listener is one blocked on a latch
 * the test releases, a subscriber that leaves mid-stream closes itself after exactly the number of
 * updates the test chose.
 */
public abstract class SubscriptionsSuite extends BusSuite {

  /** How long a test waits for one thing: long enough for a redelivery on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private static final int UPDATES = 1_000;

  /** Released after each test, so that no listener stays blocked. */
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  public void releaseBlockedListeners() {
    release.countDown();
  }

  // ---------------------------------------------------------------- broadcast

  @Test
  public void broadcastDeliversEveryUpdateToEachOfThreeSubscribersInPublishOrder() {
    String updateTopic = newTopic("broadcast");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    List<List<Integer>> received = List.of(recorder(), recorder(), recorder());
    for (List<Integer> updates : received) {
      subscriber.subscribe(updates::add);
    }

    publishAll(publisher(updateTopic), 0, UPDATES);

    List<Integer> expected = range(0, UPDATES);
    for (List<Integer> updates : received) {
      await().atMost(PATIENCE).until(() -> updates.size() >= UPDATES);
      assertThat(updates).isEqualTo(expected);
    }
  }

  // ---------------------------------------------------------------- queue

  @Test
  public void queueDeliversEachUpdateToExactlyOneOfThreeSubscribers() {
    String updateTopic = newTopic("queue");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    List<List<Integer>> received = List.of(recorder(), recorder(), recorder());
    for (List<Integer> updates : received) {
      subscriber.subscribe(updates::add, SubscribeOptions.defaults().withQueue("workers"));
    }

    publishAll(publisher(updateTopic), 0, UPDATES);

    assertEachReceivedOnce(received, UPDATES);
  }

  @Test
  public void queueSubscriberThatClosesMidStreamLosesNothingItWasNotHanded() {
    assumeDurable("the updates a closing queue subscriber was not handed go to another");
    String updateTopic = newTopic("queue-close");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    SubscribeOptions queue = SubscribeOptions.defaults().withQueue("workers");
    List<Integer> leaving = recorder();
    int handedBeforeLeaving = 100;
    CompletableFuture<Subscription> self = new CompletableFuture<>();
    CompletableFuture<Void> left = new CompletableFuture<>();
    // Alone in the queue until it leaves, so it surely gets 100; blocked on its first update until
    // every update is published, so that it holds a buffer (and what the bus prefetched) then.
    self.complete(
        subscriber.subscribe(
            update -> {
              leaving.add(update);
              if (leaving.size() == 1) {
                awaitRelease();
              } else if (leaving.size() == handedBeforeLeaving) {
                self.join().closeAsync().whenComplete((ignored, failure) -> left.complete(null));
              }
            },
            queue.withMaxBufferedUpdates(handedBeforeLeaving * 2)));

    publishAll(publisher(updateTopic, oneByOneAcknowledgedProducerConfig()), 0, UPDATES);
    release.countDown();
    assertThat(left).succeedsWithin(PATIENCE);
    List<Integer> first = recorder();
    List<Integer> second = recorder();
    subscriber.subscribe(first::add, queue);
    subscriber.subscribe(second::add, queue);

    assertEachReceivedOnce(List.of(leaving, first, second), UPDATES);
    assertThat(leaving).hasSize(handedBeforeLeaving);
  }

  @Test
  public void queueKeepsUpdatesPublishedWhileEveryMemberIsDownForTheNextOne() {
    assumeDurable("a queue keeps updates while all its subscribers are away");
    String updateTopic = newTopic("queue-down");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    SubscribeOptions queue = SubscribeOptions.defaults().withQueue("workers");
    subscriber.subscribe(update -> {}, queue).close();

    publishAll(publisher(updateTopic), 0, 10);
    List<Integer> comingBack = recorder();
    subscriber.subscribe(comingBack::add, queue);

    await().atMost(PATIENCE).until(() -> comingBack.size() >= 10);
    // Each update once, in any order: the closed member's last read may still have taken update 0
    // from the bus (a Redis read blocked at the close), and it comes back after the others.
    assertThat(comingBack).containsExactlyInAnyOrderElementsOf(range(0, 10));
  }

  // ---------------------------------------------------------------- topic

  @Test
  public void topicSubscriberSeesOnlyItsTopicsUpdates() {
    String updateTopic = newTopic("topics");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    List<Integer> eu = recorder();
    List<Integer> us = recorder();
    List<Integer> none = recorder();
    subscriber.subscribe(eu::add, SubscribeOptions.defaults().withTopic("eu"));
    subscriber.subscribe(us::add, SubscribeOptions.defaults().withTopic("us"));
    subscriber.subscribe(none::add);
    PulsarRpcPublisher<Integer> publisher = publisher(updateTopic);

    for (int i = 0; i < 30; i++) {
      switch (i % 3) {
        case 0 -> publisher.publish("eu", i);
        case 1 -> publisher.publish("us", i);
        default -> publisher.publish(i);
      }
    }

    await().atMost(PATIENCE).until(() -> eu.size() >= 10 && us.size() >= 10 && none.size() >= 10);
    assertThat(eu).isEqualTo(IntStream.range(0, 30).filter(i -> i % 3 == 0).boxed().toList());
    assertThat(us).isEqualTo(IntStream.range(0, 30).filter(i -> i % 3 == 1).boxed().toList());
    assertThat(none).isEqualTo(IntStream.range(0, 30).filter(i -> i % 3 == 2).boxed().toList());
  }

  @Test
  public void topicSubscriptionsMadeAndClosedAtRunTimeGetTheUpdatesPublishedWhileOpen() {
    String updateTopic = newTopic("topics-runtime");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    PulsarRpcPublisher<Integer> publisher = publisher(updateTopic);
    List<Integer> early = recorder();
    Subscription earlySubscription =
        subscriber.subscribe(early::add, SubscribeOptions.defaults().withTopic("eu"));

    publisher.publish("eu", 1);
    await().atMost(PATIENCE).until(() -> !early.isEmpty());
    earlySubscription.close();
    publisher.publish("eu", 2);
    List<Integer> late = recorder();
    subscriber.subscribe(late::add, SubscribeOptions.defaults().withTopic("eu"));
    publisher.publish("eu", 3);

    await().atMost(PATIENCE).until(() -> !late.isEmpty());
    assertThat(early).containsExactly(1);
    assertThat(late).containsExactly(3);
    assertThat(earlySubscription.isOpen()).isFalse();
  }

  // ---------------------------------------------------------------- slow and failing listeners

  @Test
  public void slowBroadcastListenerHoldsBackNeitherOthersNorItsOwnUpdates() {
    String updateTopic = newTopic("slow-broadcast");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    List<Integer> slow = recorder();
    List<Integer> fast = recorder();
    subscriber.subscribe(
        blockedOnFirst(slow), SubscribeOptions.defaults().withMaxBufferedUpdates(10));
    subscriber.subscribe(fast::add);

    publishAll(publisher(updateTopic), 0, UPDATES);

    await().atMost(PATIENCE).until(() -> fast.size() >= UPDATES);
    assertThat(slow).as("still blocked on its first update").containsExactly(0);
    release.countDown();
    await().atMost(PATIENCE).until(() -> slow.size() >= UPDATES);
    assertThat(slow).as("back-pressure lost nothing").isEqualTo(range(0, UPDATES));
    assertThat(fast).isEqualTo(range(0, UPDATES));
  }

  @Test
  public void slowQueueListenerLeavesTheUpdatesToTheOtherSubscribers() {
    assumeDurable(
        "a queue subscriber that stops taking updates leaves them in the bus for the others"
            + " (core NATS pushes each member its share as it comes)");
    String updateTopic = newTopic("slow-queue");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    PulsarRpcPublisher<Integer> publisher = publisher(updateTopic);
    SubscribeOptions queue = SubscribeOptions.defaults().withQueue("workers");
    List<Integer> slow = recorder();
    subscriber.subscribe(blockedOnFirst(slow), queue.withMaxBufferedUpdates(1));
    publisher.publish(0);
    await().atMost(PATIENCE).until(() -> !slow.isEmpty());
    List<Integer> first = recorder();
    List<Integer> second = recorder();
    subscriber.subscribe(first::add, queue);
    subscriber.subscribe(second::add, queue);
    int updates = 200;

    publishAll(publisher, 1, updates);

    // The slow one holds its update, one buffered, and what its bus prefetched: a handful.
    await().atMost(PATIENCE).until(() -> first.size() + second.size() >= updates - 10);
    assertThat(slow).containsExactly(0);
    release.countDown();
    assertEachReceivedOnce(List.of(slow, first, second), updates);
  }

  @Test
  public void slowListenerWithDropOldestKeepsTheNewestUpdatesWithinItsBound() {
    String updateTopic = newTopic("slow-drop");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    PulsarRpcPublisher<Integer> publisher = publisher(updateTopic);
    List<Integer> slow = recorder();
    Subscription subscription =
        subscriber.subscribe(
            blockedOnFirst(slow),
            SubscribeOptions.defaults()
                .withMaxBufferedUpdates(10)
                .withOverflow(UpdateOverflow.DROP_OLDEST));

    publisher.publish(0);
    await().atMost(PATIENCE).until(() -> !slow.isEmpty());
    publishAll(publisher, 1, 101);

    await().atMost(PATIENCE).until(() -> subscription.droppedUpdates() >= 90);
    release.countDown();
    await().atMost(PATIENCE).until(() -> slow.size() >= 11);
    assertThat(subscription.droppedUpdates()).isEqualTo(90);
    assertThat(slow).isEqualTo(newest(0, 91, 101));
  }

  @Test
  public void failingListenerIsCountedAndDeliveryGoesOnForItAndOthers() {
    String updateTopic = newTopic("failing");
    PulsarRpcSubscriber<Integer> subscriber = subscriber(updateTopic);
    List<Integer> failing = recorder();
    List<Integer> others = recorder();
    Subscription failingSubscription =
        subscriber.subscribe(
            update -> {
              failing.add(update);
              throw new IllegalStateException("listener fails on " + update);
            });
    subscriber.subscribe(others::add);

    publishAll(publisher(updateTopic), 0, 100);

    await().atMost(PATIENCE).until(() -> failingSubscription.listenerFailures() >= 100);
    assertThat(failing).isEqualTo(range(0, 100));
    await().atMost(PATIENCE).until(() -> others.size() >= 100);
    assertThat(others).isEqualTo(range(0, 100));
  }

  // ---------------------------------------------------------------- helpers

  private PulsarRpcSubscriber<Integer> subscriber(String updateTopic) {
    return track(PulsarRpcSubscriber.builder(Schema.INT32).updateTopic(updateTopic).build(bus()));
  }

  /**
   * Producer settings with which each update is acknowledged on its own, so that a queue subscriber
   * that leaves gives back exactly the updates it was not handed. Default: none. On Pulsar, a
   * consumer acknowledges a batch of messages only once all of it is acknowledged (unless the
   * broker and consumer acknowledge batch indexes), so a subscriber leaving mid-batch makes the
   * batch's handed updates come again too; Pulsar's tests turn batching off here.
   */
  protected Map<String, Object> oneByOneAcknowledgedProducerConfig() {
    return Map.of();
  }

  private PulsarRpcPublisher<Integer> publisher(String updateTopic) {
    return publisher(updateTopic, Map.of());
  }

  private PulsarRpcPublisher<Integer> publisher(
      String updateTopic, Map<String, Object> producerConfig) {
    try {
      return track(
          PulsarRpcPublisher.builder(Schema.INT32)
              .updateTopic(updateTopic)
              .producerConfig(producerConfig)
              .build(bus()));
    } catch (Exception e) {
      throw new AssertionError("could not build a publisher of " + updateTopic, e);
    }
  }

  /** Publishes {@code from} up to {@code to} (exclusive) asynchronously, and waits for all. */
  private static void publishAll(PulsarRpcPublisher<Integer> publisher, int from, int to) {
    List<CompletableFuture<Void>> published = new ArrayList<>();
    for (int i = from; i < to; i++) {
      published.add(publisher.publishAsync(i));
    }
    assertThat(CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)))
        .succeedsWithin(PATIENCE);
  }

  private static List<Integer> recorder() {
    return new CopyOnWriteArrayList<>();
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** {@code first}, then {@code from} up to {@code to} (exclusive). */
  private static List<Integer> newest(int first, int from, int to) {
    List<Integer> expected = new ArrayList<>(List.of(first));
    expected.addAll(range(from, to));
    return expected;
  }

  /** Records every update, and blocks on the first until the test releases it. */
  private UpdateListener<Integer> blockedOnFirst(List<Integer> received) {
    return update -> {
      received.add(update);
      if (received.size() == 1) {
        awaitRelease();
      }
    };
  }

  private void awaitRelease() {
    try {
      if (!release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the test never released the blocked listener");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertEachReceivedOnce(List<List<Integer>> received, int updates) {
    await().atMost(PATIENCE).until(() -> received.stream().mapToInt(List::size).sum() >= updates);
    List<Integer> all = new ArrayList<>();
    received.forEach(all::addAll);
    assertThat(all).containsExactlyInAnyOrderElementsOf(range(0, updates));
  }

  private void assumeDurable(String behaviour) {
    assumeTrue(
        bus().isDurable(),
        "skipped: the "
            + bus().name()
            + " bus is not durable (isDurable() is false), and "
            + behaviour
            + " only on a durable bus");
  }
}
