package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.admin.PulsarAdminException;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.policies.data.TopicStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker dies by {@code kill -9} and restarts on the same data. With 1 000 calls in flight and
 * new calls coming, every call ends by its deadline, with a reply or a clear error, and every
 * request the broker had accepted is handled and answered after the restart ({@link
 * CallsThroughACrash}). And the inspections of a server and a client say when they lost the broker
 * and when they have it back.
 */
class BrokerCrashIT {

  // Long enough for the slow restart: after kill -9 a broker can wait about a minute for its
  // bookie.
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

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
    String replyTopic = broker.newTopic("crash-replies");
    CallsThroughACrash crash =
        new CallsThroughACrash("Broker crash", TIMEOUT)
            .requireAReplyToEveryAcceptedRequest()
            .diagnosing(() -> brokerState(requestTopic, replyTopic));
    try (PulsarClient serverSide = newClient();
        PulsarClient clientSide = newClient();
        PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("survivor")
                .build(serverSide, crash.handler(), (id, value) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(replyTopic)
                .replySubscription("caller")
                .replyTimeout(crash.timeout())
                .requestCallBack(crash.requestCallBack())
                .build(clientSide)) {
      crash.run(client, broker::kill, Duration.ZERO, broker::start);
    }
  }

  @Test
  void inspectionsReadNotConnectedWhileTheBrokerIsDownAndConnectedOnceItIsBack() throws Exception {
    String requestTopic = broker.newTopic("health-requests");
    try (PulsarClient serverSide = newClient();
        PulsarClient clientSide = newClient();
        PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("health")
                .build(
                    serverSide,
                    value -> CompletableFuture.completedFuture("pong:" + value),
                    (id, value) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(broker.newTopic("health-replies"))
                .replySubscription("health-caller")
                .replyTimeout(TIMEOUT)
                .build(clientSide)) {
      // A call first, so that the server holds a reply producer that must reconnect as well.
      assertThat(client.requestAsync("before")).succeedsWithin(TIMEOUT).isEqualTo("pong:before");
      assertThat(server.inspect().connected()).as("server before the crash").isTrue();
      assertThat(client.inspect().connected()).as("client before the crash").isTrue();

      broker.kill();

      // The broker stays down until both have seen it go: the sockets close with the process.
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(server.inspect().connected()).as("server, broker down").isFalse();
                assertThat(client.inspect().connected()).as("client, broker down").isFalse();
              });

      broker.start();

      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(server.inspect().connected()).as("server, broker back").isTrue();
                assertThat(client.inspect().connected()).as("client, broker back").isTrue();
              });
      assertThat(client.requestAsync("after")).succeedsWithin(TIMEOUT).isEqualTo("pong:after");
    }
  }

  /**
   * What the broker knows of the server's and client's producers and consumers: for each topic its
   * publishers and, per subscription, backlog, unacknowledged messages and each consumer's permits;
   * then the tail of the broker's log.
   */
  private static String brokerState(String... topics) {
    StringBuilder state = new StringBuilder();
    for (String topic : topics) {
      try {
        TopicStats stats = broker.admin().topics().getStats(topic);
        state.append(String.format("%s: %d publishers%n", topic, stats.getPublishers().size()));
        stats
            .getSubscriptions()
            .forEach(
                (name, subscription) ->
                    state.append(
                        String.format(
                            "  subscription %s: backlog %d, unacknowledged %d, consumers %s%n",
                            name,
                            subscription.getMsgBacklog(),
                            subscription.getUnackedMessages(),
                            subscription.getConsumers().stream()
                                .map(
                                    consumer ->
                                        consumer.getConsumerName()
                                            + " permits="
                                            + consumer.getAvailablePermits()
                                            + " unacked="
                                            + consumer.getUnackedMessages())
                                .toList())));
      } catch (PulsarAdminException e) {
        state.append(topic).append(": no stats: ").append(e).append('\n');
      }
    }
    return state.append("broker log:\n").append(broker.logTail(40)).toString();
  }

  private static PulsarClient newClient() throws Exception {
    return PulsarClient.builder()
        .serviceUrl(broker.serviceUrl())
        .operationTimeout(30, TimeUnit.SECONDS)
        // As docs/reliability.md advises for RPC: reconnect within 2 s of the broker's return,
        // not up to Pulsar's default 60 s later.
        .maxBackoffInterval(2, TimeUnit.SECONDS)
        .build();
  }
}
