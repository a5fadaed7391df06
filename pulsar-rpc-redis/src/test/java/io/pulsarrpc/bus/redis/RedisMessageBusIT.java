package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the Redis bus does: its stream layout and ids, its refusals' messages, consumer leases
 * and claims, trimming, Redis restarts and the settings it knows. The bus contract runs in
 * RedisMessageBusContractIT.
 */
@ExtendWith(TestBrokersExtension.class)
class RedisMessageBusIT {

  private static final Duration CLAIM_IDLE_TIME = Duration.ofMillis(600);
  private static final Schema<String> STR = Schema.STRING;

  // One client for the whole class: each Lettuce client starts its own event loops.
  private static RedisClient sharedClient;
  // A server of this class's own for the tests that crash Redis; the shared one must stay up.
  private static RedisTestServer crashingRedis;

  private final RedisTestServer server;
  private final RedisClient client;
  private final RedisMessageBus bus;
  private final StatefulRedisConnection<String, String> inspection;
  private final RedisCommands<String, String> redis;
  private final BusTestSupport support;

  RedisMessageBusIT(RedisTestServer server) {
    this.server = server;
    this.client = sharedClient(server);
    this.bus = testBus(client);
    this.inspection = client.connect();
    this.redis = inspection.sync();
    this.support = BusTestSupport.on(bus);
  }

  @AfterEach
  void closeBus() {
    bus.close();
    inspection.close();
  }

  @AfterAll
  static void shutDown() {
    if (sharedClient != null) {
      sharedClient.shutdown();
      sharedClient = null;
    }
    if (crashingRedis != null) {
      crashingRedis.close();
      crashingRedis = null;
    }
  }

  @Test
  void aMessageIdIsItsStreamEntryIdWhichGivesThePublishTime() {
    String topic = newTopic("entry-id");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

    MessageId sentId =
        support.join(support.producer(topic).send(OutgoingMessage.of("id-1", "hello", Map.of())));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(sentId).isInstanceOf(BusMessageId.class);
    assertThat(message.id()).isEqualTo(sentId);
    assertThat(message.publishTime()).isEqualTo(Long.parseLong(sentId.toString().split("-")[0]));
    assertThat(message.pulsarConsumer()).isNull();
    support.join(message.acknowledge());
  }

