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
import io.pulsarrpc.client.SelectionOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of the call kinds beyond a plain single call, and of stopping a server at
 * once with {@link PulsarRpcServer#kill()}: written once and run against every bus, like {@link
 * RpcBehaviourSuite}. A subclass says which bus and how to name topics.
 *
 * <p>The tests of one kind share a name prefix and a section: {@code multiCall...}, {@code
 * topic...}, {@code affinity...}, {@code hostile...}, {@code kill...}, and {@code version...}, the
 * API version checks of every call kind. A behaviour that needs a capability the bus lacks (for
 * example {@link MessageBus#isDurable()}) is reported as skipped, naming the capability.
 */
public abstract class CallKindsSuite extends BusSuite {

  /** How long a test waits for one thing: long enough for a redelivery on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  /**
   * How long an affinity call waits for the offers when the test needs every server's offer: long
   * enough for three servers to create their reply producers on a loaded machine.
   */
  private static final Duration OFFER_WINDOW = Duration.ofSeconds(6);

  /**
   * The claim window of the clients of tests that expect a claim: long enough for a server to claim
   * on a loaded machine, five times the default. A test that expects {@code no_responders} uses a
   * client with a short window of its own. A multi-call that waits for a group that never claims
   * ({@code multiCallAnswersThatComeAfterItEndedAreDropped}) lasts this long.
   */
  private static final Duration CLAIM_PATIENCE = Duration.ofSeconds(10);

  /** The claim window of a client that expects no claim: {@code no_responders} comes soon. */
  private static final Duration NO_CLAIM_EXPECTED = Duration.ofSeconds(1);

  /** An affinity timeout the tests that pick early must never reach. */
  private static final Duration NEVER_REACHED = Duration.ofMinutes(1);

  // ---------------------------------------------------------------- affinity

  @Test
  public void affinityCallRunsOnceOnTheServerWithTheHighestScore() throws Exception {
    highestScoreWins("workers", "workers", "workers");
  }

  @Test
  public void affinityCallRunsOnceOnTheServerWithTheHighestScoreAcrossSubscriptions()
      throws Exception {
    highestScoreWins("low", "high", "middle");
  }

  private void highestScoreWins(String... subscriptions) throws Exception {
    String requestTopic = newTopic("affinity-requests");
    ScoredServers servers = lowHighMiddle(requestTopic, subscriptions);

    CompletableFuture<String> reply =
        callSelecting(requestTopic, SelectionOptions.builder().affinityTimeout(OFFER_WINDOW));

    assertThat(reply).succeedsWithin(PATIENCE).isEqualTo("high:x");
    assertRunsStay(Map.of(servers.low(), 0, servers.high(), 1, servers.middle(), 0));
    assertThat(servers.scores()).as("every server scored the call once").containsOnly(1);
  }

  @Test
  public void affinityCallAtMaximumAffinityIsSelectedWithoutWaitingForTheAffinityTimeout()
      throws Exception {
    String requestTopic = newTopic("affinity-maximum");
    ScoredServers servers = lowHighMiddle(requestTopic, "workers", "workers", "workers");

    CompletableFuture<String> reply =
        callSelecting(
            requestTopic,
            SelectionOptions.builder().maximumAffinity(0.9).affinityTimeout(NEVER_REACHED));

    assertThat(reply).succeedsWithin(NEVER_REACHED.dividedBy(2)).isEqualTo("high:x");
    assertRunsStay(Map.of(servers.low(), 0, servers.high(), 1, servers.middle(), 0));
  }

  @Test
  public void affinityCallAcceptingTheFirstAvailableRunsOnceWithoutWaitingForTheAffinityTimeout()
      throws Exception {
    String requestTopic = newTopic("affinity-first");
    ScoredServers servers = lowHighMiddle(requestTopic, "workers", "workers", "workers");
    AffinityServer unavailable = affinityServer(requestTopic, "workers", "unavailable", fixed(0));

    CompletableFuture<String> reply =
        callSelecting(
            requestTopic,
            SelectionOptions.builder().acceptFirstAvailable(true).affinityTimeout(NEVER_REACHED));

    assertThat(reply).succeedsWithin(NEVER_REACHED.dividedBy(2));
    String winner = reply.join().substring(0, reply.join().indexOf(':'));
    assertThat(winner).isIn("low", "high", "middle");
    Map<AffinityServer, Integer> expected = new HashMap<>();
    for (AffinityServer server :
        List.of(servers.low(), servers.high(), servers.middle(), unavailable)) {
      expected.put(server, server.name.equals(winner) ? 1 : 0);
    }
    assertRunsStay(expected);
  }

  @Test
  public void affinityCallWithoutAnEligibleOfferFailsWithNoResponders() throws Exception {
    String requestTopic = newTopic("affinity-none");
    AffinityServer busy = affinityServer(requestTopic, "workers", "busy", fixed(0));
    AffinityServer alsoBusy = affinityServer(requestTopic, "others", "also-busy", fixed(0));
    AffinityServer unwilling = affinityServer(requestTopic, "workers", "unwilling", fixed(-1));

    CompletableFuture<String> reply =
        callSelecting(requestTopic, SelectionOptions.builder().affinityTimeout(OFFER_WINDOW));

    assertNoResponders(reply);
    assertThat(List.of(busy.scored.get(), alsoBusy.scored.get(), unwilling.scored.get()))
        .as("every server scored the call: the scenario happened")
        .containsOnly(1);
    assertRunsStay(Map.of(busy, 0, alsoBusy, 0, unwilling, 0));
  }

  @Test
  public void affinityCallToServersWithoutAnAffinityFunctionFailsWithNoResponders()
      throws Exception {
    String requestTopic = newTopic("affinity-unsupported");
    AtomicInteger runs = new AtomicInteger();
    server(
        bus(),
        requestTopic,
        value -> {
          runs.incrementAndGet();
          return CompletableFuture.completedFuture(value);
        });

    CompletableFuture<String> reply =
        callSelecting(
            requestTopic, SelectionOptions.builder().affinityTimeout(Duration.ofSeconds(2)));

    assertNoResponders(reply);
    assertThat(runs).hasValue(0);
  }

  @Test
  public void affinityCallNeverRunsOnAServerWhoseAffinityFunctionThrowsOrGivesNaN()
      throws Exception {
    String requestTopic = newTopic("affinity-throws");
    AffinityServer throwing =
        affinityServer(
            requestTopic,
            "workers",
            "throwing",
            value -> {
              throw new IllegalStateException("no score today");
            });
    AffinityServer notANumber =
        affinityServer(requestTopic, "workers", "not-a-number", fixed(Double.NaN));
    AffinityServer able = affinityServer(requestTopic, "workers", "able", fixed(0.1));

    CompletableFuture<String> reply =
        callSelecting(requestTopic, SelectionOptions.builder().affinityTimeout(OFFER_WINDOW));

    assertThat(reply).succeedsWithin(PATIENCE).isEqualTo("able:x");
    assertThat(List.of(throwing.scored.get(), notANumber.scored.get()))
        .as("both were asked for a score: the scenario happened")
        .containsOnly(1);
    assertRunsStay(Map.of(throwing, 0, notANumber, 0, able, 1));
  }

  @Test
  public void affinitySelectionThatComesTwiceRunsTheCallOnce() throws Exception {
    String requestTopic = newTopic("affinity-twice");
    AffinityServer server = affinityServer(requestTopic, "workers", "only", fixed(0.5));
    AffinityProbe probe = new AffinityProbe(requestTopic);

    String serverId = probe.offered("call-1");
    probe.select("call-1", serverId);
    probe.select("call-1", serverId);
    // Handled after the selections (one at a time, in order): once offered, they were seen.
    probe.offered("call-2");

    probe.awaitReply("call-1");
    assertRunsStay(Map.of(server, 1));
    assertThat(probe.replies("call-1")).as("replies to call-1").hasSize(1);
  }

  @Test
  public void affinityCallOfferedAndSelectedIsAnsweredWithoutAClaim() throws Exception {
    String requestTopic = newTopic("affinity-no-claim");
    affinityServer(requestTopic, "workers", "only", fixed(0.5));
    AffinityProbe probe = new AffinityProbe(requestTopic);

    probe.select("call", probe.offered("call"));

    probe.awaitReply("call");
    assertThat(probe.received)
        .as("what the server published for the call")
        .extracting(message -> ReplyHeaders.read(message.properties()).message())
        .containsExactly(ReplyHeaders.Message.OFFER, ReplyHeaders.Message.REPLY);
  }

  @Test
  public void affinityForgedSelectionsForAnUnknownCallOrAnotherServerRunNothing() throws Exception {
    String requestTopic = newTopic("affinity-forged");
    AffinityServer server = affinityServer(requestTopic, "workers", "only", fixed(0.5));
    AffinityProbe probe = new AffinityProbe(requestTopic);
    String serverId = probe.offered("held");

    probe.select("never-sent", serverId);
    probe.select("held", "another-server");
    // Too late: the selection of another server dropped the call.
    probe.select("held", serverId);
    // Handled after the selections (one at a time, in order): once offered, they were seen.
    probe.offered("later");

    assertRunsStay(Map.of(server, 0));
    assertThat(probe.replies("held")).as("replies to the dropped call").isEmpty();
    assertThat(
            callSelecting(
                requestTopic,
                SelectionOptions.builder()
                    .acceptFirstAvailable(true)
                    .affinityTimeout(NEVER_REACHED)))
        .as("the server still serves affinity calls")
        .succeedsWithin(PATIENCE)
        .isEqualTo("only:x");
  }

  @Test
  public void affinityRequestsHeldByAServerAreBoundedByMaxConcurrentRequests() throws Exception {
    String requestTopic = newTopic("affinity-bounded");
    AffinityServer server =
        track(new AffinityServer(requestTopic, "workers", "bounded", fixed(0.5), 2));
    AffinityProbe probe = new AffinityProbe(requestTopic);

    for (int i = 0; i < 5; i++) {
      probe.request("call-" + i);
    }
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(server.scored).hasValue(5));
    await()
        .atMost(PATIENCE)
        .during(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(probe.offers()).as("offers").hasSize(2));
    String dropped = probe.offers().get(0).key();
    probe.select(dropped, "another-server");

    probe.offered("after-one-was-dropped");
    assertThat(probe.offers()).as("offers").hasSize(3);
    assertRunsStay(Map.of(server, 0));
  }

  @Test
  public void affinityCallWithATopicIsOfferedOnlyByTheServersThatRegisteredIt() throws Exception {
    String requestTopic = newTopic("affinity-topic");
    AffinityServer eu = affinityServer(requestTopic, "workers", "eu", fixed(0.3));
    AffinityServer elsewhere = affinityServer(requestTopic, "workers", "elsewhere", fixed(0.9));
    eu.server.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);

    CompletableFuture<String> reply =
        callSelecting(
            requestTopic,
            RequestOptions.defaults().withTopic("eu"),
            SelectionOptions.builder().affinityTimeout(OFFER_WINDOW));

    assertThat(reply).succeedsWithin(PATIENCE).isEqualTo("eu:x");
    assertRunsStay(Map.of(eu, 1, elsewhere, 0));
    assertThat(elsewhere.scored).as("scores of the server without the topic").hasValue(0);
  }

  @Test
  public void affinityCallWithATopicFailsWithNoRespondersOnceItsServerDeregisteredIt()
      throws Exception {
    String requestTopic = newTopic("affinity-topic-gone");
    AffinityServer eu = affinityServer(requestTopic, "workers", "eu", fixed(0.3));
    eu.server.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);
    eu.server.deregisterTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);

    CompletableFuture<String> reply =
        callSelecting(
            requestTopic,
            RequestOptions.defaults().withTopic("eu"),
            SelectionOptions.builder().affinityTimeout(Duration.ofSeconds(2)));

    assertNoResponders(reply);
    assertThat(eu.scored).as("scores of the server that deregistered the topic").hasValue(0);
  }

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
        client
            .requestAllAsync("ping", RequestOptions.defaults().withExpectedServers(3))
            .get(PATIENCE.toSeconds() / 4, SECONDS);

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

    List<Response<String>> responses =
        client.requestAll("x", RequestOptions.defaults().withExpectedServers(2));

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
        client(newTopic("multi-nobody"), newTopic("multi-nobody-replies"), NO_CLAIM_EXPECTED);

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
        client(requestTopic, newTopic("topic-runtime-replies"));
    PulsarRpcClient<String, String> expectsNoClaim =
        client(requestTopic, newTopic("topic-runtime-unclaimed"), NO_CLAIM_EXPECTED);
    RequestOptions eu = RequestOptions.defaults().withTopic("eu");

    assertNoResponders(expectsNoClaim.requestAsync("before", eu));
    server.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);
    assertThat(client.request("during", eu)).isEqualTo("eu:during");
    server.deregisterTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);

    assertThat(server.topics()).isEmpty();
    assertNoResponders(expectsNoClaim.requestAsync("after", eu));
    assertThat(client.request("plain")).isEqualTo("eu:plain");
  }

  @Test
  public void aClaimedSingleCallWithoutServersFailsWithNoRespondersWithinTheClaimWindow()
      throws Exception {
    PulsarRpcClient<String, String> client =
        client(newTopic("claimed-nobody"), newTopic("claimed-replies"), NO_CLAIM_EXPECTED);

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

  // ---------------------------------------------------------------- versions

  @Test
  public void versionOfAClientOlderThanTheServersMinimumIsRefusedWithClientTooOldBeforeUserCode()
      throws Exception {
    assertRefusedBeforeUserCode(
        1, ErrorCode.CLIENT_TOO_OLD, "client speaks version 1, this server supports 2 to 3");
  }

  @Test
  public void versionOfAClientNewerThanTheServersCurrentIsRefusedWithServerTooOldBeforeUserCode()
      throws Exception {
    assertRefusedBeforeUserCode(
        4, ErrorCode.SERVER_TOO_OLD, "client speaks version 4, this server supports 2 to 3");
  }

  /**
   * Asserts that a call of {@code version} to a server of versions 2 to 3 fails with {@code code},
   * and that neither the server's interceptor nor its handler saw it.
   */
  private void assertRefusedBeforeUserCode(int version, ErrorCode code, String why)
      throws Exception {
    String requestTopic = newTopic("versions-refused");
    VersionedServer server = versionedServer(requestTopic, "workers", 2, 3, null);

    CompletableFuture<String> call = versionedClient(requestTopic, version).requestAsync("x");

    assertRefused(call, code, why);
    assertThat(server.intercepted).as("requests the interceptor saw").hasValue(0);
    assertThat(server.runs).as("handler runs").hasValue(0);
  }

  @Test
  public void versionsWithinTheServersRangeAndCallsWithoutAVersionAreServed() throws Exception {
    String requestTopic = newTopic("versions-in-range");
    VersionedServer server = versionedServer(requestTopic, "workers", 2, 3, null);

    for (int version : new int[] {2, 3, 0}) {
      assertThat(versionedClient(requestTopic, version).requestAsync("v" + version))
          .as("a call of version " + version)
          .succeedsWithin(PATIENCE)
          .isEqualTo("workers:v" + version);
    }
    assertThat(server.runs).hasValue(3);
  }

  @Test
  public void versionedCallsReachAServerWithoutVersionsAsAnyCall() throws Exception {
    String requestTopic = newTopic("versions-unchecked");
    VersionedServer server = versionedServer(requestTopic, "workers", 0, 0, null);

    assertThat(versionedClient(requestTopic, 7).requestAsync("x"))
        .succeedsWithin(PATIENCE)
        .isEqualTo("workers:x");
    assertThat(server.runs).hasValue(1);
  }

  @Test
  public void versionMultiCallOverServersWithDifferentRangesGetsOneSuccessAndOneClientTooOld()
      throws Exception {
    String requestTopic = newTopic("versions-multi");
    versionedServer(requestTopic, "one-to-two", 1, 2, null);
    VersionedServer newer = versionedServer(requestTopic, "three-to-four", 3, 4, null);

    List<Response<String>> responses =
        versionedClient(requestTopic, 2)
            .requestAllAsync("x")
            .get(PATIENCE.toSeconds() / 4, SECONDS);

    assertThat(responses)
        .extracting(Response::server, Response::isSuccess)
        .containsExactlyInAnyOrder(tuple("one-to-two", true), tuple("three-to-four", false));
    Response<String> refused =
        responses.stream().filter(r -> !r.isSuccess()).findFirst().orElseThrow();
    assertThat(refused.error().code()).isEqualTo(ErrorCode.CLIENT_TOO_OLD);
    assertThat(responses)
        .filteredOn(Response::isSuccess)
        .extracting(Response::value)
        .containsExactly("one-to-two:x");
    assertThat(newer.runs).hasValue(0);
  }

  @Test
  public void versionOfATopicCallIsCheckedAsAnyCalls() throws Exception {
    String requestTopic = newTopic("versions-topic");
    VersionedServer server = versionedServer(requestTopic, "workers", 2, 2, null);
    server.server.registerTopicAsync("eu").get(PATIENCE.toSeconds(), SECONDS);

    CompletableFuture<String> call =
        versionedClient(requestTopic, 1)
            .requestAsync("x", RequestOptions.defaults().withTopic("eu"));

    assertRefused(
        call, ErrorCode.CLIENT_TOO_OLD, "client speaks version 1, this server supports 2 to 2");
    assertThat(server.runs).hasValue(0);
  }

  @Test
  public void versionAffinityCallIsOfferedOnlyByServersThatSupportItsVersion() throws Exception {
    String requestTopic = newTopic("versions-affinity");
    AtomicInteger scoredByOld = new AtomicInteger();
    VersionedServer old =
        versionedServer(
            requestTopic,
            "workers",
            1,
            1,
            value -> {
              scoredByOld.incrementAndGet();
              return 0.9;
            });
    VersionedServer current = versionedServer(requestTopic, "workers", 2, 2, fixed(0.1));

    CompletableFuture<String> reply =
        versionedClient(requestTopic, 2)
            .requestAsync(
                "x",
                RequestOptions.defaults()
                    .withSelection(
                        SelectionOptions.builder().affinityTimeout(OFFER_WINDOW).build()));

    assertThat(reply).succeedsWithin(PATIENCE).isEqualTo("workers:x");
    assertThat(current.runs).hasValue(1);
    assertThat(old.runs).hasValue(0);
    assertThat(scoredByOld).as("the old server never scored, so never offered").hasValue(0);
  }

  // ---------------------------------------------------------------- helpers

  /** A server of strings with an affinity function, counting its scores and its handler's runs. */
  private final class AffinityServer implements AutoCloseable {
    final String name;
    final AtomicInteger scored = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    private final PulsarRpcServer<String, String> server;

    /** Answers {@code "<name>:<value>"}; holds at most {@code maxHeld} affinity calls. */
    AffinityServer(
        String requestTopic,
        String subscription,
        String name,
        ToDoubleFunction<String> affinity,
        int maxHeld)
        throws Exception {
      this.name = name;
      this.server =
          PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
              .requestTopic(requestTopic)
              .requestSubscription(subscription)
              .maxConcurrentRequests(maxHeld)
              .affinity(
                  value -> {
                    scored.incrementAndGet();
                    return affinity.applyAsDouble(value);
                  })
              .build(
                  bus(),
                  value -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture(name + ":" + value);
                  },
                  (id, value) -> {});
    }

    @Override
    public void close() {
      server.close();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private AffinityServer affinityServer(
      String requestTopic, String subscription, String name, ToDoubleFunction<String> affinity)
      throws Exception {
    return track(new AffinityServer(requestTopic, subscription, name, affinity, 16));
  }

  /** Three servers with fixed scores, named by them. */
  private record ScoredServers(AffinityServer low, AffinityServer high, AffinityServer middle) {
    List<Integer> scores() {
      return List.of(low.scored.get(), high.scored.get(), middle.scored.get());
    }
  }

  /**
   * Servers "low" (score 0.2), "high" (0.9) and "middle" (0.5) on {@code requestTopic}, under the
   * three subscriptions given, in that order.
   */
  private ScoredServers lowHighMiddle(String requestTopic, String... subscriptions)
      throws Exception {
    return new ScoredServers(
        affinityServer(requestTopic, subscriptions[0], "low", fixed(0.2)),
        affinityServer(requestTopic, subscriptions[1], "high", fixed(0.9)),
        affinityServer(requestTopic, subscriptions[2], "middle", fixed(0.5)));
  }

  /** An affinity call of "x" to {@code requestTopic} from a new client. */
  private CompletableFuture<String> callSelecting(
      String requestTopic, SelectionOptions.Builder selection) throws Exception {
    return callSelecting(requestTopic, RequestOptions.defaults(), selection);
  }

  /** An affinity call of "x" to {@code requestTopic} with {@code options} from a new client. */
  private CompletableFuture<String> callSelecting(
      String requestTopic, RequestOptions options, SelectionOptions.Builder selection)
      throws Exception {
    return client(requestTopic, newTopic("affinity-replies"))
        .requestAsync("x", options.withSelection(selection.build()));
  }

  private static ToDoubleFunction<String> fixed(double score) {
    return value -> score;
  }

  /**
   * Asserts that each server's handler ran as often as {@code expected} says, and still does a
   * second later: a second run would come within that time.
   */
  private static void assertRunsStay(Map<AffinityServer, Integer> expected) {
    await()
        .atMost(PATIENCE)
        .during(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                expected.forEach(
                    (server, runs) ->
                        assertThat(server.runs.get())
                            .as("handler runs of server " + server.name)
                            .isEqualTo(runs)));
  }

  /**
   * Speaks the affinity protocol by hand, as a hostile or buggy client could: publishes affinity
   * requests and selections on the affinity topic, and reads what servers publish on its own reply
   * topic (offers and replies).
   */
  private final class AffinityProbe {
    private final String requestTopic;
    private final String replyTopic = newTopic("affinity-probe-replies");
    private final BusProducer<String> producer;
    private final List<IncomingMessage<String>> received = new CopyOnWriteArrayList<>();

    AffinityProbe(String requestTopic) {
      this.requestTopic = requestTopic;
      BusTestSupport support = BusTestSupport.on(bus(), PATIENCE);
      BusConsumer<String> replies = support.subscribe(replyTopic, "probe", SubscriptionMode.SHARED);
      BusTestSupport.receiveMessagesForever(replies, received);
      this.producer = support.producer(CallTopics.affinityTopic(requestTopic, null));
    }

    void request(String correlationId) {
      send(
          correlationId,
          "x",
          RequestHeaders.write(
              replyTopic,
              "probe",
              PATIENCE.toMillis(),
              0,
              Map.of(),
              CallKind.AFFINITY,
              false,
              null,
              0));
    }

    void select(String correlationId, String serverId) {
      send(correlationId, null, RequestHeaders.writeSelect(serverId));
    }

    /** Sends an affinity request, and returns the id of the server that offered for it. */
    String offered(String correlationId) {
      request(correlationId);
      return awaitOffer(correlationId);
    }

    /** The id of the server instance that offered for {@code correlationId}, once it did. */
    String awaitOffer(String correlationId) {
      return await()
          .atMost(PATIENCE)
          .until(
              () ->
                  offers().stream()
                      .filter(offer -> correlationId.equals(offer.key()))
                      .map(offer -> offer.properties().get(WireProperties.SERVER_ID))
                      .findFirst()
                      .orElse(null),
              id -> id != null);
    }

    void awaitReply(String correlationId) {
      await().atMost(PATIENCE).until(() -> !replies(correlationId).isEmpty());
    }

    List<IncomingMessage<String>> offers() {
      return received.stream()
          .filter(
              message ->
                  ReplyHeaders.read(message.properties()).message() == ReplyHeaders.Message.OFFER)
          .toList();
    }

    List<IncomingMessage<String>> replies(String correlationId) {
      return received.stream()
          .filter(message -> correlationId.equals(message.key()))
          .filter(
              message ->
                  ReplyHeaders.read(message.properties()).message() == ReplyHeaders.Message.REPLY)
          .toList();
    }

    private void send(String key, String value, Map<String, String> properties) {
      BusTestSupport.on(bus(), PATIENCE)
          .join(
              producer.send(OutgoingMessage.of(key, value, properties)),
              "a send to the affinity topic of " + requestTopic);
    }
  }

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

  /**
   * A client of the topics on reply subscription "client", whose calls that need a claim wait
   * {@link #CLAIM_PATIENCE} for it; closed after the test.
   */
  private PulsarRpcClient<String, String> client(String requestTopic, String replyTopic)
      throws Exception {
    return client(requestTopic, replyTopic, CLAIM_PATIENCE);
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

  /**
   * A server of strings answering {@code "<subscription>:<value>"}, with an interceptor: both count
   * what they see.
   */
  private static final class VersionedServer {
    final AtomicInteger intercepted = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    PulsarRpcServer<String, String> server;
  }

  /**
   * A {@link VersionedServer} on {@code requestTopic} supporting API versions {@code minimum} to
   * {@code current} (none when 0), taking part in affinity calls when {@code affinity} is not null;
   * closed after the test.
   */
  private VersionedServer versionedServer(
      String requestTopic,
      String subscription,
      int minimum,
      int current,
      ToDoubleFunction<String> affinity)
      throws Exception {
    VersionedServer counted = new VersionedServer();
    PulsarRpcServerBuilder<String, String> builder =
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription(subscription)
            .shutdownGracePeriod(Duration.ofSeconds(60))
            .intercept(
                new ServerInterceptor() {
                  @Override
                  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
                    counted.intercepted.incrementAndGet();
                    return chain.proceed(chain.context(), chain.request());
                  }
                });
    if (minimum > 0) {
      builder.apiVersions(minimum, current);
    }
    if (affinity != null) {
      builder.affinity(affinity);
    }
    counted.server =
        track(
            builder.build(
                bus(),
                value -> {
                  counted.runs.incrementAndGet();
                  return answerSoon(subscription + ":" + value);
                },
                (id, value) -> {}));
    return counted;
  }

  /** A client of {@code requestTopic} speaking API version {@code version} (none when 0). */
  private PulsarRpcClient<String, String> versionedClient(String requestTopic, int version)
      throws Exception {
    PulsarRpcClientBuilder<String, String> builder =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(newTopic("versions-replies"))
            .replySubscription("client")
            .replyTimeout(PATIENCE);
    if (version > 0) {
      builder.apiVersion(version);
    }
    return track(builder.build(bus()));
  }

  /** Asserts that {@code call} fails with an error reply of {@code code} whose message says why. */
  private static void assertRefused(CompletableFuture<?> call, ErrorCode code, String why) {
    assertThatThrownBy(() -> call.get(PATIENCE.toSeconds(), SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PulsarRpcClientException.ReplyErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.errorMessage()).contains(why);
            });
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
