package io.pulsarrpc.testkit.contract;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The behaviour suite on a real Pulsar broker, plus what only Pulsar can show. */
@ExtendWith(TestBrokersExtension.class)
class PulsarRpcIT extends RpcBehaviourSuite {

  private final PulsarTestBroker broker;

  PulsarRpcIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  /** A bus on the broker's client, which every test shares and which stays open. */
  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }

  /** A value over the broker's message size limit (5 MB by default), which the producer refuses. */
  @Override
  protected Optional<String> aRequestTheBusRefuses(Topics topics) {
    return Optional.of("x".repeat(6 * 1024 * 1024));
  }

  @Test
  void aPeerSpeakingOnlyTheProposalsProtocolIsAnsweredInIt() throws Exception {
    String requestTopic = newTopic("peer-requests");
    String replyTopic = newTopic("peer-replies");
    PulsarRpcServer<String, String> server =
        track(
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("greeter")
                .build(broker.client(), name -> done("hello " + name), (id, name) -> {}));
    try (Consumer<String> replies = subscribe(replyTopic)) {

      Message<String> reply = askAsAPeerOfTheProposal(requestTopic, "peer-1", replyTopic, replies);
      assertThat(reply).isNotNull();
      assertThat(reply.getKey()).isEqualTo("peer-1");
      assertThat(reply.getValue()).isEqualTo("hello ada");
      assertThat(reply.getProperties())
          .containsExactly(java.util.Map.entry("serverSub", "greeter"));
      assertThat(server.subscription()).isEqualTo("greeter");
      replies.acknowledge(reply);
    }
  }

  @Test
  void ourRequestsSpeakTheProposalsProtocolAndAPeersRepliesComplete() throws Exception {
    String requestTopic = newTopic("to-peer");
    String replyTopic = newTopic("from-peer");
    PulsarRpcClient<String, String> client =
        track(
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(replyTopic)
                .replySubscription("client-of-peer")
                .replyTimeout(Duration.ofSeconds(20))
                .build(broker.client()));
    try (Consumer<String> peerRequests = subscribe(requestTopic);
        Producer<String> peerReplies = producer(replyTopic)) {

      CompletableFuture<String> ok = client.requestAsync("call-ok", "question");
      CompletableFuture<String> failed = client.requestAsync("call-failed", "bad question");

      for (int i = 0; i < 2; i++) {
        Message<String> request = peerRequests.receive(30, SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getProperties())
            .containsEntry(WireProperties.REPLY_TOPIC, replyTopic)
            .containsEntry(WireProperties.REQUEST_TIMEOUT_IN_MILLIS, "20000");
        peerRequests.acknowledge(request);
        if (request.getKey().equals("call-ok")) {
          assertThat(request.getValue()).isEqualTo("question");
          peerReplies
              .newMessage()
              .key("call-ok")
              .value("answer")
              .property("serverSub", "peer")
              .send();
        } else {
          assertThat(request.getKey()).isEqualTo("call-failed");
          peerReplies
              .newMessage()
              .key("call-failed")
              .value("")
              .property("serverSub", "peer")
              .property("errorMessage", "cannot answer that")
              .send();
        }
      }

      assertThat(ok.get(30, SECONDS)).isEqualTo("answer");
      assertThatThrownBy(() -> failed.get(30, SECONDS))
          .hasCauseInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
          .hasMessageContaining("cannot answer that")
          .satisfies(
              e ->
                  assertThat(((PulsarRpcClientException) e.getCause()).code())
                      .isEqualTo(ErrorCode.UNKNOWN));
    }
  }

  @Test
  void anErrorReplyCarriesTheProposalsMessageAndOurCodeAndDetails() throws Exception {
    String requestTopic = newTopic("typed-requests");
    String replyTopic = newTopic("typed-replies");
    track(
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription("typed")
            .build(
                broker.client(),
                name -> {
                  throw new RpcException(
                      ErrorCode.PERMISSION_DENIED, "not yours", java.util.Map.of("owner", "bob"));
                },
                (id, name) -> {}));
    try (Consumer<String> replies = subscribe(replyTopic)) {

      Message<String> reply = askAsAPeerOfTheProposal(requestTopic, "typed-1", replyTopic, replies);
      assertThat(reply).isNotNull();
      assertThat(reply.getProperties())
          .containsEntry(WireProperties.ERROR_MESSAGE, "not yours")
          .containsEntry(WireProperties.ERROR_CODE, "permission_denied")
          .containsEntry(WireProperties.ERROR_DETAIL_PREFIX + "owner", "bob");
      replies.acknowledge(reply);
    }
  }

  @Test
  void aCallsMessageConfigIsAppliedToTheRequestMessage() throws Exception {
    String requestTopic = newTopic("configured");
    PulsarRpcClient<String, String> client =
        track(
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(newTopic("configured-replies"))
                .replySubscription("configured-client")
                .build(broker.client()));
    try (Consumer<String> requests = subscribe(requestTopic)) {

      client.requestAsync(
          "configured-1",
          "x",
          java.util.Map.of("properties", java.util.Map.of("tenant", "acme"), "eventTime", 42L));

      Message<String> request = requests.receive(30, SECONDS);
      assertThat(request).isNotNull();
      assertThat(request.getKey()).isEqualTo("configured-1");
      assertThat(request.getProperty("tenant")).isEqualTo("acme");
      assertThat(request.getEventTime()).isEqualTo(42L);
      assertThat(request.getProperty(WireProperties.REPLY_TOPIC)).isNotBlank();
      requests.acknowledge(request);
    }
  }

  @Test
  void replyProducersUseTheServersReplyProducerConfig() throws Exception {
    Topics topics = topics();
    PulsarRpcServer<String, String> server =
        track(
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topics.request())
                .requestSubscription("configured-replies")
                .replyProducerConfig(java.util.Map.of("producerName", "configured-reply-producer"))
                .build(broker.client(), value -> done("re: " + value), (id, value) -> {}));
    PulsarRpcClient<String, String> client = client(topics, "client", b -> b);

    assertThat(client.request("configured-reply", "x")).isEqualTo("re: x");

    assertThat(broker.admin().topics().getStats(topics.reply()).getPublishers())
        .extracting(publisher -> publisher.getProducerName())
        .containsExactly("configured-reply-producer");
    assertThat(server.subscription()).isEqualTo("configured-replies");
  }

  @Test
  void aReplyProducerConfigPulsarRefusesIsRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopic(newTopic("refused-config"))
                    .requestSubscription("s")
                    .replyProducerConfig(java.util.Map.of("noSuchSetting", 1))
                    .build(broker.client(), value -> done(value), (id, value) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyProducerConfig")
        .hasMessageContaining("noSuchSetting");
  }

  @Test
  void afterABurstTheRequestSubscriptionHasNoBacklog() throws Exception {
    Topics topics = topics();
    server(topics.request(), "settled", value -> done("ok"));
    server(
        topics.request(),
        "settled",
        value -> {
          throw new IllegalStateException("half of them fail");
        });
    PulsarRpcClient<String, String> client = client(topics, "client", b -> b);

    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(client.requestAsync("burst-" + i, "x"));
    }
    for (CompletableFuture<String> call : calls) {
      call.handle((value, failure) -> value).get(60, SECONDS);
    }

    await()
        .atMost(60, SECONDS)
        .untilAsserted(
            () ->
                assertThat(
                        broker
                            .admin()
                            .topics()
                            .getStats(topics.request())
                            .getSubscriptions()
                            .get("settled")
                            .getMsgBacklog())
                    .isZero());
  }

  /** Sends "ada" as a client that speaks only the proposal's protocol would; returns the reply. */
  private Message<String> askAsAPeerOfTheProposal(
      String requestTopic, String key, String replyTopic, Consumer<String> replies)
      throws Exception {
    try (Producer<String> requests = producer(requestTopic)) {
      requests
          .newMessage()
          .key(key)
          .value("ada")
          .property("replyTopic", replyTopic)
          .property("requestTimeoutInMillis", "30000")
          .send();
    }
    return replies.receive(30, SECONDS);
  }

  private Consumer<String> subscribe(String topic) throws Exception {
    return broker
        .client()
        .newConsumer(Schema.STRING)
        .topic(topic)
        .subscriptionName("peer")
        .subscriptionType(SubscriptionType.Shared)
        .subscribe();
  }

  private Producer<String> producer(String topic) throws Exception {
    return broker.client().newProducer(Schema.STRING).topic(topic).create();
  }
}
