package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Topic calls, claimed calls and affinity calls, against servers the test plays itself over the
 * in-memory bus.
 */
class ClaimedAndAffinityCallTest {

  private static final Duration LONG = Duration.ofMinutes(1);

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private PulsarRpcClient<String, String> client;

  @BeforeEach
  void start() throws Exception {
    client = client(LONG);
  }

  @AfterEach
  void close() {
    client.close();
    bus.close();
  }

  private PulsarRpcClient<String, String> client(Duration claimWindow) throws Exception {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic("requests")
        .replyTopic("replies")
        .replySubscription("client-" + claimWindow.toMillis())
        .replyTimeout(LONG)
        .claimWindow(claimWindow)
        .build(bus);
  }

  private ScriptedServerGroup reading(String busTopic, String name) throws Exception {
    return new ScriptedServerGroup(bus, busTopic, "replies", name);
  }

  @Test
  void aTopicCallGoesToItsTopicsBusTopicAndAsksForAClaim() throws Exception {
    ScriptedServerGroup eu = reading(CallTopics.requestTopic("requests", "eu"), "eu");
    ScriptedServerGroup us = reading(CallTopics.requestTopic("requests", "us"), "us");

    CompletableFuture<String> toEu =
        client.requestAsync("hi", RequestOptions.defaults().withTopic("eu"));
    CompletableFuture<String> toUs =
        client.requestAsync("yo", RequestOptions.defaults().withTopic("us"));
    IncomingMessage<String> euRequest = eu.next();
    IncomingMessage<String> usRequest = us.next();
    eu.claim(euRequest);
    eu.reply(euRequest, "from eu");
    us.reply(usRequest, "from us");

    assertThat(toEu.get(30, TimeUnit.SECONDS)).isEqualTo("from eu");
    assertThat(toUs.get(30, TimeUnit.SECONDS)).isEqualTo("from us");
    assertThat(euRequest.value()).isEqualTo("hi");
    assertThat(usRequest.value()).isEqualTo("yo");
    RequestHeaders headers =
        RequestHeaders.read(euRequest.key(), euRequest.properties(), euRequest.publishTime());
    assertThat(headers.claim()).isTrue();
    assertThat(headers.topic()).isEqualTo("eu");
  }

  @Test
  void aTopicCallThatNobodyClaimsFailsWithNoRespondersWithinTheClaimWindow() throws Exception {
    PulsarRpcClient<String, String> shortWindow = client(Duration.ofMillis(200));
    try (shortWindow) {
      CompletableFuture<String> call =
          shortWindow.requestAsync("hello?", RequestOptions.defaults().withTopic("nobody"));

      NoResponders.assertFailsWithNoResponders(call);
      assertThat(shortWindow.pendingRequestSize()).isZero();
    }
  }

  @Test
  void aClaimedCallWaitsForItsReplyPastTheClaimWindow() throws Exception {
    PulsarRpcClient<String, String> shortWindow = client(Duration.ofMillis(200));
    try (shortWindow) {
      ScriptedServerGroup server = reading("requests", "server");
      CompletableFuture<String> call =
          shortWindow.requestAsync("slow", RequestOptions.defaults().withClaimRequired());
      IncomingMessage<String> request = server.next();
      server.claim(request);
      // A call made later, that nobody claims, fails at the end of its claim window: by then the
      // first call's window is over too, and that call still waits for its reply.
      NoResponders.assertFailsWithNoResponders(
          shortWindow.requestAsync("unclaimed", RequestOptions.defaults().withTopic("nobody")));
      assertThat(call).isNotDone();

      server.reply(request, "done");
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("done");
    }
  }

  @Test
  void aPlainCallAsksForNoClaimAndKeepsTheProposalsProperties() throws Exception {
    ScriptedServerGroup server = reading("requests", "server");

    client.requestAsync("plain");
    IncomingMessage<String> request = server.next();

    assertThat(request.properties())
        .containsOnlyKeys("replyTopic", "requestTimeoutInMillis", "rpc-reply-subscription");
  }

  @Test
  void anAffinityCallSelectsTheHighestOfferAndOnlyThatServerRuns() throws Exception {
    String affinityTopic = CallTopics.affinityTopic("requests", null);
    List<ScriptedServerGroup> instances =
        List.of(
            reading(affinityTopic, "low"),
            reading(affinityTopic, "high"),
            reading(affinityTopic, "middle"));

    CompletableFuture<String> call =
        client.requestAsync(
            "route me",
            RequestOptions.defaults()
                .withSelection(
                    SelectionOptions.builder().affinityTimeout(Duration.ofMillis(300)).build()));
    List<IncomingMessage<String>> requests =
        List.of(instances.get(0).next(), instances.get(1).next(), instances.get(2).next());
    RequestHeaders headers =
        RequestHeaders.read(
            requests.get(0).key(), requests.get(0).properties(), requests.get(0).publishTime());
    assertThat(headers.kind()).isEqualTo(CallKind.AFFINITY);
    instances.get(0).offer(requests.get(0), 0.2);
    instances.get(1).offer(requests.get(1), 0.9);
    instances.get(2).offer(requests.get(2), 0.5);

    for (ScriptedServerGroup instance : instances) {
      assertThat(instance.nextSelection()).isEqualTo("high");
    }
    instances.get(1).reply(requests.get(1), "ran on high");
    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("ran on high");
  }

  @Test
  void anOfferAtTheMaximumAffinityIsSelectedWithoutWaiting() throws Exception {
    ScriptedServerGroup instance = reading(CallTopics.affinityTopic("requests", null), "best");

    CompletableFuture<String> call =
        client.requestAsync(
            "route me",
            RequestOptions.defaults()
                .withSelection(
                    SelectionOptions.builder()
                        .maximumAffinity(1.0)
                        .affinityTimeout(Duration.ofMinutes(1))
                        .build()));
    IncomingMessage<String> request = instance.next();
    instance.offer(request, 1.0);

    assertThat(instance.nextSelection()).isEqualTo("best");
    instance.reply(request, "ran");
    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("ran");
  }

  @Test
  void anAffinityCallWithoutEligibleOffersFailsWithNoResponders() throws Exception {
    ScriptedServerGroup busy = reading(CallTopics.affinityTopic("requests", "eu"), "busy");

    CompletableFuture<String> call =
        client.requestAsync(
            "route me",
            RequestOptions.defaults()
                .withTopic("eu")
                .withSelection(
                    SelectionOptions.builder().affinityTimeout(Duration.ofMillis(200)).build()));
    busy.offer(busy.next(), 0);

    NoResponders.assertFailsWithNoResponders(call);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void aMultiCallCannotHaveASelection() {
    assertThatThrownBy(
            () ->
                client.requestAllAsync(
                    "x",
                    RequestOptions.defaults().withSelection(SelectionOptions.builder().build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("withSelection");
  }
}
