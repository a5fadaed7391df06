package io.pulsarrpc.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scheduled calls where only a real Pulsar broker can show the behaviour. */
@ExtendWith(TestBrokersExtension.class)
class ScheduledRpcIT {

  @Test
  void tenThousandCallsScheduledAnHourAheadKeepNoThreadEachAndLittleHeap(PulsarTestBroker broker)
      throws Exception {
    try (PulsarRpcClient<String, String> client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(broker.newTopic("cron"))
            .replyTopic(broker.newTopic("cron-replies"))
            .replySubscription("cron-client")
            .build(broker.client())) {
      long inAnHour = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
      long heapBefore = JvmSnapshot.usedHeapAfterGc();
      int threadsBefore = Thread.activeCount();

      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        calls.add(client.requestAtAsync("cron-" + i, "nightly job " + i, inAnHour));
      }
      await().atMost(120, SECONDS).until(() -> client.pendingRequestSize() == 10_000);

      long bytesPerCall = (JvmSnapshot.usedHeapAfterGc() - heapBefore) / 10_000;
      int threadsAdded = Thread.activeCount() - threadsBefore;
      System.out.printf(
          "10000 calls scheduled an hour ahead: %d bytes of client heap per call, %d threads added%n",
          bytesPerCall, threadsAdded);
      assertThat(threadsAdded).isLessThan(5);
      assertThat(bytesPerCall).isLessThan(4096);
      assertThat(calls).noneMatch(CompletableFuture::isDone);

      client.close();
      assertThat(client.pendingRequestSize()).isZero();
      assertThat(calls).allMatch(CompletableFuture::isCompletedExceptionally);
    }
  }

  @Test
  void aBrokerThatDoesNotDelayDeliveryIsDetectedAndTheRequestNotRunEarly() throws Exception {
    try (EmbeddedPulsarBroker broker =
        EmbeddedPulsarBroker.builder().brokerSetting("delayedDeliveryEnabled", "false").build()) {
      broker.start();
      String requestTopic = broker.newTopic("no-delay");
      Queue<String> ran = new ConcurrentLinkedQueue<>();
      try (PulsarRpcServer<String, String> server =
              PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                  .requestTopic(requestTopic)
                  .requestSubscription("scheduler")
                  .build(
                      broker.client(),
                      value -> {
                        ran.add(value);
                        return CompletableFuture.completedFuture("ran " + value);
                      },
                      (id, value) -> {});
          PulsarRpcClient<String, String> client =
              PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                  .requestTopic(requestTopic)
                  .replyTopic(broker.newTopic("no-delay-replies"))
                  .replySubscription("client")
                  .build(broker.client())) {

        CompletableFuture<String> inAMinute =
            client.requestAfterAsync("in-a-minute", "job", 60, SECONDS);

        assertThatThrownBy(() -> inAMinute.get(30, SECONDS))
            .hasCauseInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
            .hasMessageContaining("the broker does not delay delivery");
        assertThat(ran).isEmpty();
        assertThat(server.subscription()).isEqualTo("scheduler");
      }
    }
  }
}
