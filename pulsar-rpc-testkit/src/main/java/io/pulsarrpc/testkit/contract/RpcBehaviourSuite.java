package io.pulsarrpc.testkit.contract;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.ProposalRequestCallBack;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.client.RequestCallBack;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.server.DeduplicationStore;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.RequestHandler;
import io.pulsarrpc.server.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite: the behaviour of a client and a server of the RPC engine, written once and
 * run against every bus. A subclass says which bus and how to name topics; a new bus is done when
 * its subclass passes.
 *
 * <p>The capabilities the bus declares decide which behaviours apply: scheduled calls need {@link
 * MessageBus#supportsDelayedDelivery()}, and a call that waits for a server that is not there needs
 * {@link MessageBus#isDurable()}. A behaviour that does not apply is reported as skipped, naming
 * the capability.
 */
public abstract class RpcBehaviourSuite extends BusSuite {

  // ---------------------------------------------------------------- round trips

  @Test
  public void syncAndAsyncCallsAreAnsweredUnderTheCallersCorrelationId() throws Exception {
    Topics topics = served("greeter", name -> done("hello " + name));
    Map<String, String> repliesById = new ConcurrentHashMap<>();
    PulsarRpcClient<String, String> client =
        client(topics, "client", recordingReplies(repliesById));

    assertThat(client.request("id-sync", "ada")).isEqualTo("hello ada");
    assertThat(client.requestAsync("id-async", "bob").get(30, SECONDS)).isEqualTo("hello bob");
    assertThat(client.request("cy")).isEqualTo("hello cy");

    assertThat(repliesById).containsEntry("id-sync", "hello ada");
    assertThat(repliesById).containsEntry("id-async", "hello bob");
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void aThousandConcurrentCallsAreEachAnsweredWithTheirOwnValue() throws Exception {
    Topics topics = served("echo", value -> done("re:" + value));
    PulsarRpcClient<String, String> client = client(topics);

    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(client.requestAsync("call-" + i, "v" + i));
    }

    for (int i = 0; i < 1000; i++) {
      assertThat(calls.get(i).get(60, SECONDS)).isEqualTo("re:v" + i);
    }
    await().atMost(10, SECONDS).until(() -> client.pendingRequestSize() == 0);
  }

  @Test
  public void manyClientsOnOneRequestTopicEachGetOnlyTheirOwnReplies() throws Exception {
    String requestTopic = newTopic("requests");
    String sharedReplyTopic = newTopic("replies-shared");
    String ownReplyTopic = newTopic("replies-own");
    server(requestTopic, "echo", value -> done("re:" + value));
    List<AtomicInteger> repliesSeen =
        List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    List<PulsarRpcClient<String, String>> clients =
        List.of(
            client(new Topics(requestTopic, sharedReplyTopic), "a", counting(repliesSeen.get(0))),
            client(new Topics(requestTopic, sharedReplyTopic), "b", counting(repliesSeen.get(1))),
            client(new Topics(requestTopic, ownReplyTopic), "c", counting(repliesSeen.get(2))));

    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      for (int c = 0; c < clients.size(); c++) {
        calls.add(clients.get(c).requestAsync("c" + c + "-" + i, "c" + c + "-" + i));
      }
    }

    for (CompletableFuture<String> call : calls) {
      assertThat(call.get(60, SECONDS)).startsWith("re:c");
    }
    for (int i = 0; i < calls.size(); i++) {
      int c = i % clients.size();
      assertThat(calls.get(i).get()).isEqualTo("re:c" + c + "-" + (i / clients.size()));
    }
    // Clients a and b read the same reply topic, yet neither sees the other's replies.
    assertThat(repliesSeen).allSatisfy(seen -> assertThat(seen).hasValue(50));
  }

  // ---------------------------------------------------------------- many servers

  @Test
  public void serversSharingASubscriptionSplitTheRequests() throws Exception {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    Topics topics = served("workers", value -> count(first, "first"));
    server(topics.request, "workers", value -> count(second, "second"));
    PulsarRpcClient<String, String> client = client(topics);

    // One call at a time: a producer batch of several requests would go to one server whole.
    for (int i = 0; i < 100; i++) {
      assertThat(client.request("split-" + i, "x")).isIn("first", "second");
    }

    assertThat(first.get() + second.get()).isEqualTo(100);
    assertThat(first).hasPositiveValue();
    assertThat(second).hasPositiveValue();
  }

  @Test
  public void serversOnDifferentSubscriptionsEachAnswerAndTheCallbackSeesWhich() throws Exception {
    Topics topics = served("billing", value -> done("billed " + value));
    server(topics.request, "shipping", value -> done("shipped " + value));
    Map<String, String> bySubscription = new ConcurrentHashMap<>();
    PulsarRpcClient<String, String> client =
        client(
            topics,
            "client",
            onReplySuccess(
                (id, sub, value, f) -> {
                  bySubscription.put(sub, value);
                  if (bySubscription.size() == 2) {
                    f.complete(String.join(",", bySubscription.keySet()));
                  }
                }));

    client.requestAsync("fan-out", "order-7").get(30, SECONDS);

    assertThat(bySubscription)
        .containsOnly(
            Map.entry("billing", "billed order-7"), Map.entry("shipping", "shipped order-7"));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  public void handlersRunConcurrentlyAndNeverOnTheReceivePath() throws Exception {
    int calls = 64;
    CountDownLatch allStarted = new CountDownLatch(calls);
    // Each handler blocks its thread until all 64 have started: only handlers that really run
    // at the same time, off the thread that receives requests, can finish.
    Topics topics =
        served(
            "blocking",
            value -> {
              allStarted.countDown();
              try {
                return done(allStarted.await(60, SECONDS) ? "together" : "alone");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done("interrupted");
              }
            });
    PulsarRpcClient<String, String> client = client(topics);

    List<CompletableFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      replies.add(client.requestAsync("blocking-" + i, "x"));
    }

    for (CompletableFuture<String> reply : replies) {
      assertThat(reply.get(90, SECONDS)).isEqualTo("together");
    }
  }

  @Test
  public void theConcurrencyBoundIsHonouredAndExcessRequestsWaitWithoutLoss() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Topics topics =
        served(
            "bounded",
            value -> {
              mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
              return CompletableFuture.supplyAsync(
                  () -> {
                    running.decrementAndGet();
                    return "done " + value;
                  },
                  CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            },
            builder -> builder.maxConcurrentRequests(4));
    PulsarRpcClient<String, String> client = client(topics);

    List<CompletableFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replies.add(client.requestAsync("bounded-" + i, "r" + i));
    }

    for (int i = 0; i < replies.size(); i++) {
      assertThat(replies.get(i).get(60, SECONDS)).isEqualTo("done r" + i);
    }
    assertThat(mostAtOnce.get()).isBetween(1, 4);
  }

  @Test
  public void anAcknowledgementOnItsWayHoldsNoPermitAndACloseWaitsForIt() throws Exception {
    AcknowledgementHoldingBus holding = new AcknowledgementHoldingBus(bus());
    Topics topics = topics();
    PulsarRpcServer<String, String> server =
        track(
            serverBuilder(topics.request, "held-acknowledgements")
                .maxConcurrentRequests(1)
                .build(holding, value -> done("re:" + value), (id, value) -> {}));
    PulsarRpcClient<String, String> client = client(topics);
    try {
      assertThat(client.requestAsync("first", "a").get(30, SECONDS)).isEqualTo("re:a");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(holding.held())
                      .as("the first request's acknowledgement, handed to the bus and held")
                      .isEqualTo(1));

      assertThat(client.requestAsync("second", "b").get(30, SECONDS))
          .as("the server's one permit is free while the first acknowledgement travels")
          .isEqualTo("re:b");
      CompletableFuture<Void> closing = server.closeAsync();
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(closing)
                      .as("the close drains: it waits for the acknowledgements on their way")
                      .isNotDone());
      holding.release();

      assertThat(closing).succeedsWithin(Duration.ofSeconds(30));
    } finally {
      holding.release();
    }
  }

  @Test
  public void aCallIsNoLongerPendingWhenItsCallerSeesTheReply() throws Exception {
    Topics topics = served("echo", value -> done("re:" + value));
    PulsarRpcClient<String, String> client = client(topics);

    CompletableFuture<Integer> pendingSeenByCaller =
        client.requestAsync("seen", "x").thenApply(reply -> client.pendingRequestSize());

    assertThat(pendingSeenByCaller.get(30, SECONDS)).isZero();
  }

  @Test
  public void aCallIsNoLongerPendingWhenItsCallerSeesTheTimeout() throws Exception {
    Topics topics = topics();
    PulsarRpcClient<String, String> client =
        client(topics, "client", builder -> builder.replyTimeout(Duration.ofMillis(200)));

    CompletableFuture<Integer> pendingSeenByCaller =
        client
            .requestAsync("unanswered", "x")
            .handle((reply, failure) -> client.pendingRequestSize());

    assertThat(pendingSeenByCaller.get(30, SECONDS)).isZero();
  }

  @Test
  public void cancellingTheCallersFutureEndsTheCall() throws Exception {
    Topics topics = topics();
    PulsarRpcClient<String, String> client = client(topics);
    CompletableFuture<String> call = client.requestAsync("cancelled", "x");

    call.cancel(false);

    assertThat(client.pendingRequestSize()).isZero();
  }

  // ---------------------------------------------------------------- metadata and context

  @Test
  public void metadataOfTheCallerAndTheCallsContextReachTheHandler() throws Exception {
    CompletableFuture<RequestContext> seen = new CompletableFuture<>();
    Topics topics =
        servedWithContext(
            "contextual",
            (context, value) -> {
              seen.complete(context);
              return done(context.metadata().get("tenant") + ":" + value);
            });
    PulsarRpcClient<String, String> client = client(topics);
    long before = System.currentTimeMillis();

    String reply =
        client.request(
            "order",
            RequestOptions.defaults()
                .withCorrelationId("ctx-1")
                .withTimeout(Duration.ofSeconds(20))
                .withMetadata(Map.of("tenant", "acme"))
                .withMetadata("trace-id", "4bf92f35"));

    assertThat(reply).isEqualTo("acme:order");
    RequestContext context = seen.get(30, SECONDS);
    assertThat(context.correlationId()).isEqualTo("ctx-1");
    assertThat(context.metadata())
        .containsOnly(entry("tenant", "acme"), entry("trace-id", "4bf92f35"));
    assertThat(context.deadline().toEpochMilli())
        .isBetween(before + 19_000, System.currentTimeMillis() + 20_000);
    assertThat(context.scheduledTime()).isEmpty();
    assertThat(context.subscription()).isEqualTo("contextual");
    assertThat(context.topic()).isEqualTo(topics.request);
    assertThat(context.messageId()).isNotNull();
  }

  @Test
  public void aHandlerReadsItsDeadlineToStopEarly() throws Exception {
    Topics topics =
        servedWithContext(
            "deadline-aware",
            (context, value) ->
                done(
                    context.isExpired()
                        ? "expired"
                        : context.remaining().compareTo(Duration.ofSeconds(5)) <= 0
                            ? "within 5 s"
                            : "more than 5 s left"));
    PulsarRpcClient<String, String> client = client(topics);

    String reply =
        client.request("work", RequestOptions.defaults().withTimeout(Duration.ofSeconds(5)));

    assertThat(reply).isEqualTo("within 5 s");
  }

  @Test
  public void aCallWithoutMetadataGivesTheHandlerEmptyMetadata() throws Exception {
    Topics topics =
        servedWithContext("plain", (context, value) -> done("metadata " + context.metadata()));
    PulsarRpcClient<String, String> client = client(topics);

    assertThat(client.request("plain-1", "x")).isEqualTo("metadata {}");
  }

  // ---------------------------------------------------------------- interceptors

  @Test
  public void interceptorsRunInTheOrderTheyWereRegistered() throws Exception {
    Topics topics = topics();
    Queue<String> steps = new ConcurrentLinkedQueue<>();
    start(
        serverBuilder(topics.request, "ordered")
            .intercept(recordingServerInterceptor(steps, "server-1"))
            .intercept(recordingServerInterceptor(steps, "server-2")),
        (context, value) -> {
          steps.add("handler");
          return done("ok");
        });
    PulsarRpcClient<String, String> client =
        client(
            topics,
            "client",
            builder ->
                builder
                    .intercept(recordingClientInterceptor(steps, "client-1"))
                    .intercept(recordingClientInterceptor(steps, "client-2")));

    assertThat(client.request("ordered-1", "x")).isEqualTo("ok");

    assertThat(steps)
        .containsExactly(
            "client-1 out",
            "client-2 out",
            "server-1 in",
            "server-2 in",
            "handler",
            "server-2 back",
            "server-1 back",
            "client-2 back",
            "client-1 back");
  }

  @Test
  public void aClientInterceptorCanAnswerWithoutSendingAnything() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    Topics topics = served("counted", value -> count(handled, "from the server"));
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new ClientInterceptor() {
              @Override
              @SuppressWarnings("unchecked")
              public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
                return chain.call().value().equals("cached")
                    ? (CompletableFuture<V>) done("from the cache")
                    : chain.proceed(chain.call());
              }
            });

    assertThat(client.request("cache-1", "cached")).isEqualTo("from the cache");
    assertThat(client.request("cache-2", "fresh")).isEqualTo("from the server");
    assertThat(handled).hasValue(1);
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void aClientInterceptorAddsMetadataThatTheServerSees() throws Exception {
    Topics topics =
        servedWithContext(
            "tenanted",
            (context, value) -> done(value + " for " + context.metadata().get("tenant")));
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new ClientInterceptor() {
              @Override
              public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
                return chain.proceed(chain.call().withMetadata("tenant", "acme"));
              }
            });

    assertThat(client.request("tenant-1", "report")).isEqualTo("report for acme");
  }

  @Test
  public void aClientInterceptorCanMapAnErrorToAFallback() throws Exception {
    Topics topics =
        served(
            "missing",
            value -> {
              throw new RpcException(ErrorCode.NOT_FOUND, "no " + value);
            });
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new ClientInterceptor() {
              @Override
              @SuppressWarnings("unchecked")
              public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
                return chain
                    .proceed(chain.call())
                    .exceptionallyCompose(
                        failure ->
                            failure instanceof PulsarRpcClientException rpc
                                    && rpc.code() == ErrorCode.NOT_FOUND
                                ? (CompletableFuture<V>) done("fallback")
                                : CompletableFuture.failedFuture(failure));
              }
            });

    assertThat(client.request("fallback-1", "widget")).isEqualTo("fallback");
  }

  @Test
  public void aClientInterceptorThatThrowsFailsTheCallAndSendsNothing() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    Topics topics = served("counted", value -> count(handled, "sent"));
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new ClientInterceptor() {
              @Override
              public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
                throw new IllegalStateException("interceptor bug");
              }
            });

    assertThatThrownBy(() -> client.request("broken-1", "x"))
        .isInstanceOf(PulsarRpcClientException.class)
        .hasMessageContaining("interceptor bug")
        .satisfies(
            e -> assertThat(((PulsarRpcClientException) e).code()).isEqualTo(ErrorCode.INTERNAL));
    assertThat(client.pendingRequestSize()).isZero();
    assertThat(handled).hasValue(0);
  }

  @Test
  public void aServerInterceptorCanRefuseARequestBeforeTheHandlerRuns() throws Exception {
    Topics topics = topics();
    AtomicInteger handled = new AtomicInteger();
    start(
        serverBuilder(topics.request, "guarded")
            .intercept(
                new ServerInterceptor() {
                  @Override
                  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
                    String token = chain.context().metadata().get("auth");
                    if (!"letmein".equals(token)) {
                      return CompletableFuture.failedFuture(
                          new RpcException(ErrorCode.UNAUTHENTICATED, "no valid token"));
                    }
                    return chain.proceed(
                        chain.context().withMetadata(Map.of("principal", "alice")),
                        chain.request());
                  }
                }),
        (context, value) -> {
          handled.incrementAndGet();
          return done("hello " + context.metadata().get("principal"));
        });
    PulsarRpcClient<String, String> client = client(topics);

    assertThatThrownBy(() -> client.request("anonymous", "x"))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.UNAUTHENTICATED));
    assertThat(handled).hasValue(0);
    assertThat(client.request("x", RequestOptions.defaults().withMetadata("auth", "letmein")))
        .isEqualTo("hello alice");
  }

  @Test
  public void aServerInterceptorThatThrowsIsAnsweredAsAnInternalError() throws Exception {
    Topics topics = topics();
    start(
        serverBuilder(topics.request, "broken")
            .intercept(
                new ServerInterceptor() {
                  @Override
                  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
                    throw new IllegalStateException("server interceptor bug");
                  }
                }),
        (context, value) -> done("unreachable"));
    PulsarRpcClient<String, String> client = client(topics);

    assertThatThrownBy(() -> client.request("broken-server", "x"))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .hasMessageContaining("server interceptor bug")
        .satisfies(
            e -> assertThat(((PulsarRpcClientException) e).code()).isEqualTo(ErrorCode.INTERNAL));
  }

  @Test
  public void aRequestLargerThanTheServersMaximumIsRefusedWithoutRunningTheHandler()
      throws Exception {
    AtomicInteger handled = new AtomicInteger();
    Topics topics =
        served(
            "bounded-size", value -> count(handled, "ok"), builder -> builder.maxRequestSize(1024));
    PulsarRpcClient<String, String> client = client(topics);

    assertThatThrownBy(() -> client.request("huge", "x".repeat(4096)))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .hasMessageContaining("4096 bytes is larger than the server's maxRequestSize of 1024")
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(client.request("small", "x".repeat(1000))).isEqualTo("ok");
    assertThat(handled).hasValue(1);
  }

  @Test
  public void aClientBeyondItsPendingBoundRefusesCallsAsResourceExhausted() throws Exception {
    assumeDurable("the calls held pending must wait for a server that never comes");
    Topics topics = topics();
    PulsarRpcClient<String, String> client =
        client(topics, "bounded-client", builder -> builder.maxPendingRequests(2));
    client.requestAsync("held-1", "x");
    CompletableFuture<String> duplicate = client.requestAsync("held-1", "x");
    client.requestAsync("held-2", "x");

    CompletableFuture<String> refused = client.requestAsync("refused", "x");

    assertThatThrownBy(() -> refused.get(30, SECONDS))
        .cause()
        .isInstanceOf(PulsarRpcClientException.TooManyPendingRequestsException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
    assertThatThrownBy(() -> duplicate.get(30, SECONDS))
        .cause()
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.ALREADY_EXISTS));
    assertThat(client.pendingRequestSize()).isEqualTo(2);
  }

  @Test
  public void aFloodBeyondThePendingBoundIsRefusedAtOnceAndNothingOfItIsSent() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    CompletableFuture<Void> slow = new CompletableFuture<>();
    Topics topics =
        served(
            "slow",
            value -> {
              handled.incrementAndGet();
              return slow.thenApply(open -> "done " + value);
            });
    AtomicInteger published = new AtomicInteger();
    PulsarRpcClient<String, String> client =
        client(
            topics,
            "flooding-client",
            builder ->
                builder
                    .maxPendingRequests(100)
                    .requestCallBack(
                        new RequestCallBack<>() {
                          @Override
                          public void onSendRequestSuccess(String id, MessageId messageId) {
                            published.incrementAndGet();
                          }
                        }));

    List<CompletableFuture<String>> calls = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 5_000; i++) {
      calls.add(client.requestAsync("flood-" + i, "v" + i));
    }
    double floodMillis = (System.nanoTime() - started) / 1e6;

    // Refused before requestAsync returned: failed already, each with resource_exhausted.
    Map<String, Long> refusals =
        calls.subList(100, calls.size()).stream()
            .collect(
                Collectors.groupingBy(
                    call ->
                        call.handle(
                                (reply, failure) ->
                                    failure instanceof PulsarRpcClientException refusal
                                        ? refusal.code().wireName()
                                        : "not refused: " + reply + " " + failure)
                            .getNow("not done"),
                    Collectors.counting()));
    assertThat(refusals).containsExactly(entry("resource_exhausted", 4_900L));
    List<CompletableFuture<String>> accepted = calls.subList(0, 100);
    assertThat(accepted).noneMatch(CompletableFuture::isDone);
    assertThat(client.pendingRequestSize()).isEqualTo(100);
    await().atMost(30, SECONDS).until(() -> handled.get() >= 100);

    slow.complete(null);
    for (int i = 0; i < accepted.size(); i++) {
      assertThat(accepted.get(i).get(30, SECONDS)).isEqualTo("done v" + i);
    }
    assertThat(client.request("after-flood", "again")).isEqualTo("done again");
    // The bus's receipt of a publish may reach the client after the reply does.
    await().atMost(30, SECONDS).until(() -> published.get() >= 101);
    assertThat(published).as("requests the bus accepted from the client").hasValue(101);
    assertThat(handled).as("requests that reached the server").hasValue(101);
    assertThat(client.pendingRequestSize()).isZero();
    System.out.printf(
        "Flood on %s: 5000 calls started in %.1f ms, refused %s, 100 answered, then one more;"
            + " %d published, the server handled %d%n",
        bus().name(), floodMillis, refusals, published.get(), handled.get());
  }

  // ---------------------------------------------------------------- deduplication

  @Test
  public void withoutDeduplicationARequestDeliveredAgainRunsAgain() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Topics topics = served("plain", value -> done("run " + runs.incrementAndGet()));
    PulsarRpcClient<String, String> client = client(topics);

    assertThat(client.request("twice", "job")).isEqualTo("run 1");
    assertThat(client.request("twice", "job")).isEqualTo("run 2");
  }

  @Test
  public void aRequestDeliveredAgainWithinTheWindowGetsTheRememberedReplyWithoutRunningAgain()
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Topics topics =
        served(
            "deduplicating",
            value -> done("run " + runs.incrementAndGet() + " of " + value),
            builder -> builder.deduplication(Duration.ofMinutes(1)));
    PulsarRpcClient<String, String> client = client(topics);

    assertThat(client.request("once", "job")).isEqualTo("run 1 of job");
    assertThat(client.request("once", "job")).isEqualTo("run 1 of job");
    assertThat(client.request("other", "job")).isEqualTo("run 2 of job");
    assertThat(runs).hasValue(2);
  }

  @Test
  public void anErrorReplyIsRememberedAndSentAgainWithItsCode() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Topics topics =
        served(
            "deduplicating",
            value -> {
              runs.incrementAndGet();
              return CompletableFuture.failedFuture(
                  new RpcException(ErrorCode.NOT_FOUND, "no " + value));
            },
            builder -> builder.deduplication(Duration.ofMinutes(1)));
    PulsarRpcClient<String, String> client = client(topics);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> client.request("missing", "thing"))
          .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
          .hasMessageContaining("no thing")
          .satisfies(
              e ->
                  assertThat(((PulsarRpcClientException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  public void aDuplicateArrivingWhileTheRequestRunsWaitsForItAndGetsTheSameReply()
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Topics topics =
        served(
            "deduplicating",
            value -> {
              int run = runs.incrementAndGet();
              return CompletableFuture.supplyAsync(
                  () -> {
                    awaitQuietly(release);
                    return "run " + run;
                  });
            },
            builder -> builder.deduplication(Duration.ofMinutes(1)));
    PulsarRpcClient<String, String> first = client(topics, "first", b -> b);
    PulsarRpcClient<String, String> second =
        client(new Topics(topics.request, newTopic("other-replies")), "second", b -> b);

    CompletableFuture<String> original = first.requestAsync("same", "job");
    await().atMost(30, SECONDS).until(() -> runs.get() == 1);
    CompletableFuture<String> duplicate = second.requestAsync("same", "job");
    // The duplicate reaches the server and waits: the handler does not run a second time.
    await().during(Duration.ofSeconds(1)).atMost(30, SECONDS).until(() -> runs.get() == 1);
    release.countDown();

    assertThat(original.get(30, SECONDS)).isEqualTo("run 1");
    assertThat(duplicate.get(30, SECONDS)).isEqualTo("run 1");
    assertThat(runs).hasValue(1);
  }

  @Test
  public void serversSharingAStoreAnswerEachOthersDuplicates() throws Exception {
    Topics topics = topics();
    AtomicInteger runs = new AtomicInteger();
    DeduplicationStore shared = track(DeduplicationStore.inMemory(100));
    for (int i = 0; i < 2; i++) {
      server(
          topics.request,
          "deduplicating",
          value -> done("run " + runs.incrementAndGet()),
          builder -> builder.deduplication(Duration.ofMinutes(1), shared));
    }
    PulsarRpcClient<String, String> client = client(topics);

    for (int attempt = 0; attempt < 10; attempt++) {
      assertThat(client.request("shared", "job")).isEqualTo("run 1");
    }
    assertThat(runs).hasValue(1);
  }

  // ---------------------------------------------------------------- deadlines

  @Test
  public void aRequestWhoseDeadlinePassedBeforeItArrivedIsAcknowledgedWithoutCallingTheHandler()
      throws Exception {
    assumeDurable("the request must wait, unserved, until its deadline passed");
    Topics topics = topics();
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    Function<String, CompletableFuture<String>> recording =
        value -> {
          handled.add(value);
          return done("ok");
        };
    // Create the subscription, then leave it without a server while the request expires.
    server(topics.request, "late-server", recording).close();
    PulsarRpcClient<String, String> client = client(topics);
    CompletableFuture<String> expired =
        client.requestAsync("stale", RequestOptions.defaults().withTimeout(Duration.ofMillis(300)));
    assertThatThrownBy(() -> expired.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    // The server counts the deadline from the publish time, a moment after the client started
    // counting: let that moment pass too, or under load the request may still be in time.
    TimeUnit.MILLISECONDS.sleep(200);

    server(topics.request, "late-server", recording, builder -> builder.maxConcurrentRequests(1));
    assertThat(client.request("fresh")).isEqualTo("ok");

    assertThat(handled).containsExactly("fresh");
  }

  @Test
  public void aHandlerWhoseFutureCompletesAfterTheDeadlineIsRolledBackAndSendsNoReply()
      throws Exception {
    assertLateWorkIsRolledBack(
        value ->
            CompletableFuture.supplyAsync(
                () -> "too late", CompletableFuture.delayedExecutor(3, SECONDS)));
  }

  @Test
  public void aHandlerThatBlocksPastTheDeadlineIsRolledBackAndSendsNoReply() throws Exception {
    assertLateWorkIsRolledBack(
        value -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return done("too late");
        });
  }

  private void assertLateWorkIsRolledBack(Function<String, CompletableFuture<String>> slow)
      throws Exception {
    Queue<String> rolledBack = new ConcurrentLinkedQueue<>();
    Topics topics =
        served(
            "slow",
            value -> value.equals("probe") ? done("probe answered") : slow.apply(value),
            (id, value) -> rolledBack.add(id + "=" + value),
            builder -> builder);
    List<String> repliesSeen = new CopyOnWriteArrayList<>();
    PulsarRpcClient<String, String> client =
        client(
            topics,
            "client",
            onReplySuccess(
                (id, sub, value, f) -> {
                  repliesSeen.add(id);
                  f.complete(value);
                }));

    CompletableFuture<String> late =
        client.requestAsync(
            "job",
            RequestOptions.defaults()
                .withCorrelationId("late-1")
                .withTimeout(Duration.ofMillis(1500)));

    assertThatThrownBy(() -> late.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    await().atMost(30, SECONDS).until(() -> rolledBack.contains("late-1=job"));
    assertThat(client.request("probe-1", "probe")).isEqualTo("probe answered");
    assertThat(repliesSeen).containsExactly("probe-1");
  }

  @Test
  public void theClientFailsACallAtItsDeadlineAndCallsOnTimeoutOnce() throws Exception {
    assumeDurable("the call must wait for a server that never comes until its deadline");
    Topics topics = topics();
    Queue<String> timedOut = new ConcurrentLinkedQueue<>();
    PulsarRpcClient<String, String> client =
        client(
            topics,
            "client",
            builder ->
                builder
                    .replyTimeout(Duration.ofMillis(400))
                    .requestCallBack(
                        new RequestCallBack<>() {
                          @Override
                          public void onTimeout(String id, Throwable timeout) {
                            timedOut.add(id + ":" + timeout.getClass().getSimpleName());
                          }
                        }));
    long start = System.nanoTime();

    CompletableFuture<String> call = client.requestAsync("nobody-home", "hello?");

    assertThatThrownBy(() -> call.get(30, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class)
        .hasMessageContaining("nobody-home")
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e.getCause()).code())
                    .isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(timedOut).containsExactly("nobody-home:TimeoutException");
    assertThat(client.pendingRequestSize()).isZero();
  }

  // ---------------------------------------------------------------- errors

  @Test
  public void aHandlerThatThrowsGivesTheClientTheServersMessage() throws Exception {
    Topics topics =
        served(
            "thrower",
            value -> {
              throw new IllegalStateException("no stock for " + value);
            });
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    PulsarRpcClient<String, String> client = client(topics, "client", recordingErrors(errors));

    assertThatThrownBy(() -> client.request("order-1", "widget"))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .satisfies(
            e -> {
              PulsarRpcClientException.ReplyErrorException error =
                  (PulsarRpcClientException.ReplyErrorException) e;
              assertThat(error.errorMessage()).isEqualTo("no stock for widget");
              assertThat(error.serverSubscription()).isEqualTo("thrower");
              assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL);
            });
    assertThat(errors).containsExactly("order-1|thrower|no stock for widget");
  }

  @Test
  public void aTypedFailureReachesTheCallerWithItsCodeMessageAndDetails() throws Exception {
    Topics topics =
        served(
            "orders",
            value -> {
              throw new RpcException(
                  ErrorCode.NOT_FOUND, "no order " + value, Map.of("order", value, "shard", "3"));
            });
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new RequestCallBack<>() {
              @Override
              public void onReplyError(
                  String id,
                  String sub,
                  PulsarRpcClientException.ReplyErrorException error,
                  CompletableFuture<String> future) {
                seen.add(id + "|" + error.code());
                RequestCallBack.super.onReplyError(id, sub, error, future);
              }
            });

    assertThatThrownBy(() -> client.request("lookup-7", "7"))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .satisfies(
            e -> {
              PulsarRpcClientException.ReplyErrorException error =
                  (PulsarRpcClientException.ReplyErrorException) e;
              assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(error.code().isRetryable()).isFalse();
              assertThat(error.errorMessage()).isEqualTo("no order 7");
              assertThat(error.details()).containsOnly(entry("order", "7"), entry("shard", "3"));
            });
    assertThat(seen).containsExactly("lookup-7|NOT_FOUND");
  }

  @Test
  public void aFutureFailedWithATypedFailureKeepsItsCode() throws Exception {
    Topics topics =
        served(
            "busy",
            value ->
                CompletableFuture.failedFuture(
                    new RpcException(ErrorCode.UNAVAILABLE, "warehouse offline")));
    PulsarRpcClient<String, String> client = client(topics);

    CompletableFuture<String> call = client.requestAsync("stock-1", "x");

    assertThatThrownBy(() -> call.get(30, SECONDS))
        .cause()
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .satisfies(
            e -> {
              PulsarRpcClientException error = (PulsarRpcClientException) e;
              assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(error.code().isRetryable()).isTrue();
            })
        .hasMessageContaining("warehouse offline");
  }

  @Test
  public void aHandlerWhoseFutureFailsGivesTheClientTheServersMessage() throws Exception {
    Topics topics =
        served(
            "failer",
            value -> CompletableFuture.failedFuture(new IllegalArgumentException("bad " + value)));
    PulsarRpcClient<String, String> client = client(topics);

    assertThatThrownBy(() -> client.request("order-2", "input"))
        .isInstanceOf(PulsarRpcClientException.ReplyErrorException.class)
        .hasMessageContaining("bad input");
  }

  @Test
  public void anUndecodableRequestIsAnsweredWithAnErrorAndTheServerKeepsServing() throws Exception {
    String requestTopic = newTopic("numbers");
    String replyTopic = newTopic("numbers-replies");
    PulsarRpcServer<Long, String> server =
        track(
            PulsarRpcServer.builder(Schema.INT64, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("doubler")
                .build(bus(), n -> done("twice " + (2 * n)), (id, n) -> {}));
    BusConsumer<String> replies = rawConsumer(replyTopic, Schema.STRING);
    BusProducer<byte[]> junk = rawProducer(requestTopic, Schema.BYTES);

    junk.send(
            OutgoingMessage.of(
                "junk-1",
                new byte[] {1, 2, 3},
                Map.of(
                    WireProperties.REPLY_TOPIC,
                    replyTopic,
                    WireProperties.REQUEST_TIMEOUT_IN_MILLIS,
                    "30000")))
        .get(30, SECONDS);

    IncomingMessage<String> error = replies.receive().get(30, SECONDS);
    assertThat(error.key()).isEqualTo("junk-1");
    assertThat(error.properties())
        .containsEntry(WireProperties.SERVER_SUB, server.subscription())
        .hasEntrySatisfying(
            WireProperties.ERROR_MESSAGE,
            message -> assertThat(message).startsWith("malformed request: cannot decode"))
        .containsEntry(WireProperties.ERROR_CODE, ErrorCode.MALFORMED_REQUEST.wireName());
    error.acknowledge();

    PulsarRpcClient<Long, String> client =
        track(
            PulsarRpcClient.builder(Schema.INT64, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(newTopic("numbers-client-replies"))
                .replySubscription("client")
                .build(bus()));
    assertThat(client.request("n-21", 21L)).isEqualTo("twice 42");
  }

  @Test
  public void aMessageWithoutTheRpcPropertiesIsAcknowledgedAndTheServerKeepsServing()
      throws Exception {
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    Topics topics =
        served(
            "strict",
            value -> {
              handled.add(value);
              return done("ok");
            },
            builder -> builder.maxConcurrentRequests(1));
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    PulsarRpcClient<String, String> client = client(topics, "client", recordingErrors(errors));
    BusProducer<String> foreign = rawProducer(topics.request, Schema.STRING);
    foreign.send(OutgoingMessage.of("stray", "not an rpc", Map.of())).get(30, SECONDS);
    foreign
        .send(OutgoingMessage.of(null, "no key", Map.of(WireProperties.REPLY_TOPIC, topics.reply)))
        .get(30, SECONDS);
    foreign
        .send(
            OutgoingMessage.of(
                "bad-timeout",
                "garbage timeout",
                Map.of(
                    WireProperties.REPLY_TOPIC,
                    topics.reply,
                    WireProperties.REQUEST_TIMEOUT_IN_MILLIS,
                    "abc")))
        .get(30, SECONDS);

    assertThat(client.request("valid", "valid")).isEqualTo("ok");

    assertThat(handled).containsExactly("valid");
    await()
        .atMost(30, SECONDS)
        .untilAsserted(
            () ->
                assertThat(errors)
                    .anySatisfy(
                        error ->
                            assertThat(error)
                                .startsWith("bad-timeout|strict|malformed request:")
                                .contains("requestTimeoutInMillis is not a whole number")));
  }

  // ---------------------------------------------------------------- reply producers

  @Test
  public void replyProducersAreClosedWhenIdleAndOnShutdown() throws Exception {
    Topics topics = topics();
    ProducerCountingBus counting = new ProducerCountingBus(bus());
    PulsarRpcServer<String, String> idle =
        track(
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topics.request)
                .requestSubscription("idle")
                // Long enough that a loaded machine reads the count before the producer idles out.
                .replyProducerIdleTimeout(Duration.ofSeconds(2))
                .build(counting, value -> done("ok"), (id, value) -> {}));
    PulsarRpcClient<String, String> client = client(topics);

    assertThat(client.request("first", "x")).isEqualTo("ok");
    await().atMost(30, SECONDS).until(() -> counting.openProducers() == 0);
    assertThat(client.request("second", "x")).isEqualTo("ok");
    assertThat(counting.openProducers()).isEqualTo(1);

    idle.close();
    assertThat(counting.openProducers()).isZero();
  }

  @Test
  public void aReplyTopicOutsideTheAllowListIsRefusedAndNothingIsPublishedThere() throws Exception {
    String requestTopic = newTopic("guarded");
    String allowedReplies = newTopic("allowed-replies");
    String forbiddenReplies = newTopic("forbidden-replies");
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    server(
        requestTopic,
        "guard",
        value -> {
          handled.add(value);
          return done("ok");
        },
        builder ->
            builder
                .maxConcurrentRequests(1)
                .replyTopicAllowList(Pattern.compile(Pattern.quote(allowedReplies))));
    BusConsumer<String> forbiddenProbe = rawConsumer(forbiddenReplies, Schema.STRING);
    CompletableFuture<IncomingMessage<String>> leaked = forbiddenProbe.receive();
    PulsarRpcClient<String, String> intruder =
        client(
            new Topics(requestTopic, forbiddenReplies),
            "intruder",
            builder -> builder.replyTimeout(Duration.ofSeconds(2)));
    PulsarRpcClient<String, String> honest =
        client(new Topics(requestTopic, allowedReplies), "honest", b -> b);

    CompletableFuture<String> refused = intruder.requestAsync("sneaky", "sneaky");
    assertThatThrownBy(() -> refused.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    assertThat(honest.request("honest", "honest")).isEqualTo("ok");

    assertThat(handled).containsExactly("honest");
    assertThat(leaked).isNotDone();
  }

  // ---------------------------------------------------------------- reply topics pattern

  @Test
  public void aClientWithAReplyTopicsPatternReceivesRepliesOnEveryMatchingTopic() throws Exception {
    if (!bus().supportsTopicPatterns()) {
      assertThatThrownBy(
              () ->
                  client(
                      topics(),
                      "pattern-client",
                      builder -> builder.replyTopicsPattern(Pattern.compile("replies-.*"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bus().name() + " bus does not support patterns");
      return;
    }
    String base = newTopic("pattern");
    String requestTopic = base + "-requests";
    String replyTopicA = base + "-replies-a";
    String replyTopicB = base + "-replies-b";
    PulsarRpcServer<String, String> server =
        server(requestTopic, "echo", value -> done("re:" + value));
    PulsarRpcClient<String, String> client =
        client(
            new Topics(requestTopic, replyTopicA),
            "pattern-client",
            builder ->
                builder
                    // Pulsar reads the namespace from the pattern's literal prefix: no quoting.
                    .replyTopicsPattern(Pattern.compile(base + "-replies-.*"))
                    .patternAutoDiscoveryInterval(Duration.ofSeconds(1)));

    assertThat(client.request("direct", "a")).isEqualTo("re:a");
    server.close();

    // With no server left, only a reply on another matching topic can answer this call.
    CompletableFuture<String> routed =
        client.requestAsync(
            "x",
            RequestOptions.defaults()
                .withCorrelationId("routed")
                .withTimeout(Duration.ofSeconds(60)));
    BusProducer<String> otherRoute = rawProducer(replyTopicB, Schema.STRING);
    otherRoute
        .send(OutgoingMessage.of("routed", "via b", Map.of(WireProperties.SERVER_SUB, "elsewhere")))
        .get(30, SECONDS);

    assertThat(routed.get(60, SECONDS)).isEqualTo("via b");
  }

  // ---------------------------------------------------------------- close

  @Test
  public void closingTheClientFailsPendingCallsAndLaterCallsFailAtOnce() throws Exception {
    assumeDurable("the call held pending must wait for a server that never comes");
    Topics topics = topics();
    PulsarRpcClient<String, String> client = client(topics);
    CompletableFuture<String> pending = client.requestAsync("unanswered", "x");

    client.close();

    assertThatThrownBy(() -> pending.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.ClientClosedException.class)
        .hasMessageContaining("closed")
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e.getCause()).code())
                    .isEqualTo(ErrorCode.CANCELED));
    assertThat(client.pendingRequestSize()).isZero();
    CompletableFuture<String> afterClose = client.requestAsync("too-late", "x");
    assertThat(afterClose).isCompletedExceptionally();
    assertThatThrownBy(() -> client.request("too-late-sync", "x"))
        .isInstanceOf(PulsarRpcClientException.ClientClosedException.class);
  }

  @Test
  public void closingTheServerLetsRequestsInFlightFinishAndTakesNoMore() throws Exception {
    assumeDurable("a request sent after the server closed must wait until its deadline");
    Topics topics = topics();
    CountDownLatch started = new CountDownLatch(1);
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    PulsarRpcServer<String, String> server =
        server(
            topics.request,
            "graceful",
            value -> {
              handled.add(value);
              started.countDown();
              return CompletableFuture.supplyAsync(
                  () -> "finished " + value,
                  CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
            });
    PulsarRpcClient<String, String> client = client(topics);
    CompletableFuture<String> inFlight = client.requestAsync("in-flight", "first");
    assertThat(started.await(30, SECONDS)).isTrue();

    CompletableFuture<Void> closed = server.closeAsync();

    assertThat(inFlight.get(30, SECONDS)).isEqualTo("finished first");
    closed.get(30, SECONDS);
    CompletableFuture<String> afterClose =
        client.requestAsync("after", RequestOptions.defaults().withTimeout(Duration.ofSeconds(1)));
    assertThatThrownBy(() -> afterClose.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    assertThat(handled).containsExactly("first");
  }

  // ---------------------------------------------------------------- scheduled calls

  @Test
  public void aScheduledCallRunsNoEarlierThanItsTimeAndTheReplyEchoesIt() throws Exception {
    assumeDelayedDelivery();
    Map<String, Long> handledAt = new ConcurrentHashMap<>();
    Topics topics =
        served(
            "scheduler",
            value -> {
              handledAt.put(value, System.currentTimeMillis());
              return done("ran " + value);
            });
    PulsarRpcClient<String, String> client = client(topics);
    BusConsumer<String> replyObserver = rawConsumer(topics.reply, Schema.STRING);
    long deliverAt = System.currentTimeMillis() + 2000;

    CompletableFuture<String> scheduled = client.requestAtAsync("at-1", "job", deliverAt);

    assertThat(scheduled.get(60, SECONDS)).isEqualTo("ran job");
    assertThat(handledAt.get("job")).isGreaterThanOrEqualTo(deliverAt);
    IncomingMessage<String> reply = replyObserver.receive().get(30, SECONDS);
    assertThat(reply.key()).isEqualTo("at-1");
    assertThat(reply.properties())
        .containsEntry(WireProperties.DELIVER_AT, Long.toString(deliverAt));
  }

  @Test
  public void deadlinesOfScheduledCallsCountFromTheirDeliveryTime() throws Exception {
    assumeDelayedDelivery();
    Topics topics = served("scheduler", value -> done("ran " + value));
    PulsarRpcClient<String, String> client =
        client(topics, "client", builder -> builder.replyTimeout(Duration.ofSeconds(2)));

    // Its publish time plus the timeout has long passed when it is delivered; it still runs.
    CompletableFuture<String> scheduled =
        client.requestAfterAsync("after-1", "late but fine", 4, SECONDS);

    assertThat(scheduled.get(60, SECONDS)).isEqualTo("ran late but fine");
  }

  @Test
  public void aScheduledCallsContextCarriesItsDeliveryTime() throws Exception {
    assumeDelayedDelivery();
    CompletableFuture<RequestContext> seen = new CompletableFuture<>();
    Topics topics =
        servedWithContext(
            "scheduled-context",
            (context, value) -> {
              seen.complete(context);
              return done("ran");
            });
    PulsarRpcClient<String, String> client = client(topics);
    long deliverAt = System.currentTimeMillis() + 1500;

    assertThat(client.requestAtAsync("at-ctx", "x", deliverAt).get(60, SECONDS)).isEqualTo("ran");

    RequestContext context = seen.get(30, SECONDS);
    assertThat(context.scheduledTime()).contains(java.time.Instant.ofEpochMilli(deliverAt));
    assertThat(context.deadline().toEpochMilli()).isGreaterThan(deliverAt);
  }

  @Test
  public void aScheduledCallTimesOutAtItsDeliveryTimePlusTheTimeout() throws Exception {
    assumeDelayedDelivery();
    Topics topics = topics();
    PulsarRpcClient<String, String> client =
        client(topics, "client", builder -> builder.replyTimeout(Duration.ofMillis(500)));
    long start = System.currentTimeMillis();

    CompletableFuture<String> scheduled = client.requestAfterAsync("unanswered", "x", 2, SECONDS);

    assertThatThrownBy(() -> scheduled.get(60, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(2500);
  }

  @Test
  public void aScheduledCallCarriesItsOptionsTimeoutAndMetadata() throws Exception {
    assumeDelayedDelivery();
    CompletableFuture<RequestContext> seen = new CompletableFuture<>();
    Topics topics =
        servedWithContext(
            "scheduled-options",
            (context, value) -> {
              seen.complete(context);
              return done(context.metadata().get("tenant") + ":" + value);
            });
    PulsarRpcClient<String, String> client = client(topics);
    long deliverAt = System.currentTimeMillis() + 1500;
    RequestOptions options =
        RequestOptions.defaults()
            .withCorrelationId("at-options")
            .withTimeout(Duration.ofSeconds(40))
            .withMetadata("tenant", "acme");

    assertThat(client.requestAtAsync("job", options, deliverAt).get(60, SECONDS))
        .isEqualTo("acme:job");

    RequestContext context = seen.get(30, SECONDS);
    assertThat(context.correlationId()).isEqualTo("at-options");
    assertThat(context.scheduledTime()).contains(java.time.Instant.ofEpochMilli(deliverAt));
    assertThat(context.deadline().toEpochMilli()).isEqualTo(deliverAt + 40_000);
  }

  @Test
  public void aCallScheduledAfterADelayTimesOutAtItsOwnTimeout() throws Exception {
    assumeDelayedDelivery();
    Topics topics = topics();
    PulsarRpcClient<String, String> client =
        client(topics, "client", builder -> builder.replyTimeout(Duration.ofMinutes(5)));
    long start = System.currentTimeMillis();

    CompletableFuture<String> scheduled =
        client.requestAfterAsync(
            "x", RequestOptions.defaults().withTimeout(Duration.ofMillis(500)), 1, SECONDS);

    assertThatThrownBy(() -> scheduled.get(60, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.TimeoutException.class);
    assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(1500);
  }

  @Test
  public void aScheduledCallRefusesOptionsThatWaitForAClaim() throws Exception {
    PulsarRpcClient<String, String> client = client(topics());
    long deliverAt = System.currentTimeMillis() + 60_000;

    assertThatThrownBy(
            () ->
                client.requestAtAsync(
                    "x", RequestOptions.defaults().withClaimRequired(), deliverAt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claim");
    assertThatThrownBy(
            () ->
                client.requestAfterAsync(
                    "x", RequestOptions.defaults().withTopic("eu-west"), 1, SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claim");
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void nullRequestOptionsAreAnIllegalArgumentForEveryKindOfCall() throws Exception {
    PulsarRpcClient<String, String> client = client(topics());
    RequestOptions none = null;
    List<ThrowingCallable> calls =
        List.of(
            () -> client.request("x", none),
            () -> client.requestAsync("x", none),
            () -> client.requestAll("x", none),
            () -> client.requestAllAsync("x", none),
            () -> client.requestAllAsync("x", none, response -> {}),
            () -> client.requestAtAsync("x", none, System.currentTimeMillis() + 60_000),
            () -> client.requestAfterAsync("x", none, 1, SECONDS));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("options must not be null");
    }
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void aReplyToARemovedScheduledCallStillReachesTheCallbackAndIsAcknowledged()
      throws Exception {
    assumeDelayedDelivery();
    Topics topics = served("scheduler", value -> done("ran " + value));
    Map<String, String> untracked = new ConcurrentHashMap<>();
    PulsarRpcClient<String, String> client = client(topics, "client", recordingReplies(untracked));

    CompletableFuture<String> forgotten = client.requestAfterAsync("removed-1", "job", 1, SECONDS);
    client.removeRequest("removed-1");

    assertThat(client.pendingRequestSize()).isZero();
    await().atMost(30, SECONDS).until(() -> untracked.containsKey("removed-1"));
    assertThat(untracked).containsEntry("removed-1", "ran job");
    assertThat(forgotten).isNotDone();
  }

  @Test
  public void
      aClientRestartedOnTheSameReplySubscriptionGetsTheScheduledAndLateRepliesOfItsEarlierRun()
          throws Exception {
    assumeDelayedDelivery();
    Set<String> started = ConcurrentHashMap.newKeySet();
    Topics topics =
        served(
            "scheduler",
            value ->
                started.add(value) && value.startsWith("slow")
                    ? CompletableFuture.supplyAsync(
                        () -> "ran " + value,
                        CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS))
                    : done("ran " + value));
    PulsarRpcClient<String, String> first = client(topics, "restartable", b -> b);
    CompletableFuture<String> beforeRestart =
        first.requestAfterAsync("before-restart", "job", 2, SECONDS);
    CompletableFuture<String> late = first.requestAsync("late", "slow job");
    // Its reply comes after the restart: the handler takes 1.5 s once it started.
    await().atMost(30, SECONDS).until(() -> started.contains("slow job"));
    first.close();
    assertThat(beforeRestart).isCompletedExceptionally();
    assertThat(late).isCompletedExceptionally();

    Map<String, String> received = new ConcurrentHashMap<>();
    client(
        topics,
        "restartable",
        onReplySuccess(
            (id, sub, value, f) -> {
              received.put(id, sub + ":" + value);
              f.complete(value);
            }));

    await().atMost(30, SECONDS).until(() -> received.size() == 2);
    assertThat(received)
        .containsEntry("before-restart", "scheduler:ran job")
        .containsEntry("late", "scheduler:ran slow job");
  }

  @Test
  public void scheduledAndImmediateCallsMixOnOneTopic() throws Exception {
    assumeDelayedDelivery();
    Topics topics = served("scheduler", value -> done("ran " + value));
    PulsarRpcClient<String, String> client = client(topics);

    CompletableFuture<String> later = client.requestAfterAsync("later", "later", 3, SECONDS);
    String now = client.request("now", "now");

    assertThat(now).isEqualTo("ran now");
    assertThat(later).isNotDone();
    assertThat(later.get(60, SECONDS)).isEqualTo("ran later");
  }

  @Test
  public void aThousandScheduledCallsAllCompleteOnceAndNoneEarly() throws Exception {
    assumeDelayedDelivery();
    Map<String, Long> deliverAtById = new ConcurrentHashMap<>();
    Map<String, Long> handledAtById = new ConcurrentHashMap<>();
    AtomicInteger handlerRuns = new AtomicInteger();
    Topics topics =
        served(
            "scheduler",
            id -> {
              handlerRuns.incrementAndGet();
              handledAtById.put(id, System.currentTimeMillis());
              return done(id);
            });
    PulsarRpcClient<String, String> client =
        client(topics, "client", builder -> builder.replyTimeout(Duration.ofSeconds(60)));
    java.util.Random random = new java.util.Random(42);
    long base = System.currentTimeMillis();

    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = "scheduled-" + i;
      long deliverAt = base + 1000 + random.nextInt(9000);
      deliverAtById.put(id, deliverAt);
      calls.add(client.requestAtAsync(id, id, deliverAt));
    }
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(90, SECONDS)).isEqualTo("scheduled-" + i);
    }

    assertThat(handlerRuns).hasValue(1000);
    long latest = 0;
    for (Map.Entry<String, Long> scheduled : deliverAtById.entrySet()) {
      long lateness = handledAtById.get(scheduled.getKey()) - scheduled.getValue();
      assertThat(lateness).as("ran early: %s", scheduled.getKey()).isNotNegative();
      latest = Math.max(latest, lateness);
    }
    // Delivery order follows deliverAt within how late the latest call ran.
    System.out.printf(
        "%s: 1000 scheduled calls, latest ran %d ms after its time%n", bus().name(), latest);
    assertThat(latest).isLessThan(10_000);
  }

  // ---------------------------------------------------------------- bus faults in the callback

  /**
   * A request value this bus refuses to publish on {@code topics.request()}, after arranging
   * whatever makes it refuse (a value over the bus's size limit, a key of the wrong type...); empty
   * where nothing makes the bus refuse a request, which skips the test. Default: empty.
   */
  protected Optional<String> aRequestTheBusRefuses(Topics topics) throws Exception {
    return Optional.empty();
  }

  @Test
  public void aRequestTheBusRefusesReachesOnSendRequestErrorAndFailsTheCall() throws Exception {
    Topics topics = served("refused", value -> done("answered"));
    Optional<String> refused = aRequestTheBusRefuses(topics);
    assumeTrue(refused.isPresent(), "nothing makes " + bus().name() + " refuse a request");
    Map<String, Throwable> sendErrors = new ConcurrentHashMap<>();
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new RequestCallBack<>() {
              @Override
              public void onSendRequestError(
                  String correlationId, Throwable failure, CompletableFuture<String> replyFuture) {
                sendErrors.put(correlationId, failure);
                RequestCallBack.super.onSendRequestError(correlationId, failure, replyFuture);
              }
            });

    CompletableFuture<String> call = client.requestAsync("refused-1", refused.get());

    assertThatThrownBy(() -> call.get(30, SECONDS))
        .hasCauseInstanceOf(PulsarRpcClientException.SendException.class);
    assertThat(sendErrors).containsOnlyKeys("refused-1");
    assertThat(sendErrors.get("refused-1")).isNotNull();
    assertThat(client.pendingRequestSize()).isZero();
  }

  @Test
  public void aReplyWhoseAcknowledgementFailsReachesOnReplyMessageAckFailed() throws Exception {
    Topics topics = served("acked", value -> done("reply to " + value));
    Map<String, Throwable> ackFailures = new ConcurrentHashMap<>();
    AtomicReference<PulsarRpcClient<String, String>> self = new AtomicReference<>();
    // The client closes itself while it handles the reply, so the acknowledgement that follows
    // meets a closed consumer.
    PulsarRpcClient<String, String> client =
        clientWith(
            topics,
            new RequestCallBack<>() {
              @Override
              public void onReplySuccess(
                  String correlationId,
                  String subscription,
                  String value,
                  CompletableFuture<String> replyFuture) {
                replyFuture.complete(value);
                self.get().closeAsync();
              }

              @Override
              public void onReplyMessageAckFailed(
                  String correlationId,
                  org.apache.pulsar.client.api.Consumer<String> consumer,
                  org.apache.pulsar.client.api.Message<String> message,
                  Throwable failure) {
                ackFailures.put(correlationId, failure);
              }
            });
    self.set(client);

    assertThat(client.requestAsync("acked-1", "ada").get(30, SECONDS)).isEqualTo("reply to ada");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(ackFailures).containsOnlyKeys("acked-1"));
    assertThat(ackFailures.get("acked-1")).isNotNull();
  }

  // ---------------------------------------------------------------- helpers

  /** A request topic and a reply topic. */
  /** Skips a behaviour that needs {@link MessageBus#isDurable()}, saying why it needs it. */
  private void assumeDurable(String why) {
    assumeTrue(
        bus().isDurable(), () -> bus().name() + " is not durable (isDurable() is false): " + why);
  }

  /**
   * Skips a scheduled-call behaviour on a bus without {@link MessageBus#supportsDelayedDelivery}.
   */
  private void assumeDelayedDelivery() {
    assumeTrue(
        bus().supportsDelayedDelivery(),
        () -> bus().name() + " has no delayed delivery (supportsDelayedDelivery() is false)");
  }

  protected record Topics(String request, String reply) {}

  /** New request and reply topics. */
  protected Topics topics() {
    return new Topics(newTopic("requests"), newTopic("replies"));
  }

  /** New topics with a server answering requests on them under {@code subscription}. */
  protected Topics served(String subscription, Function<String, CompletableFuture<String>> handler)
      throws Exception {
    return served(subscription, handler, builder -> builder);
  }

  /**
   * As {@link #served(String, Function)}, with the server's settings changed by {@code settings}.
   */
  protected Topics served(
      String subscription,
      Function<String, CompletableFuture<String>> handler,
      UnaryOperator<PulsarRpcServerBuilder<String, String>> settings)
      throws Exception {
    return served(subscription, handler, (id, value) -> {}, settings);
  }

  /** As {@link #served(String, Function, UnaryOperator)}, with a rollback function. */
  protected Topics served(
      String subscription,
      Function<String, CompletableFuture<String>> handler,
      BiConsumer<String, String> rollBack,
      UnaryOperator<PulsarRpcServerBuilder<String, String>> settings)
      throws Exception {
    Topics topics = topics();
    server(topics.request, subscription, handler, rollBack, settings);
    return topics;
  }

  protected PulsarRpcServer<String, String> server(
      String requestTopic, String subscription, Function<String, CompletableFuture<String>> fn)
      throws Exception {
    return server(requestTopic, subscription, fn, b -> b);
  }

  protected PulsarRpcServer<String, String> server(
      String requestTopic,
      String subscription,
      Function<String, CompletableFuture<String>> fn,
      UnaryOperator<PulsarRpcServerBuilder<String, String>> settings)
      throws Exception {
    return server(requestTopic, subscription, fn, (id, value) -> {}, settings);
  }

  protected PulsarRpcServer<String, String> server(
      String requestTopic,
      String subscription,
      Function<String, CompletableFuture<String>> fn,
      BiConsumer<String, String> rollBack,
      UnaryOperator<PulsarRpcServerBuilder<String, String>> settings)
      throws Exception {
    return track(
        settings.apply(serverBuilder(requestTopic, subscription)).build(bus(), fn, rollBack));
  }

  /** A client of {@link #topics()} on subscription "client" with one interceptor. */
  protected PulsarRpcClient<String, String> clientWith(Topics topics, ClientInterceptor interceptor)
      throws Exception {
    return client(topics, "client", builder -> builder.intercept(interceptor));
  }

  /** A client of {@link #topics()} on subscription "client" with one request callback. */
  protected PulsarRpcClient<String, String> clientWith(
      Topics topics, RequestCallBack<String> callBack) throws Exception {
    return client(topics, "client", withCallBack(callBack));
  }

  /** New topics with a server whose handler receives each request's context; no rollback. */
  protected Topics servedWithContext(String subscription, RequestHandler<String, String> handler)
      throws Exception {
    Topics topics = topics();
    contextServer(topics.request, subscription, handler);
    return topics;
  }

  /** A server whose handler receives each request's context; no rollback. */
  protected PulsarRpcServer<String, String> contextServer(
      String requestTopic, String subscription, RequestHandler<String, String> handler)
      throws Exception {
    return start(serverBuilder(requestTopic, subscription), handler);
  }

  /**
   * A builder of a server of strings on {@code requestTopic} under {@code subscription}, with a 10
   * s shutdown grace period; {@link #start} builds it on the bus under test.
   */
  protected PulsarRpcServerBuilder<String, String> serverBuilder(
      String requestTopic, String subscription) {
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription(subscription)
        .shutdownGracePeriod(Duration.ofSeconds(10));
  }

  /** Builds the server on the bus under test, without rollback, and closes it after the test. */
  protected PulsarRpcServer<String, String> start(
      PulsarRpcServerBuilder<String, String> builder, RequestHandler<String, String> handler)
      throws Exception {
    return track(builder.build(bus(), handler, (id, value) -> {}));
  }

  /** A client of {@code topics} on reply subscription "client", with a 30 s timeout. */
  protected PulsarRpcClient<String, String> client(Topics topics) throws Exception {
    return client(topics, "client", builder -> builder);
  }

  /**
   * A client of {@code topics} on {@code replySubscription}, with a 30 s timeout changed by {@code
   * settings}; closed after the test.
   */
  protected PulsarRpcClient<String, String> client(
      Topics topics,
      String replySubscription,
      UnaryOperator<PulsarRpcClientBuilder<String, String>> settings)
      throws Exception {
    PulsarRpcClientBuilder<String, String> builder =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(topics.request)
            .replyTopic(topics.reply)
            .replySubscription(replySubscription)
            .replyTimeout(Duration.ofSeconds(30));
    return track(settings.apply(builder).build(bus()));
  }

  protected <T> BusProducer<T> rawProducer(String topic, Schema<T> schema) throws Exception {
    BusProducer<T> producer = bus().createProducer(ProducerSpec.of(topic, schema)).get(30, SECONDS);
    track(() -> producer.closeAsync().get(30, SECONDS));
    return producer;
  }

  protected <T> BusConsumer<T> rawConsumer(String topic, Schema<T> schema) throws Exception {
    BusConsumer<T> consumer =
        bus()
            .subscribe(SubscriptionSpec.ofTopic(topic, "probe", SubscriptionMode.SHARED, schema))
            .get(30, SECONDS);
    track(() -> consumer.closeAsync().get(30, SECONDS));
    return consumer;
  }

  /** What a test does with each successful reply, in place of the default callback's. */
  interface ReplyListener {
    void onReply(String id, String subscription, String value, CompletableFuture<String> future);
  }

  static UnaryOperator<PulsarRpcClientBuilder<String, String>> onReplySuccess(
      ReplyListener listener) {
    return withCallBack(
        new RequestCallBack<>() {
          @Override
          public void onReplySuccess(
              String id, String sub, String value, CompletableFuture<String> f) {
            listener.onReply(id, sub, value, f);
          }
        });
  }

  /** Client settings that record each reply's value by correlation id, then complete the call. */
  static UnaryOperator<PulsarRpcClientBuilder<String, String>> recordingReplies(
      Map<String, String> repliesById) {
    return onReplySuccess(
        (id, sub, value, f) -> {
          repliesById.put(id, value);
          f.complete(value);
        });
  }

  static UnaryOperator<PulsarRpcClientBuilder<String, String>> counting(AtomicInteger replies) {
    return onReplySuccess(
        (id, sub, value, f) -> {
          replies.incrementAndGet();
          f.complete(value);
        });
  }

  static UnaryOperator<PulsarRpcClientBuilder<String, String>> recordingErrors(
      Queue<String> errors) {
    return withCallBack(
        new ProposalRequestCallBack<>() {
          @Override
          public void onReplyError(
              String id, String sub, String message, CompletableFuture<String> f) {
            errors.add(id + "|" + sub + "|" + message);
            ProposalRequestCallBack.super.onReplyError(id, sub, message, f);
          }
        });
  }

  /** Client settings that give the client {@code callBack}. */
  static UnaryOperator<PulsarRpcClientBuilder<String, String>> withCallBack(
      RequestCallBack<String> callBack) {
    return builder -> builder.requestCallBack(callBack);
  }

  static ClientInterceptor recordingClientInterceptor(Queue<String> steps, String name) {
    return new ClientInterceptor() {
      @Override
      public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
        steps.add(name + " out");
        return chain
            .proceed(chain.call())
            .whenComplete((reply, failure) -> steps.add(name + " back"));
      }
    };
  }

  static ServerInterceptor recordingServerInterceptor(Queue<String> steps, String name) {
    return new ServerInterceptor() {
      @Override
      public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
        steps.add(name + " in");
        return chain
            .proceed(chain.context(), chain.request())
            .whenComplete((reply, failure) -> steps.add(name + " back"));
      }
    };
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  protected static CompletableFuture<String> done(String value) {
    return CompletableFuture.completedFuture(value);
  }

  static CompletableFuture<String> count(AtomicInteger counter, String name) {
    counter.incrementAndGet();
    return done(name);
  }
}