  @Test
  void anEntryHoldsTheKeyTheValueAndOneFieldPerPropertyAsDocumented() {
    String topic = newTopic("layout");
    BusProducer<String> producer = support.producer(topic);

    String id =
        support
            .join(producer.send(OutgoingMessage.of("id-1", "hello", Map.of("a", "1"))))
            .toString();
    support.join(producer.send(OutgoingMessage.of(null, null, Map.of())));

    List<StreamMessage<String, String>> entries = redis.xrange(topic, Range.create("-", "+"));
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).getId()).isEqualTo(id);
    assertThat(entries.get(0).getBody())
        .containsExactlyInAnyOrderEntriesOf(Map.of("key", "id-1", "value", "hello", "p:a", "1"));
    assertThat(entries.get(1).getBody())
        .containsExactlyInAnyOrderEntriesOf(Map.of("value", "", "null-value", "1"));
  }

  @Test
  void aSecondExclusiveConsumerIsRefusedNamingSubscriptionAndTopic() {
    String topic = newTopic("exclusive");
    support.subscribe(topic, "only-one", SubscriptionMode.EXCLUSIVE);

    CompletableFuture<BusConsumer<String>> second =
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "only-one", SubscriptionMode.EXCLUSIVE, STR));

    assertThatThrownBy(() -> support.join(second))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'only-one'")
        .hasMessageContaining(topic)
        .hasMessageContaining("EXCLUSIVE");
  }

  @Test
  void consumersOfTheOtherModeCannotJoinASubscription() {
    String topic = newTopic("modes");
    support.subscribe(topic, "exclusive", SubscriptionMode.EXCLUSIVE);
    support.subscribe(topic, "shared", SubscriptionMode.SHARED);

    CompletableFuture<BusConsumer<String>> sharedOnExclusive =
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "exclusive", SubscriptionMode.SHARED, STR));
    CompletableFuture<BusConsumer<String>> exclusiveOnShared =
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "shared", SubscriptionMode.EXCLUSIVE, STR));

    assertThatThrownBy(() -> support.join(sharedOnExclusive))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is EXCLUSIVE");
    assertThatThrownBy(() -> support.join(exclusiveOnShared))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is SHARED with 1 consumer(s)");
  }

  @Test
  void anExclusiveSubscriptionWhoseConsumerDiedTakesANewOneWhenItsLeaseRunsOut() {
    String topic = newTopic("exclusive-lease");
    Duration lease = Duration.ofMillis(500);
    RedisClient doomedClient = RedisClient.create(client.getResources(), redisUri());
    RedisMessageBus doomedBus = testBus(doomedClient, lease);
    RedisMessageBus successorBus = testBus(client, lease);
    try {
      support.join(
          doomedBus.subscribe(
              SubscriptionSpec.ofTopic(topic, "owner", SubscriptionMode.EXCLUSIVE, STR)));
      doomedClient.shutdown(0, 0, TimeUnit.SECONDS);
      SubscriptionSpec<String> spec =
          SubscriptionSpec.ofTopic(topic, "owner", SubscriptionMode.EXCLUSIVE, STR);

      assertThatThrownBy(() -> support.join(successorBus.subscribe(spec)))
          .hasCauseInstanceOf(IllegalStateException.class);
      AtomicReference<BusConsumer<String>> successor = new AtomicReference<>();
      await()
          .atMost(support.patience())
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                successorBus
                    .subscribe(spec)
                    .thenAccept(successor::set)
                    .exceptionally(e -> null)
                    .join();
                return successor.get() != null;
              });
      support.join(
          support.producer(topic).send(OutgoingMessage.of("k", "for the successor", Map.of())));

      assertThat(support.join(successor.get().receive()).value()).isEqualTo("for the successor");
    } finally {
      doomedBus.close();
      successorBus.close();
    }
  }

  @Test
  void theGroupOfATemporarySubscriptionWhoseConsumerDiedIsRemovedWhenItsLeaseRunsOut() {
    String topic = newTopic("temporary-died");
    Duration lease = Duration.ofMillis(500);
    RedisClient doomedClient = RedisClient.create(client.getResources(), redisUri());
    RedisMessageBus doomedBus = testBus(doomedClient, lease);
    try {
      SubscriptionSpec<String> spec = SubscriptionSpec.temporary(topic, STR);
      support.join(doomedBus.subscribe(spec));
      BusProducer<String> producer = support.producer(topic);
      support.join(producer.send(OutgoingMessage.of("k", "never read", Map.of())));
      assertThat(groupNames(topic)).containsExactly(spec.subscription());

      // The consumer's process "dies": no close, no heartbeat. This test's bus has a producer on
      // the topic, so it trims the stream, and removes the dead group once its lease ran out.
      doomedClient.shutdown(0, 0, TimeUnit.SECONDS);

      await()
          .atMost(support.patience())
          .untilAsserted(() -> assertThat(groupNames(topic)).isEmpty());
      assertThat(redis.smembers("pulsar-rpc:temporary:" + topic)).isEmpty();
    } finally {
      doomedBus.close();
    }
  }

  @Test
  void aTemporarySubscriptionCannotTakeTheNameOfADurableGroup() {
    String topic = newTopic("temporary-name");
    support.join(support.subscribe(topic, "workers", SubscriptionMode.SHARED).closeAsync());
    SubscriptionSpec<String> temporary = SubscriptionSpec.temporary(topic, "workers", STR);

    assertThatThrownBy(() -> support.join(bus.subscribe(temporary)))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is durable");
    assertThat(groupNames(topic)).containsExactly("workers");
  }

  @Test
  void anExclusiveConsumerWhosePlaceWasTakenClosesAndFailsItsReceives() {
    String topic = newTopic("exclusive-lost");
    BusConsumer<String> first = support.subscribe(topic, "owner", SubscriptionMode.EXCLUSIVE);
    CompletableFuture<IncomingMessage<String>> pending = first.receive();

    // As if the first consumer's heartbeats had failed for a whole lease: its place expires...
    redis.del(
        "pulsar-rpc:members:"
            + topic.getBytes(StandardCharsets.UTF_8).length
            + ":"
            + topic
            + ":owner");
    // ...and another consumer takes the subscription.
    BusConsumer<String> second = support.subscribe(topic, "owner", SubscriptionMode.EXCLUSIVE);

    assertThatThrownBy(() -> support.join(pending))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lost its place")
        .hasMessageContaining("EXCLUSIVE");
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "for the second", Map.of())));
    assertThat(support.receive(second).value()).isEqualTo("for the second");
  }

  @Test
  void acknowledgedEntriesStayAcknowledgedWhileAClosingConsumerHandsTheOthersOn() {
    String topic = newTopic("acks");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    support.join(producer.send(OutgoingMessage.of("a", "acknowledged", Map.of())));
    support.join(producer.send(OutgoingMessage.of("u", "unacknowledged", Map.of())));
    IncomingMessage<String> first = support.receive(consumer);
    IncomingMessage<String> second = support.receive(consumer);
    assertThat(List.of(first.value(), second.value()))
        .containsExactly("acknowledged", "unacknowledged");
    support.join(first.acknowledge());

    support.join(consumer.closeAsync());
    BusConsumer<String> again = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    IncomingMessage<String> redelivered = support.receive(again);
    support.join(producer.send(OutgoingMessage.of("n", "new", Map.of())));
    IncomingMessage<String> next = support.receive(again);

    assertThat(redelivered.value()).isEqualTo("unacknowledged");
    assertThat(redelivered.id()).isEqualTo(second.id());
    assertThat(redelivered.redeliveryCount()).isEqualTo(1);
    assertThat(next.value()).isEqualTo("new");
  }

  @Test
  void manyAcknowledgementsMadeAtOnceAllCompleteAndLeaveNothingPending() {
    String topic = newTopic("acks-at-once");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    List<IncomingMessage<String>> received = sendAndReceiveUnacknowledged(topic, consumer, 200);

    support.join(acknowledgeAll(received));

    assertThat(redis.xpending(topic, "sub").getCount()).isZero();
  }

  @Test
  void acknowledgementsMadeJustBeforeCloseAreInRedisWhenTheCloseCompletes() {
    String topic = newTopic("acks-then-close");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    List<IncomingMessage<String>> received = sendAndReceiveUnacknowledged(topic, consumer, 200);

    CompletableFuture<Void> acknowledged = acknowledgeAll(received);
    support.join(consumer.closeAsync());

    // Released instead of acknowledged, they would still be pending for the next consumer.
    assertThat(redis.xpending(topic, "sub").getCount()).isZero();
    support.join(acknowledged);
  }

  @Test
  void anEntryOfAConsumerThatStoppedWithoutClosingGoesToAnotherAfterTheClaimIdleTime() {
    String topic = newTopic("claim");
    RedisClient doomedClient = RedisClient.create(client.getResources(), redisUri());
    RedisMessageBus doomedBus = testBus(doomedClient);
    try {
      BusConsumer<String> doomed =
          support.join(
              doomedBus.subscribe(
                  SubscriptionSpec.ofTopic(topic, "workers", SubscriptionMode.SHARED, STR)));
      support.join(support.producer(topic).send(OutgoingMessage.of("k", "orphan", Map.of())));
      IncomingMessage<String> taken = support.receive(doomed);
      CompletableFuture<IncomingMessage<String>> survivorReceive =
          support.subscribe(topic, "workers", SubscriptionMode.SHARED).receive();
      long stoppedAt = System.nanoTime();

      // The consumer's process "dies": no close, no heartbeat, no acknowledgement.
      doomedClient.shutdown(0, 0, TimeUnit.SECONDS);
      IncomingMessage<String> claimed = support.join(survivorReceive);

      assertThat(claimed.value()).isEqualTo("orphan");
      assertThat(claimed.id()).isEqualTo(taken.id());
      assertThat(claimed.redeliveryCount()).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
          .isGreaterThanOrEqualTo(CLAIM_IDLE_TIME.dividedBy(2));
    } finally {
      doomedBus.close();
    }
  }

  @Test
  void aLiveConsumerKeepsAnUnacknowledgedEntryLongerThanTheClaimIdleTime() {
    String topic = newTopic("renewal");
    BusConsumer<String> slow = support.subscribe(topic, "workers", SubscriptionMode.SHARED);
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "slow work", Map.of())));
    IncomingMessage<String> held = support.receive(slow);
    CompletableFuture<IncomingMessage<String>> other =
        support.subscribe(topic, "workers", SubscriptionMode.SHARED).receive();

    await()
        .during(CLAIM_IDLE_TIME.multipliedBy(3))
        .atMost(support.patience())
        .until(() -> !other.isDone());

    support.join(held.acknowledge());
    assertThat(other).isNotDone();
  }

  @Test
  void aDelayedMessageIsNotDeliveredBeforeItsDeliverAt() {
    String topic = newTopic("delayed");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    long deliverAt = System.currentTimeMillis() + 1_500;
    CompletableFuture<IncomingMessage<String>> receive = consumer.receive();
    AtomicLong receivedAt = new AtomicLong();
    receive.thenRun(() -> receivedAt.set(System.currentTimeMillis()));

    MessageId delayedId =
        support.join(
            producer.send(new OutgoingMessage<>("1", "later", Map.of(), deliverAt, Map.of())));
    support.join(producer.send(OutgoingMessage.of("2", "now", Map.of())));

    assertThat(support.join(receive).value()).isEqualTo("now");
    IncomingMessage<String> delayed = support.receive(consumer);
    long delayedArrivedAt = System.currentTimeMillis();
    assertThat(delayed.value()).isEqualTo("later");
    assertThat(delayedArrivedAt).isGreaterThanOrEqualTo(deliverAt);
    assertThat(delayed.publishTime()).isGreaterThanOrEqualTo(deliverAt);
    assertThat(delayedId.toString()).startsWith("delayed-");
    assertThat(receivedAt.get()).isLessThan(deliverAt);
  }

  @Test
  void messageConfigMergesPropertiesReplacesTheKeyAndDelaysWithDeliverAfterSeconds() {
    String topic = newTopic("message-config");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    long sentAt = System.currentTimeMillis();

    support.join(
        support
            .producer(topic)
            .send(
                new OutgoingMessage<>(
                    "k",
                    "configured",
                    Map.of("a", "1"),
                    0,
                    Map.of(
                        "properties",
                        Map.of("b", "2"),
                        "key",
                        "other-key",
                        "deliverAfterSeconds",
                        1L,
                        "eventTime",
                        42L))));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(sentAt + 1_000);
    assertThat(message.properties()).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(message.key()).isEqualTo("other-key");
  }

  @Test
  void aDelayedMessageSurvivesARedisCrashAndIsMovedByTheBusThatReplacedItsSender() {
    RedisTestServer server = crashingRedis();
    String topic = newTopic("durable-delay");
    long deliverAt;
    RedisClient firstClient = RedisClient.create(client.getResources(), server.url());
    try (RedisMessageBus first = testBus(firstClient)) {
      // The subscription must exist when the message becomes due, as on Pulsar.
      support.join(
          first.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
      deliverAt = System.currentTimeMillis() + 2_000;
      support.join(
          support
              .join(first.createProducer(ProducerSpec.of(topic, STR)))
              .send(new OutgoingMessage<>("k", "after the crash", Map.of(), deliverAt, Map.of())));
    } finally {
      firstClient.shutdown();
    }

    server.kill();
    server.start();
    RedisClient secondClient = RedisClient.create(client.getResources(), server.url());
    try (RedisMessageBus second = testBus(secondClient)) {
      BusConsumer<String> consumer =
          support.join(
              second.subscribe(
                  SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
      IncomingMessage<String> message = support.receive(consumer);
      long arrivedAt = System.currentTimeMillis();

      assertThat(message.value()).isEqualTo("after the crash");
      assertThat(arrivedAt).isGreaterThanOrEqualTo(deliverAt);
    } finally {
      secondClient.shutdown();
    }
  }

  @Test
  void closingCompletesWhileLettucesIoThreadsDoNotRun() throws Exception {
    DefaultEventLoopGroupProvider ioThreads = new DefaultEventLoopGroupProvider(2);
    ClientResources resources = ClientResources.builder().eventLoopGroupProvider(ioThreads).build();
    RedisClient ownClient = RedisClient.create(resources, redisUri());
    CountDownLatch unblock = new CountDownLatch(1);
    try {
      RedisMessageBus ownBus = testBus(ownClient);
      String topic = newTopic("stuck-io");
      BusConsumer<String> consumer =
          support.join(
              ownBus.subscribe(
                  SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
      BusProducer<String> producer =
          support.join(ownBus.createProducer(ProducerSpec.of(topic, STR)));
      support.join(producer.send(OutgoingMessage.of("k", "before", Map.of())));
      assertThat(support.join(consumer.receive()).value()).isEqualTo("before");
      // Every I/O thread of the client runs a task that waits: no connection can close now.
      EventLoopGroup group = ioThreads.allocate(Transports.eventLoopGroupClass());
      List<EventExecutor> loops = new ArrayList<>();
      group.forEach(loops::add);
      CountDownLatch blocked = new CountDownLatch(loops.size());
      for (EventExecutor loop : loops) {
        loop.execute(
            () -> {
              blocked.countDown();
              try {
                unblock.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(ownBus.closeAsync())
          .as("the bus's close, with the consumer's reading connection and the shared one stuck")
          .succeedsWithin(Duration.ofSeconds(60));
    } finally {
      unblock.countDown();
      ownClient.shutdown();
      resources.shutdown();
    }
  }

  @Test
  void aConsumerWaitingAcrossARedisRestartReceivesWhatIsSentAfterIt() {
    RedisTestServer server = crashingRedis();
    String topic = newTopic("restart");
    RedisClient ownClient = RedisClient.create(client.getResources(), server.url());
    try (RedisMessageBus ownBus = testBus(ownClient)) {
      BusConsumer<String> consumer =
          support.join(
              ownBus.subscribe(
                  SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
      BusProducer<String> producer =
          support.join(ownBus.createProducer(ProducerSpec.of(topic, STR)));
      CompletableFuture<IncomingMessage<String>> receive = consumer.receive();

      server.kill();
      server.start();
      support.join(producer.send(OutgoingMessage.of("k", "after the restart", Map.of())));

      assertThat(support.join(receive).value()).isEqualTo("after the restart");
    } finally {
      ownClient.shutdown();
    }
  }

  @Test
  void aConsumerCreatesItsGroupAgainWhenTheStreamWasDeleted() {
    String topic = newTopic("recreate");
    BusConsumer<String> consumer =
        support.join(
            bus.subscribe(
                new SubscriptionSpec<>(
                    topic,
                    null,
                    "sub",
                    SubscriptionMode.SHARED,
                    // From the start, so that a message sent before the group is back is not lost.
                    InitialPosition.EARLIEST,
                    STR,
                    SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
                    SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE)));
    CompletableFuture<IncomingMessage<String>> receive = consumer.receive();

    // As after a Redis restart that lost its data.
    redis.del(topic);
    await().atMost(support.patience()).until(() -> redis.exists(topic) == 1);
    support.join(support.producer(topic).send(OutgoingMessage.of("k", "after the loss", Map.of())));

    assertThat(support.join(receive).value()).isEqualTo("after the loss");
  }

  @Test
  void acknowledgedEntriesAreTrimmedWhileUnacknowledgedOnesStay() {
    String topic = newTopic("trim-acked");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    List<CompletableFuture<MessageId>> sends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sends.add(producer.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
    }
    support.join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
    String unacknowledged = null;
    for (int i = 0; i < 500; i++) {
      IncomingMessage<String> message = support.receive(consumer);
      if (i == 450) {
        unacknowledged = message.id().toString();
      } else {
        support.join(message.acknowledge());
      }
    }
    String kept = unacknowledged;

    await()
        .atMost(support.patience())
        .untilAsserted(() -> assertThat(redis.xlen(topic)).isLessThanOrEqualTo(150));
    assertThat(redis.xrange(topic, Range.create(kept, kept))).hasSize(1);
  }

  @Test
  void aStreamNobodyReadsIsCappedAtItsProducersMaxLen() {
    String topic = newTopic("capped");
    BusProducer<String> producer =
        support.join(bus.createProducer(new ProducerSpec<>(topic, STR, Map.of("maxLen", 100))));
    List<CompletableFuture<MessageId>> sends = new ArrayList<>();

    for (int i = 0; i < 2_000; i++) {
      sends.add(producer.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
    }
    support.join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));

    // MAXLEN ~ trims whole nodes of the stream, so a little more than 100 entries may stay.
    assertThat(redis.xlen(topic)).isBetween(100L, 300L);
  }

  @Test
  void configKeysTheBusDoesNotKnowAreIllegalArguments() {
    String topic = newTopic("bad-config");
    BusProducer<String> producer = support.producer(topic);

    assertThatThrownBy(
            () ->
                bus.createProducer(new ProducerSpec<>(topic, STR, Map.of("batchingEnabled", true))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchingEnabled");
    assertThatThrownBy(
            () -> bus.createProducer(new ProducerSpec<>(topic, STR, Map.of("maxLen", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLen");
    assertThatThrownBy(
            () ->
                producer.send(
                    new OutgoingMessage<>("k", "v", Map.of(), 0, Map.of("sequenceId", 1L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequenceId");
    assertThatThrownBy(
            () ->
                producer.send(
                    new OutgoingMessage<>(
                        "k", "v", Map.of(), 0, Map.of("deliverAt", 1L, "deliverAfterSeconds", 1L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deliverAfterSeconds");
    assertThatThrownBy(
            () ->
                producer.send(
                    new OutgoingMessage<>("k", "v", Map.of(), 0, Map.of("deliverAt", "soon"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deliverAt");
  }

  @Test
  void closingTheBusFailsAPendingReceiveAndEverythingAfterIt() {
    String topic = newTopic("bus-close");
    RedisMessageBus ownBus = testBus(client);
    BusConsumer<String> consumer =
        support.join(
            ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
    BusProducer<String> producer = support.join(ownBus.createProducer(ProducerSpec.of(topic, STR)));
    CompletableFuture<IncomingMessage<String>> pending = consumer.receive();

    ownBus.close();

    assertThatThrownBy(() -> support.join(pending))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bus closed");
    assertThatThrownBy(() -> support.join(producer.send(OutgoingMessage.of("k", "v", Map.of()))))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> support.join(ownBus.createProducer(ProducerSpec.of(topic, STR))))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bus closed");
    assertThatThrownBy(
            () ->
                support.join(
                    ownBus.subscribe(
                        SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR))))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bus closed");
    assertThat(ownBus.closeAsync()).succeedsWithin(support.patience());
    await()
        .atMost(support.patience())
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(name -> name.startsWith(ownBus.threadNamePrefix())));
  }

  @Test
  void closingTheBusLeavesAGivenClientWorking() {
    String topic = newTopic("given-client");
    RedisMessageBus ownBus = testBus(client);
    support.join(
        ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));

    ownBus.close();

    // This test class's own bus and inspection connection run on the same client.
    assertThat(support.sendAndReceive(topic, "still works")).isEqualTo("still works");
    assertThat(redis.ping()).isEqualTo("PONG");
  }

  @Test
  void aBusCreatedFromAUrlShutsItsOwnClientDown() {
    RedisMessageBus ownBus = RedisMessageBus.create(redisUri());
    String topic = newTopic("own-client");
    assertThat(BusTestSupport.on(ownBus).sendAndReceive(topic, "v")).isEqualTo("v");
    RedisClient ownClient = ownBus.client();

    ownBus.close();

    assertThat(ownClient.getResources().eventExecutorGroup().isShuttingDown()).isTrue();
    assertThatThrownBy(ownClient::connect).isInstanceOf(RuntimeException.class);
  }

  /** The names of the consumer groups of the topic's stream. */
  private List<String> groupNames(String topic) {
    return RedisGroups.names(redis, topic);
  }

  private static synchronized RedisClient sharedClient(RedisTestServer server) {
    if (sharedClient == null) {
      sharedClient = RedisClient.create(server.url());
    }
    return sharedClient;
  }

  private static synchronized RedisTestServer crashingRedis() {
    if (crashingRedis == null) {
      crashingRedis = RedisTestServer.startLocal();
    }
    return crashingRedis;
  }

  /** A bus with timings short enough for tests. */
  private static RedisMessageBus testBus(RedisClient client) {
    return testBus(client, RedisMessageBus.DEFAULT_CONSUMER_LEASE);
  }

  private static RedisMessageBus testBus(RedisClient client, Duration consumerLease) {
    return RedisMessageBus.builder()
        .client(client)
        .claimIdleTime(CLAIM_IDLE_TIME)
        .consumerLease(consumerLease)
        .pollInterval(Duration.ofMillis(50))
        .negativeAckRedeliveryDelay(Duration.ofMillis(100))
        .build();
  }

  private String redisUri() {
    return server.url();
  }

  private static String newTopic(String name) {
    return BusTestSupport.uniqueName("redis-it-" + name);
  }

  /** Sends {@code count} messages to {@code topic} and receives them, unacknowledged. */
  private List<IncomingMessage<String>> sendAndReceiveUnacknowledged(
      String topic, BusConsumer<String> consumer, int count) {
    BusProducer<String> producer = support.producer(topic);
    List<CompletableFuture<MessageId>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sends.add(producer.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
    }
    support.join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
    List<IncomingMessage<String>> received = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      received.add(support.receive(consumer));
    }
    return received;
  }

  /** Acknowledges every message without waiting; completes when all acknowledgements did. */
  private static CompletableFuture<Void> acknowledgeAll(List<IncomingMessage<String>> messages) {
    return CompletableFuture.allOf(
        messages.stream().map(IncomingMessage::acknowledge).toArray(CompletableFuture[]::new));
  }
}
