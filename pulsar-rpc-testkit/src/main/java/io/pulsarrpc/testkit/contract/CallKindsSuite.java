package io.pulsarrpc.testkit.contract;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.server.PulsarRpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of the call kinds beyond a plain single call, and of stopping a server at
 * once with {@link PulsarRpcServer#kill()}: written once and run against every bus, like {@link
 * RpcBehaviourSuite}. A subclass says which bus and how to name topics.
 *
 * <p>The tests of one kind share a name prefix and a section: {@code multiCall...}, {@code
 * topic...}, {@code hostile...}, {@code kill...}. A behaviour that needs a capability the bus lacks
 * (for example {@link MessageBus#isDurable()}) is reported as skipped, naming the capability.
 */
public abstract class CallKindsSuite extends BusSuite {

  /** How long a test waits for one thing: long enough for a redelivery on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  // ---------------------------------------------------------------- hostile input

  @Test
  public void hostileForgedClaimsForCallsThatDoNotExistChangeNothing() throws Exception {
    String requestTopic = newTopic("forged-requests");
    String replyTopic = newTopic("forged-replies");
    server(bus(), requestTopic, "workers", value -> answerSoon("ok:" + value));
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);
    BusProducer<String> forger = BusTestSupport.on(bus(), PATIENCE).producer(replyTopic);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      sent.add(forger.send(OutgoingMessage.of("no-such-call-" + i, null, forgedClaim("forger"))));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .get(PATIENCE.toSeconds(), SECONDS);

    assertThat(client.request("real")).isEqualTo("ok:real");
    assertThat(client.requestAll("real too"))
        .extracting(Response::value)
        .containsExactly("ok:real too");
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void hostileTenThousandClaimsForOneCallStayBoundedAndEndAtTheDeadline() throws Exception {
    String requestTopic = newTopic("flood-requests");
    String replyTopic = newTopic("flood-replies");
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);
    BusTestSupport support = BusTestSupport.on(bus(), PATIENCE);
    // A subscriber that takes the request and never claims it, so that no bus refuses the send.
    support.subscribe(requestTopic, "silent", SubscriptionMode.SHARED);
    BusProducer<String> forger = support.producer(replyTopic);

    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync(
            "flooded",
            RequestOptions.defaults()
                .withCorrelationId("flooded")
                .withTimeout(Duration.ofSeconds(10)));
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      sent.add(forger.send(OutgoingMessage.of("flooded", null, forgedClaim("forged-" + i))));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .get(PATIENCE.toSeconds(), SECONDS);

    List<Response<String>> responses = call.get(PATIENCE.toSeconds(), SECONDS);
    assertThat(responses).isNotEmpty().hasSizeLessThanOrEqualTo(1_024);
    assertThat(responses)
        .allSatisfy(r -> assertThat(r.error().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    assertThat(client.pendingRequestSize()).isZero();
    server(bus(), requestTopic, "workers", value -> answerSoon("still:" + value));
    assertThat(client.request("after")).isEqualTo("still:after");
  }

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

  // ---------------------------------------------------------------- multi

  @Test
  public void multiCallCompletesWithEveryGroupsAnswerWhenTheyAnsweredNotAtTheDeadline()
      throws Exception {
    String requestTopic = newTopic("multi-requests");
    for (String group : List.of("g1", "g2", "g3")) {
      server(bus(), requestTopic, group, value -> answerSoon(group + ":" + value));
    }
    PulsarRpcClient<String, String> client = client(requestTopic, newTopic("multi-replies"));

    List<Response<String>> responses =
        client.requestAllAsync("ping").get(PATIENCE.toSeconds() / 4, SECONDS);

    assertThat(responses)
        .extracting(Response::server, Response::value)
        .containsExactlyInAnyOrder(
            tuple("g1", "g1:ping"), tuple("g2", "g2:ping"), tuple("g3", "g3:ping"));
    assertThat(responses).allMatch(Response::isSuccess);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void multiCallErrorRepliesAreResponsesWithTheServersCode() throws Exception {
    String requestTopic = newTopic("multi-errors");
    server(bus(), requestTopic, "fine", value -> answerSoon("ok"));
    server(
        bus(),
        requestTopic,
        "failing",
        value ->
            CompletableFuture.failedFuture(new RpcException(ErrorCode.NOT_FOUND, "no " + value)));
    PulsarRpcClient<String, String> client = client(requestTopic, newTopic("multi-errors-replies"));

    List<Response<String>> responses = client.requestAll("x");

    assertThat(responses).hasSize(2);
    Response<String> failed =
        responses.stream().filter(r -> r.server().equals("failing")).findFirst().orElseThrow();
    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.error().code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failed.error().getMessage()).isEqualTo("no x");
    assertThat(responses)
        .filteredOn(Response::isSuccess)
        .extracting(Response::value)
        .containsExactly("ok");
  }

  @Test
  public void multiCallThatNoServerClaimsFailsWithNoRespondersWithinTheClaimWindow()
      throws Exception {
    PulsarRpcClient<String, String> client =
        client(newTopic("multi-nobody"), newTopic("multi-nobody-replies"), Duration.ofSeconds(1));

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("anyone?");

    assertNoResponders(call);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void multiCallGroupThatClaimedAndDidNotAnswerIsADeadlineExceededResponse()
      throws Exception {
    String requestTopic = newTopic("multi-silent");
    String replyTopic = newTopic("multi-silent-replies");
    List<IncomingMessage<String>> onReplyTopic = new CopyOnWriteArrayList<>();
    BusTestSupport.receiveMessagesForever(
        BusTestSupport.on(bus(), PATIENCE).subscribe(replyTopic, "probe", SubscriptionMode.SHARED),
        onReplyTopic);
    CompletableFuture<String> silentAnswer = new CompletableFuture<>();
    server(bus(), requestTopic, "silent", value -> silentAnswer);
    // Answered once the test is over (closed before the server, which was tracked earlier), so
    // that the silent server closes without waiting for its grace period.
    track(() -> silentAnswer.complete("too late"));
    server(
        bus(),
        requestTopic,
        "answers",
        value -> {
          // Answers once the silent group's claim is on the reply topic, so that the client
          // reads that claim before this answer: it then waits for both groups.
          await()
              .atMost(PATIENCE)
              .until(() -> onReplyTopic.stream().anyMatch(m -> isClaimOf(m, "silent")));
          return CompletableFuture.completedFuture("pong");
        });
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);

    List<Response<String>> responses =
        client.requestAll("ping", RequestOptions.defaults().withTimeout(Duration.ofSeconds(5)));

    assertThat(responses).hasSize(2);
    assertThat(responses.get(0).server()).isEqualTo("answers");
    assertThat(responses.get(0).value()).isEqualTo("pong");
    assertThat(responses.get(1).server()).isEqualTo("silent");
    assertThat(responses.get(1).error().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void multiCallAnswersThatComeAfterItEndedAreDropped() throws Exception {
    String requestTopic = newTopic("multi-late");
    String replyTopic = newTopic("multi-late-replies");
    server(bus(), requestTopic, "fast", value -> answerSoon("fast"));
    BusTestSupport support = BusTestSupport.on(bus(), PATIENCE);
    // A group that takes the request now and answers only once the call is over.
    BusConsumer<String> late = support.subscribe(requestTopic, "late", SubscriptionMode.SHARED);
    BusProducer<String> lateReplies = support.producer(replyTopic);
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);

    List<Response<String>> responses = client.requestAll("ping");
    IncomingMessage<String> request = support.receive(late);
    for (Map<String, String> message :
        List.of(
            forgedClaim("late"),
            Map.of(
                WireProperties.SERVER_SUB, "late", WireProperties.REPLY_SUBSCRIPTION, "client"))) {
      support.join(lateReplies.send(OutgoingMessage.of(request.key(), "too late", message)));
    }

    assertThat(responses).extracting(Response::server).containsExactly("fast");
    // A later call's answer comes after the late messages on the reply topic: they were handled.
    assertThat(client.requestAll("again")).extracting(Response::server).containsExactly("fast");
    assertThat(client.pendingRequestSize()).isZero();
  }

  // ---------------------------------------------------------------- topics

  @Test
  public void topicCallsReachOnlyTheServersThatRegisteredTheTopic() throws Exception {
    String requestTopic = newTopic("topic-requests");
    List<String> ranOnUs = new CopyOnWriteArrayList<>();
    PulsarRpcServer<String, String> eu =
        server(bus(), requestTopic, "eu-servers", value -> answerSoon("eu:" + value));
    PulsarRpcServer<String, String> us =
        server(
            bus(),
            requestTopic,
            "us-servers",
            value -> {
              ranOnUs.add(value);
              return answerSoon("us:" + value);
            });
    eu.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);
    us.registerTopicAsync("us").get(PATIENCE.toSeconds(), SECONDS);
    PulsarRpcClient<String, String> client = client(requestTopic, newTopic("topic-replies"));

    String single = client.request("one", RequestOptions.defaults().withTopic("eu"));
    List<Response<String>> all =
        client.requestAll("all", RequestOptions.defaults().withTopic("eu"));

    assertThat(single).isEqualTo("eu:one");
    assertThat(all).extracting(Response::server).containsExactly("eu-servers");
    assertThat(ranOnUs).isEmpty();
    assertThat(eu.topics()).containsExactly("eu");
    assertThat(us.topics()).containsExactly("us");
  }

  @Test
  public void topicsRegisterAndDeregisterWhileTheServerRuns() throws Exception {
    String requestTopic = newTopic("topic-runtime");
    PulsarRpcServer<String, String> server =
        server(bus(), requestTopic, "workers", value -> answerSoon("eu:" + value));
    PulsarRpcClient<String, String> client =
        client(requestTopic, newTopic("topic-runtime-replies"), Duration.ofSeconds(1));
    RequestOptions eu = RequestOptions.defaults().withTopic("eu");

    assertNoResponders(client.requestAsync("before", eu));
    server.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);
    assertThat(client.request("during", eu)).isEqualTo("eu:during");
    server.deregisterTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);

    assertThat(server.topics()).isEmpty();
    assertNoResponders(client.requestAsync("after", eu));
    assertThat(client.request("plain")).isEqualTo("eu:plain");
  }

  @Test
  public void aClaimedSingleCallWithoutServersFailsWithNoRespondersWithinTheClaimWindow()
      throws Exception {
    PulsarRpcClient<String, String> client =
        client(newTopic("claimed-nobody"), newTopic("claimed-replies"), Duration.ofSeconds(1));

    assertNoResponders(
        client.requestAsync("anyone?", RequestOptions.defaults().withClaimRequired()));
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void badTopicNamesAreRefusedAtOnce() throws Exception {
    PulsarRpcServer<String, String> server =
        server(bus(), newTopic("topic-names"), "workers", value -> answerSoon(value));

    assertThatThrownBy(() -> server.registerTopicAsync("eu.west"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic must be");
    assertThat(server.topics()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A server of strings on {@code requestTopic} under the subscription "workers", built on {@code
   * on} (the bus under test, or a wrapper of it) with a 60 s grace period; closed after the test.
   */
  private PulsarRpcServer<String, String> server(
      MessageBus on, String requestTopic, Function<String, CompletableFuture<String>> handler)
      throws Exception {
    return server(on, requestTopic, "workers", handler);
  }

  /** As {@link #server(MessageBus, String, Function)}, under {@code subscription}. */
  private PulsarRpcServer<String, String> server(
      MessageBus on,
      String requestTopic,
      String subscription,
      Function<String, CompletableFuture<String>> handler)
      throws Exception {
    return track(
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription(subscription)
            .shutdownGracePeriod(Duration.ofSeconds(60))
            .build(on, handler, (id, value) -> {}));
  }

  /** A client of the topics on reply subscription "client"; closed after the test. */
  private PulsarRpcClient<String, String> client(String requestTopic, String replyTopic)
      throws Exception {
    return client(requestTopic, replyTopic, PulsarRpcClientBuilder.DEFAULT_CLAIM_WINDOW);
  }

  /** As {@link #client(String, String)}, with its own claim window. */
  private PulsarRpcClient<String, String> client(
      String requestTopic, String replyTopic, Duration claimWindow) throws Exception {
    return track(
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(replyTopic)
            .replySubscription("client")
            .replyTimeout(PATIENCE)
            .claimWindow(claimWindow)
            .build(bus()));
  }

  /** A reply that comes from another thread a little later, as a real handler's would. */
  private static CompletableFuture<String> answerSoon(String reply) {
    return CompletableFuture.supplyAsync(
        () -> reply, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
  }

  /** The properties of a claim that group {@code group} never sent, addressed to the client. */
  private static Map<String, String> forgedClaim(String group) {
    return Map.of(
        WireProperties.MESSAGE,
        "claim",
        WireProperties.SERVER_SUB,
        group,
        WireProperties.SERVER_ID,
        group,
        WireProperties.REPLY_SUBSCRIPTION,
        "client");
  }

  private static boolean isClaimOf(IncomingMessage<String> message, String group) {
    Map<String, String> properties = message.properties();
    return "claim".equals(properties.get(WireProperties.MESSAGE))
        && group.equals(properties.get(WireProperties.SERVER_SUB));
  }

  /** Asserts that {@code call} fails with {@code no_responders}, long before its deadline. */
  private static void assertNoResponders(CompletableFuture<?> call) {
    assertThatThrownBy(() -> call.get(PATIENCE.toSeconds() / 4, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PulsarRpcClientException.NoRespondersException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.NO_RESPONDERS));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE.toSeconds(), SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
