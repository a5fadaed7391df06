package io.pulsarrpc.testkit.contract;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.server.PulsarRpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of the call kinds beyond a plain single call, and of stopping a server at
 * once with {@link PulsarRpcServer#kill()}: written once and run against every bus, like {@link
 * RpcBehaviourSuite}. A subclass says which bus and how to name topics.
 *
 * <p>The tests of one kind share a name prefix and a section: {@code kill...}. A behaviour that
 * needs a capability the bus lacks (for example {@link MessageBus#isDurable()}) is reported as
 * skipped, naming the capability.
 */
public abstract class CallKindsSuite extends BusSuite {

  /** How long a test waits for one thing: long enough for a redelivery on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  // ---------------------------------------------------------------- kill

  @Test
  public void killLeavesTheRequestsInFlightToAnotherServerOfTheSubscription() throws Exception {
    assumeTrue(
        bus().isDurable(),
        () ->
            bus().name()
                + " is not durable (isDurable() is false): it does not deliver again what a"
                + " killed server left unacknowledged");
    String requestTopic = newTopic("kill-requests");
    String replyTopic = newTopic("kill-replies");
    int calls = 3;
    CountDownLatch heldByA = new CountDownLatch(calls);
    CountDownLatch releaseA = new CountDownLatch(1);
    SettlementRecordingBus seenFromA = new SettlementRecordingBus(bus());
    PulsarRpcServer<String, String> a =
        server(
            seenFromA,
            requestTopic,
            value -> {
              heldByA.countDown();
              awaitQuietly(releaseA);
              return CompletableFuture.completedFuture("A:" + value);
            });
    List<String> repliesPublished = new CopyOnWriteArrayList<>();
    BusConsumer<String> replyProbe =
        BusTestSupport.on(bus(), PATIENCE).subscribe(replyTopic, "probe", SubscriptionMode.SHARED);
    BusTestSupport.receiveForever(replyProbe, repliesPublished);
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);
    List<CompletableFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      replies.add(client.requestAsync("call-" + i, "v" + i));
    }
    assertThat(heldByA.await(PATIENCE.toSeconds(), SECONDS))
        .as("server A holds every call in its handler")
        .isTrue();
    server(bus(), requestTopic, value -> CompletableFuture.completedFuture("B:" + value));

    a.kill();
    // A's handlers finish now, after the kill: their results must go nowhere.
    releaseA.countDown();

    for (int i = 0; i < calls; i++) {
      assertThat(replies.get(i).get(PATIENCE.toSeconds(), SECONDS)).isEqualTo("B:v" + i);
    }
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(repliesPublished)
                  .as("the replies on the reply topic: one a call, each from server B")
                  .containsExactlyInAnyOrder("B:v0", "B:v1", "B:v2");
              assertThat(seenFromA.events())
                  .as(
                      "what server A handed the bus (publish, ack, nack): it held every call"
                          + " until after kill() returned")
                  .isEmpty();
            });
  }

  @Test
  public void killIsIdempotentAndACloseAfterItCompletesWithoutDraining() throws Exception {
    String requestTopic = newTopic("kill-twice");
    CountDownLatch started = new CountDownLatch(1);
    PulsarRpcServer<String, String> server =
        server(
            bus(),
            requestTopic,
            value -> {
              started.countDown();
              // Held past the test: a close that drained would wait the 60 s grace period.
              return new CompletableFuture<>();
            });
    PulsarRpcClient<String, String> client = client(requestTopic, newTopic("kill-twice-replies"));
    CompletableFuture<String> unanswered = client.requestAsync("held", "x");
    assertThat(started.await(PATIENCE.toSeconds(), SECONDS)).isTrue();

    server.kill();
    server.kill();

    assertThat(server.closeAsync()).succeedsWithin(Duration.ofSeconds(30));
    server.close();
    assertThat(unanswered).isNotDone();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A server of strings on {@code requestTopic} under the subscription "workers", built on {@code
   * on} (the bus under test, or a wrapper of it) with a 60 s grace period; closed after the test.
   */
  private PulsarRpcServer<String, String> server(
      MessageBus on, String requestTopic, Function<String, CompletableFuture<String>> handler)
      throws Exception {
    return track(
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription("workers")
            .shutdownGracePeriod(Duration.ofSeconds(60))
            .build(on, handler, (id, value) -> {}));
  }

  /** A client of the topics on reply subscription "client"; closed after the test. */
  private PulsarRpcClient<String, String> client(String requestTopic, String replyTopic)
      throws Exception {
    return track(
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(replyTopic)
            .replySubscription("client")
            .replyTimeout(PATIENCE)
            .build(bus()));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE.toSeconds(), SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
