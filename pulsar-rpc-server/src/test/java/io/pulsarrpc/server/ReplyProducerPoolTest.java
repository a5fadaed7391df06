package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplyProducerPoolTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Function<
          Supplier<CompletableFuture<MessageId>>, CompletableFuture<MessageId>>
      AT_ONCE = Supplier::get;

  private final InMemoryMessageBus memory = InMemoryMessageBus.create();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger creationsToFail = new AtomicInteger();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    memory.close();
  }

  @Test
  void repliesFromManyThreadsToOneTopicShareOneProducer() throws Exception {
    ReplyProducerPool<String> pool = pool(Duration.ofMinutes(5));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<CompletableFuture<MessageId>> sent = new ArrayList<>();
    try {
      List<CompletableFuture<List<CompletableFuture<MessageId>>>> batches = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        batches.add(
            CompletableFuture.supplyAsync(
                () -> {
                  List<CompletableFuture<MessageId>> mine = new ArrayList<>();
                  for (int i = 0; i < 500; i++) {
                    mine.add(pool.send("replies", reply("r" + i), AT_ONCE));
                  }
                  return mine;
                },
                threads));
      }
      for (CompletableFuture<List<CompletableFuture<MessageId>>> batch : batches) {
        sent.addAll(batch.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)))
        .succeedsWithin(PATIENCE);
    assertThat(sent).hasSize(4_000);
    assertThat(created).hasValue(1);
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void producerOfAnIdleTopicIsClosedAndTheNextReplyOpensANewOne() {
    ReplyProducerPool<String> pool = pool(Duration.ofMillis(200));
    assertThat(pool.send("replies", reply("first"), AT_ONCE)).succeedsWithin(PATIENCE);
    assertThat(pool.size()).isEqualTo(1);

    await().atMost(PATIENCE).until(() -> pool.size() == 0);

    assertThat(pool.send("replies", reply("second"), AT_ONCE)).succeedsWithin(PATIENCE);
    assertThat(created).hasValue(2);
  }

  @Test
  void producerInUseIsNotClosedForIdlenessWhileASendHoldsIt() throws Exception {
    ReplyProducerPool<String> pool = pool(Duration.ofMillis(100));
    CountDownLatch handingOff = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CompletableFuture<MessageId>> held =
        CompletableFuture.supplyAsync(
            () ->
                pool.send(
                    "replies",
                    reply("held"),
                    send -> {
                      handingOff.countDown();
                      awaitQuietly(release);
                      return send.get();
                    }));
    assertThat(handingOff.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // Many sweeps of a 100 ms idle timeout pass while the send holds the producer.
    await()
        .during(Duration.ofMillis(800))
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(pool.size()).isEqualTo(1));
    release.countDown();

    assertThat(held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).succeedsWithin(PATIENCE);
    assertThat(created).as("the held send used the producer it started with").hasValue(1);
    await().atMost(PATIENCE).until(() -> pool.size() == 0);
  }

  @Test
  void producerThatCannotBeCreatedFailsTheReplyAndTheNextReplyTriesAgain() {
    ReplyProducerPool<String> pool = pool(Duration.ofMinutes(5));
    creationsToFail.set(1);

    assertThat(pool.send("replies", reply("first"), AT_ONCE))
        .failsWithin(PATIENCE)
        .withThrowableThat()
        .withMessageContaining("no producer for you");
    assertThat(pool.size()).isZero();

    assertThat(pool.send("replies", reply("second"), AT_ONCE)).succeedsWithin(PATIENCE);
    assertThat(created).hasValue(2);
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void repliesAfterCloseFailSayingSo() {
    ReplyProducerPool<String> pool = pool(Duration.ofMinutes(5));
    assertThat(pool.send("replies", reply("before"), AT_ONCE)).succeedsWithin(PATIENCE);

    pool.close();

    assertThat(pool.size()).isZero();
    assertThat(pool.send("replies", reply("after"), AT_ONCE))
        .failsWithin(PATIENCE)
        .withThrowableThat()
        .withMessageContaining("reply producers are closed");
  }

  @Test
  void refusedHandOffFailsTheReplyAndLeavesTheProducerToOthers() {
    ReplyProducerPool<String> pool = pool(Duration.ofMinutes(5));

    assertThat(
            pool.send(
                "replies",
                reply("refused"),
                send -> CompletableFuture.failedFuture(new IllegalStateException("killed"))))
        .failsWithin(PATIENCE)
        .withThrowableThat()
        .withMessageContaining("killed");

    assertThat(pool.send("replies", reply("next"), AT_ONCE)).succeedsWithin(PATIENCE);
    assertThat(created).hasValue(1);
  }

  /** A pool on the in-memory bus, through a view that counts (and can fail) producer creations. */
  private ReplyProducerPool<String> pool(Duration idleTimeout) {
    MessageBus counting =
        (MessageBus)
            Proxy.newProxyInstance(
                MessageBus.class.getClassLoader(),
                new Class<?>[] {MessageBus.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("createProducer")) {
                    created.incrementAndGet();
                    if (creationsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                      return CompletableFuture.failedFuture(
                          new IllegalStateException("no producer for you"));
                    }
                  }
                  try {
                    return method.invoke(memory, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ReplyProducerPool<String> pool =
        new ReplyProducerPool<>(counting, Schema.STRING, Map.of(), idleTimeout);
    toClose.add(pool);
    return pool;
  }

  private static OutgoingMessage<String> reply(String value) {
    return OutgoingMessage.of("key", value, Map.of());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
