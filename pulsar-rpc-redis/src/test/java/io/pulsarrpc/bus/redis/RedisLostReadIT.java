package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.PendingMessage;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.testkit.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An entry that Redis handed to a consumer just before it died: the entry is in that consumer's
 * pending list (Redis wrote it to its append-only file) but the answer never reached the consumer.
 * The tests make that happen every time: a raw connection reads the entry with {@code XREADGROUP
 * ... >} under the bus consumer's own name and drops the answer; then Redis is killed and restarted
 * on its data. The claim idle time is a minute, far beyond the tests' waits, so only the consumer's
 * own recovery can hand the entry over in time.
 */
class RedisLostReadIT {

  private static final Duration CLAIM_IDLE_TIME = Duration.ofSeconds(60);
  // Restart, reconnect and one blocking read of 2 s that was waiting at the crash, with room.
  private static final Duration SOON = Duration.ofSeconds(10);
  private static final Schema<String> STR = Schema.STRING;

  private static RedisTestServer redis;
  private static RedisClient client;

  private final RedisMessageBus bus =
      RedisMessageBus.builder().client(client).claimIdleTime(CLAIM_IDLE_TIME).build();
  private final StatefulRedisConnection<byte[], byte[]> raw =
      client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);

  @BeforeAll
  static void startRedis() {
    redis = RedisTestServer.startLocal();
    client = RedisClient.create(redis.url());
  }

  @AfterAll
  static void closeRedis() {
    if (client != null) {
      client.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeBus() {
    bus.close();
    raw.close();
  }

  @Test
  void anEntryReadButNeverReceivedWhenRedisDiedIsDeliveredSoonAfterTheRestart() {
    String topic = newTopic();
    BusConsumer<String> consumer = subscribe(topic);
    BusProducer<String> producer = producer(topic);
    join(producer.send(OutgoingMessage.of("k", "lost", Map.of())));
    String lostId = readAndDropUnderTheNameOf(topic, consumer);
    CompletableFuture<IncomingMessage<String>> receive = consumer.receive();

    restartRedis();
    IncomingMessage<String> message = soon(receive);

    assertThat(message.value()).isEqualTo("lost");
    assertThat(message.id().toString()).isEqualTo(lostId);
    assertThat(message.redeliveryCount()).isEqualTo(1);
    join(message.acknowledge());
  }

  @Test
  void entriesTheConsumerStillHoldsAreNotDeliveredAgainNorCountedAgainAfterTheRestart() {
    String topic = newTopic();
    BusConsumer<String> consumer = subscribe(topic);
    BusProducer<String> producer = producer(topic);
    join(producer.send(OutgoingMessage.of("k", "held", Map.of())));
    IncomingMessage<String> held = join(consumer.receive());
    join(producer.send(OutgoingMessage.of("k", "lost", Map.of())));
    readAndDropUnderTheNameOf(topic, consumer);
    CompletableFuture<IncomingMessage<String>> receive = consumer.receive();

    restartRedis();
    IncomingMessage<String> recovered = soon(receive);
    join(producer.send(OutgoingMessage.of("k", "next", Map.of())));
    IncomingMessage<String> next = join(consumer.receive());

    assertThat(recovered.value()).isEqualTo("lost");
    assertThat(next.value()).isEqualTo("next");
    assertThat(deliveryCount(topic, held.id().toString())).isEqualTo(1);
    join(held.acknowledge());
    join(recovered.acknowledge());
    join(next.acknowledge());
  }

  @Test
  void anEntryLostToAConsumerThatIsNotReceivingGoesSoonToAnotherConsumer() {
    String topic = newTopic();
    BusConsumer<String> idle = subscribe(topic);
    BusConsumer<String> other = subscribe(topic);
    join(producer(topic).send(OutgoingMessage.of("k", "lost", Map.of())));
    String lostId = readAndDropUnderTheNameOf(topic, idle);
    CompletableFuture<IncomingMessage<String>> receive = other.receive();

    restartRedis();
    IncomingMessage<String> message = soon(receive);

    assertThat(message.id().toString()).isEqualTo(lostId);
    assertThat(message.redeliveryCount()).isEqualTo(1);
  }

  @Test
  void moreLostEntriesThanOneListingHoldsAreAllDeliveredSoonAfterTheRestart() {
    String topic = newTopic();
    BusConsumer<String> consumer = subscribe(topic);
    BusProducer<String> producer = producer(topic);
    int lostCount = 250;
    for (int i = 0; i < lostCount; i++) {
      join(producer.send(OutgoingMessage.of("k", "lost-" + i, Map.of())));
    }
    List<StreamMessage<byte[], byte[]>> lost = readAndDrop(topic, consumer, lostCount);
    List<CompletableFuture<IncomingMessage<String>>> receives = new ArrayList<>();
    for (int i = 0; i < lostCount; i++) {
      receives.add(consumer.receive());
    }

    restartRedis();
    soon(CompletableFuture.allOf(receives.toArray(CompletableFuture[]::new)));

    assertThat(lost).hasSize(lostCount);
    assertThat(receives)
        .extracting(receive -> receive.join().id().toString())
        .containsExactlyInAnyOrderElementsOf(lost.stream().map(StreamMessage::getId).toList());
  }

  /**
   * Reads the next entry of the subscription with {@code >} under the name of {@code consumer} and
   * forgets the answer, as a consumer whose connection broke before the answer arrived.
   */
  private String readAndDropUnderTheNameOf(String topic, BusConsumer<String> consumer) {
    List<StreamMessage<byte[], byte[]>> read = readAndDrop(topic, consumer, 1);
    assertThat(read).hasSize(1);
    return read.get(0).getId();
  }

  private List<StreamMessage<byte[], byte[]>> readAndDrop(
      String topic, BusConsumer<String> consumer, int count) {
    String name = ((RedisBusConsumer<String>) consumer).name();
    return raw.sync()
        .xreadgroup(
            Consumer.from(utf8("workers"), utf8(name)),
            XReadArgs.Builder.count(count),
            XReadArgs.StreamOffset.lastConsumed(utf8(topic)));
  }

  private long deliveryCount(String topic, String id) {
    List<PendingMessage> pending =
        raw.sync().xpending(utf8(topic), utf8("workers"), Range.create(id, id), Limit.from(1));
    assertThat(pending).hasSize(1);
    return pending.get(0).getRedeliveryCount();
  }

  private static void restartRedis() {
    redis.kill();
    redis.start();
  }

  private BusConsumer<String> subscribe(String topic) {
    return join(
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "workers", SubscriptionMode.SHARED, STR)));
  }

  private BusProducer<String> producer(String topic) {
    return join(bus.createProducer(ProducerSpec.of(topic, STR)));
  }

  private static String newTopic() {
    return "redis-lost-read-" + UUID.randomUUID();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Waits far less than the claim idle time. */
  private static <T> T soon(CompletableFuture<T> future) {
    return future.orTimeout(SOON.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  private static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(20, TimeUnit.SECONDS).join();
  }
}
