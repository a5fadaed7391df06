package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A multi-call's rules, against server groups the test plays itself over the in-memory bus, so that
 * each ordering of claims and replies happens on purpose.
 */
class MultiCallTest {

  private static final Duration LONG = Duration.ofMinutes(1);

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private PulsarRpcClient<String, String> client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    bus.close();
  }

  private PulsarRpcClient<String, String> client(
      Duration claimWindow, ClientInterceptor... interceptors) throws Exception {
    PulsarRpcClientBuilder<String, String> builder =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic("requests")
            .replyTopic("replies")
            .replySubscription("client")
            .replyTimeout(LONG)
            .claimWindow(claimWindow);
    for (ClientInterceptor interceptor : interceptors) {
      builder.intercept(interceptor);
    }
    client = builder.build(bus);
    return client;
  }

  private ScriptedServerGroup group(String name) throws Exception {
    return new ScriptedServerGroup(bus, "requests", "replies", name);
  }

  @Test
  void theCallCompletesAsSoonAsEveryClaimerAnsweredNotAtItsDeadline() throws Exception {
    client(LONG);
    List<ScriptedServerGroup> groups = List.of(group("a"), group("b"), group("c"));

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    // Each group claims the request when it receives it, then answers.
    List<IncomingMessage<String>> received = new ArrayList<>();
    for (ScriptedServerGroup group : groups) {
      received.add(group.next());
      group.claim(received.get(received.size() - 1));
    }
    for (int i = 0; i < groups.size(); i++) {
      groups.get(i).reply(received.get(i), "pong from " + groups.get(i).name);
    }

    assertThat(call.get(30, TimeUnit.SECONDS))
        .extracting(Response::server, Response::value, Response::isSuccess)
        .containsExactlyInAnyOrder(
            tuple("a", "pong from a", true),
            tuple("b", "pong from b", true),
            tuple("c", "pong from c", true));
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void aLaterCallWaitsForAsManyGroupsAsTheLastOneEvenWhenOneClaimsAfterTheOthersAnswered()
      throws Exception {
    client(LONG);
    ScriptedServerGroup a = group("a");
    ScriptedServerGroup b = group("b");
    CompletableFuture<List<Response<String>>> first = client.requestAllAsync("first");
    IncomingMessage<String> firstToA = a.next();
    IncomingMessage<String> firstToB = b.next();
    a.claim(firstToA);
    b.claim(firstToB);
    a.reply(firstToA, "a1");
    b.reply(firstToB, "b1");
    assertThat(first.get(30, TimeUnit.SECONDS)).hasSize(2);

    assertThat(secondCallWaitingForB(a, b, "waits for the second group the last call had"))
        .containsExactly(Response.success("a", "a2"), Response.success("b", "b2"));
  }

  @Test
  void aGroupThatStoppedServingCostsOneCallTheClaimWindowAndIsForgotten() throws Exception {
    client(Duration.ofMillis(300));
    ScriptedServerGroup a = group("a");
    ScriptedServerGroup b = group("b");
    CompletableFuture<List<Response<String>>> first = client.requestAllAsync("first");
    for (ScriptedServerGroup group : List.of(a, b)) {
      IncomingMessage<String> request = group.next();
      group.claim(request);
      group.reply(request, group.name);
    }
    assertThat(first.get(30, TimeUnit.SECONDS)).hasSize(2);

    for (String call : List.of("second", "third")) {
      CompletableFuture<List<Response<String>>> next = client.requestAllAsync(call);
      IncomingMessage<String> request = a.next();
      b.next();
      a.claim(request);
      a.reply(request, call);

      assertThat(next.get(30, TimeUnit.SECONDS)).containsExactly(Response.success("a", call));
    }
  }

  @Test
  void aFirstCallThatExpectsTwoServersWaitsPastTheSettleWindowForTheSecond() throws Exception {
    client(LONG);
    ScriptedServerGroup a = group("a");
    ScriptedServerGroup b = group("b");
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync(
            "ping", RequestOptions.defaults().withExpectedServers(2), r -> seen.add(r.server()));
    IncomingMessage<String> toA = a.next();
    a.claim(toA);
    a.reply(toA, "a");
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("a"));

    // Four times the settle window a first call without the option would end after.
    await()
        .during(MultiCall.SETTLE_FLOOR.multipliedBy(4))
        .atMost(Duration.ofSeconds(30))
        .until(() -> !call.isDone());
    IncomingMessage<String> toB = b.next();
    b.claim(toB);
    b.reply(toB, "b");

    assertThat(call.get(30, TimeUnit.SECONDS))
        .containsExactly(Response.success("a", "a"), Response.success("b", "b"));
  }

  @Test
  void whenFewerServersClaimThanExpectedTheCallEndsWithThemAtTheClaimWindow() throws Exception {
    client(Duration.ofMillis(300));
    ScriptedServerGroup a = group("a");
    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync("ping", RequestOptions.defaults().withExpectedServers(3));
    IncomingMessage<String> toA = a.next();
    a.claim(toA);
    a.reply(toA, "a");

    // The deadline is a minute away: only the claim window can end the call this soon.
    assertThat(call.get(30, TimeUnit.SECONDS)).containsExactly(Response.success("a", "a"));
  }

  @Test
  void aSingleCallCannotExpectServers() throws Exception {
    client(LONG);
    RequestOptions options = RequestOptions.defaults().withExpectedServers(2);

    assertThatThrownBy(() -> client.requestAsync("ping", options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multi-calls");
    assertThatThrownBy(() -> client.requestAfterAsync("ping", options, 1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multi-calls");
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void aClaimAndReplyAfterTheEndAreDroppedAndCountTheirGroupForTheNextCall() throws Exception {
    Queue<String> untracked = new ConcurrentLinkedQueue<>();
    client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic("requests")
            .replyTopic("replies")
            .replySubscription("client")
            .replyTimeout(LONG)
            .requestCallBack(
                new RequestCallBack<>() {
                  @Override
                  public void onReplySuccess(
                      String id, String server, String value, CompletableFuture<String> f) {
                    untracked.add(value);
                    f.complete(value);
                  }
                })
            .build(bus);
    ScriptedServerGroup a = group("a");
    ScriptedServerGroup b = group("b");
    CompletableFuture<List<Response<String>>> first = client.requestAllAsync("first");
    IncomingMessage<String> firstToA = a.next();
    a.claim(firstToA);
    a.reply(firstToA, "a1");
    assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly(Response.success("a", "a1"));
    IncomingMessage<String> firstToB = b.next();
    b.claim(firstToB);
    b.reply(firstToB, "b1, too late");

    assertThat(secondCallWaitingForB(a, b, "counts b, which answered the last call late"))
        .hasSize(2);
    assertThat(untracked).as("late multi-call replies never reach the callback").isEmpty();
  }

  @Test
  void theRequestSaysItIsAMultiCall() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");

    client.requestAllAsync("ping");
    IncomingMessage<String> request = group.next();

    RequestHeaders headers =
        RequestHeaders.read(request.key(), request.properties(), request.publishTime());
    assertThat(headers.problem()).isNull();
    assertThat(headers.kind()).isEqualTo(CallKind.MULTI);
    assertThat(headers.claim()).isTrue();
  }

  @Test
  void aClaimerThatDoesNotAnswerByTheDeadlineIsADeadlineExceededResponse() throws Exception {
    client(LONG);
    ScriptedServerGroup answers = group("answers");
    ScriptedServerGroup silent = group("silent");

    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync(
            "ping", RequestOptions.defaults().withTimeout(Duration.ofSeconds(1)));
    IncomingMessage<String> first = answers.next();
    answers.claim(first);
    silent.claim(silent.next());
    answers.reply(first, "pong");

    List<Response<String>> responses = call.get(30, TimeUnit.SECONDS);
    assertThat(responses).hasSize(2);
    assertThat(responses.get(0)).isEqualTo(Response.success("answers", "pong"));
    assertThat(responses.get(1).server()).isEqualTo("silent");
    assertThat(responses.get(1).isSuccess()).isFalse();
    assertThat(responses.get(1).error().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void noClaimWithinTheClaimWindowFailsWithNoRespondersBeforeTheDeadline() throws Exception {
    client(Duration.ofMillis(200));
    ScriptedServerGroup deaf = group("deaf");

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    deaf.next();

    NoResponders.assertFailsWithNoResponders(call);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void anErrorReplyIsAResponseNotAFailedCall() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    IncomingMessage<String> request = group.next();
    group.claim(request);
    group.fail(request, ErrorCode.NOT_FOUND, "no such thing");

    Response<String> response = call.get(30, TimeUnit.SECONDS).get(0);
    assertThat(response.isSuccess()).isFalse();
    assertThat(response.value()).isNull();
    assertThat(response.error().code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(response.error().getMessage()).isEqualTo("no such thing");
  }

  @Test
  void aReplyWithoutAClaimCountsAsClaimAndAnswer() throws Exception {
    client(LONG);
    ScriptedServerGroup proposalPeer = group("proposal");

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    proposalPeer.reply(proposalPeer.next(), "pong");

    assertThat(call.get(30, TimeUnit.SECONDS))
        .containsExactly(Response.success("proposal", "pong"));
  }

  @Test
  void aSecondAnswerOfOneGroupAndAnswersAfterTheEndAreDropped() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");
    Queue<Response<String>> seen = new ConcurrentLinkedQueue<>();

    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync("ping", RequestOptions.defaults(), seen::add);
    IncomingMessage<String> request = group.next();
    group.claim(request);
    group.reply(request, "first");
    List<Response<String>> responses = call.get(30, TimeUnit.SECONDS);
    group.reply(request, "again");
    group.claim(request);
    // A single call after them: its reply comes after theirs, so they have been handled.
    ScriptedServerGroup single = group;
    CompletableFuture<String> next = client.requestAsync("after");
    IncomingMessage<String> after = single.next();
    single.reply(after, "done");

    assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(responses).containsExactly(Response.success("a", "first"));
    assertThat(seen).containsExactly(Response.success("a", "first"));
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void eachResponseReachesTheListenerBeforeTheCallCompletesEvenWhenTheListenerThrows()
      throws Exception {
    client(LONG);
    ScriptedServerGroup a = group("a");
    ScriptedServerGroup b = group("b");
    Queue<String> seen = new ConcurrentLinkedQueue<>();

    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync(
            "ping",
            RequestOptions.defaults(),
            response -> {
              seen.add(response.server());
              throw new IllegalStateException("a listener that throws");
            });
    IncomingMessage<String> toA = a.next();
    IncomingMessage<String> toB = b.next();
    a.claim(toA);
    b.claim(toB);
    a.reply(toA, "from a");
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("a"));
    assertThat(call).isNotDone();
    b.reply(toB, "from b");

    assertThat(call.get(30, TimeUnit.SECONDS)).hasSize(2);
    assertThat(seen).containsExactly("a", "b");
  }

  @Test
  void forgedClaimsNeitherCreateCallsNorStopTheClient() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");
    for (int i = 0; i < 1_000; i++) {
      group.forgeClaim("no-such-call-" + i, "forger", "client");
    }

    CompletableFuture<String> call = client.requestAsync("ping");
    group.reply(group.next(), "pong");

    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("pong");
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void tenThousandClaimsForOneCallCountAtMostTheBoundAndEndAtTheDeadline() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");

    CompletableFuture<List<Response<String>>> call =
        client.requestAllAsync(
            "ping", RequestOptions.defaults().withTimeout(Duration.ofSeconds(2)));
    String id = group.next().key();
    for (int i = 0; i < 10_000; i++) {
      group.forgeClaim(id, "forged-" + i, "client");
    }

    List<Response<String>> responses = call.get(30, TimeUnit.SECONDS);
    assertThat(responses).hasSize(MultiCall.MAX_SERVERS);
    assertThat(responses)
        .allSatisfy(r -> assertThat(r.error().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  void anInterceptorSeesTheSendEachResponseAndTheEnd() throws Exception {
    Queue<String> steps = new ConcurrentLinkedQueue<>();
    client(
        LONG,
        new ClientInterceptor() {
          @Override
          public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
            return chain.proceed(chain.call());
          }

          @Override
          public <T, V> CompletableFuture<List<Response<V>>> interceptAll(MultiChain<T, V> chain) {
            steps.add("send " + chain.call().value());
            return chain
                .proceed(
                    chain.call(),
                    response -> {
                      steps.add("response " + response.server());
                      chain.onResponse().accept(response);
                    })
                .whenComplete((responses, failure) -> steps.add("end " + responses.size()));
          }
        });
    ScriptedServerGroup group = group("a");

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    IncomingMessage<String> request = group.next();
    group.claim(request);
    group.reply(request, "pong");
    call.get(30, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(steps).containsExactly("send ping", "response a", "end 1"));
  }

  @Test
  void cancellingTheCallEmptiesThePendingTable() throws Exception {
    client(LONG);
    ScriptedServerGroup group = group("a");

    CompletableFuture<List<Response<String>>> call = client.requestAllAsync("ping");
    group.claim(group.next());
    call.cancel(false);

    assertThat(client.pendingRequestSize()).isZero();
  }

  /**
   * A second multi-call that {@code a} answers at once: asserts it is still waiting (for {@code
   * why}), lets {@code b} answer, and returns its responses.
   */
  private List<Response<String>> secondCallWaitingForB(
      ScriptedServerGroup a, ScriptedServerGroup b, String why) throws Exception {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    CompletableFuture<List<Response<String>>> second =
        client.requestAllAsync("second", RequestOptions.defaults(), r -> seen.add(r.server()));
    IncomingMessage<String> secondToA = a.next();
    a.claim(secondToA);
    a.reply(secondToA, "a2");
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("a"));
    assertThat(second).as(why).isNotDone();
    IncomingMessage<String> secondToB = b.next();
    b.claim(secondToB);
    b.reply(secondToB, "b2");
    return second.get(30, TimeUnit.SECONDS);
  }
}
