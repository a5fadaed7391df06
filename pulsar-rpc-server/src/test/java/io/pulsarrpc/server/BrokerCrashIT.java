package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestCallBack;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker dies by {@code kill -9} with 1 000 calls in flight and new calls coming, then restarts
 * on the same data: every call ends by its deadline, with a reply or a clear error, and every
 * request the broker had accepted is handled after the restart.
 */
class BrokerCrashIT {

  // Long enough for the slow restart: after kill -9 a broker can wait about a minute for its
  // bookie.
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  // A call's future may complete a little after its deadline: the timer thread's own latency.
  private static final long DEADLINE_SLACK_MILLIS = 3_000;

  private static EmbeddedPulsarBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedPulsarBroker.builder().build();
    broker.start();
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyCallEndsByItsDeadlineAndAcceptedRequestsAreHandledAfterTheRestart() throws Exception {
    String requestTopic = broker.newTopic("crash-requests");
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Set<String> acceptedByTheBroker = ConcurrentHashMap.newKeySet();
    try (PulsarClient serverSide = newClient();
        PulsarClient clientSide = newClient();
        PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("survivor")
                .build(
                    serverSide,
                    value -> {
                      handled.add(value);
                      return CompletableFuture.supplyAsync(
                          () -> "done " + value,
                          CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                    },
                    (id, value) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(broker.newTopic("crash-replies"))
                .replySubscription("caller")
                .replyTimeout(TIMEOUT)
                .requestCallBack(
                    new RequestCallBack<>() {
                      @Override
                      public void onSendRequestSuccess(String correlationId, MessageId id) {
                        acceptedByTheBroker.add(correlationId);
                      }
                    })
                .build(clientSide)) {

      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        calls.add(Call.start(client, "before-" + i));
      }
      broker.kill();
      // New calls keep coming while the broker is down and while it restarts.
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(broker::start);
      for (int i = 0; i < 200 && !restarted.isDone(); i++) {
        calls.add(Call.start(client, "during-" + i));
        Thread.sleep(50);
      }
      restarted.get(3, TimeUnit.MINUTES);
      for (int i = 0; i < 100; i++) {
        calls.add(Call.start(client, "after-" + i));
      }

      Map<String, Integer> outcomes = new TreeMap<>();
      for (Call call : calls) {
        String outcome = call.awaitOutcome();
        outcomes.merge(outcome, 1, Integer::sum);
      }
      System.out.printf("Broker crash: %d calls, outcomes %s%n", calls.size(), outcomes);

      assertThat(calls).allSatisfy(Call::assertEndedByItsDeadline);
      assertThat(outcomes.keySet())
          .allMatch(
              outcome ->
                  outcome.equals("reply")
                      || outcome.equals(ErrorCode.DEADLINE_EXCEEDED.wireName())
                      || outcome.equals(ErrorCode.UNAVAILABLE.wireName()));
      assertThat(outcomes.get("reply")).isPositive();
      assertThat(client.pendingRequestSize()).isZero();
      await()
          .atMost(Duration.ofMinutes(3))
          .untilAsserted(() -> assertThat(handled).containsAll(acceptedByTheBroker));
    }
  }

  private static PulsarClient newClient() throws Exception {
    return PulsarClient.builder()
        .serviceUrl(broker.serviceUrl())
        .operationTimeout(30, TimeUnit.SECONDS)
        .build();
  }

  /** One call, when it started, and how it ended. */
  private record Call(String value, long startedAt, CompletableFuture<String> future) {

    static Call start(PulsarRpcClient<String, String> client, String value) {
      return new Call(value, System.currentTimeMillis(), client.requestAsync(value, value));
    }

    /** "reply", or the wire name of the failure's code; waits at most past the deadline. */
    String awaitOutcome() throws InterruptedException {
      long waitUntil = startedAt + TIMEOUT.toMillis() + DEADLINE_SLACK_MILLIS;
      try {
        String reply =
            future.get(Math.max(1, waitUntil - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        assertThat(reply).isEqualTo("done " + value);
        return "reply";
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause() instanceof PulsarRpcClientException rpc
            ? rpc.code().wireName()
            : "unexpected " + e.getCause();
      } catch (java.util.concurrent.TimeoutException e) {
        return "hung past its deadline";
      }
    }

    void assertEndedByItsDeadline() {
      assertThat(future).as("call %s", value).isDone();
    }
  }
}
