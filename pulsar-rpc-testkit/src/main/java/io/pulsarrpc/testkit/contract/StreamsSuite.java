package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.client.PulsarRpcStreamClientBuilder;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.server.PulsarRpcStreamServerBuilder;
import io.pulsarrpc.server.StreamHandler;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import io.pulsarrpc.stream.StreamOptions;
import io.pulsarrpc.stream.internal.StreamFrame;
import io.pulsarrpc.stream.internal.StreamFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of bidirectional streams ({@link PulsarRpcStreamClient}, {@link
 * PulsarRpcStreamServer}): written once and run against every bus, like {@link CallKindsSuite}. A
 * subclass says which bus and how to name topics.
 *
 * <p>Sections: {@code exchange...} (messages arrive once, in order; causes cross; resources are
 * released), {@code flow...} (sends complete when taken; at most a window in flight), {@code
 * open...} (exactly one server; no responders), {@code limits...} (deadlines, idle timeouts,
 * closing a client or server), {@code interceptors...}, {@code version...} (API version checks of
 * opens), and {@code hostile...}, where a scripted server writes frames by hand.
 */
public abstract class StreamsSuite extends BusSuite {

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final int MESSAGES = 10_000;

  private StreamWatchingBus watched;

  /** The bus of the test, watched for producers, consumers and data frames. */
  private StreamWatchingBus watched() {
    if (watched == null) {
      watched = new StreamWatchingBus(bus());
    }
    return watched;
  }

  // ---------------------------------------------------------------- exchange

  @Test
  public void exchangeOfTenThousandMessagesEachWayArrivesOnceInOrderAndReleasesEverything()
      throws Exception {
    String requestTopic = newTopic("streams-exchange");
    List<String> receivedByServer = new ArrayList<>();
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    PulsarRpcStreamServer<String, String> server =
        server(
            requestTopic,
            "workers",
            stream -> {
              serverStream.complete(stream);
              List<CompletableFuture<Void>> sends = new ArrayList<>();
              for (int i = 0; i < MESSAGES; i++) {
                sends.add(stream.sendAsync("to-client-" + i));
              }
              for (int i = 0; i < MESSAGES; i++) {
                receivedByServer.add(stream.receive());
              }
              CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            },
            UnaryOperator.identity());
    PulsarRpcStreamClient<String, String> client = client(requestTopic, UnaryOperator.identity());

    RpcStream<String, String> stream = client.open();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sends.add(stream.sendAsync("to-server-" + i));
    }
    List<String> receivedByClient = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      receivedByClient.add(stream.receiveAsync().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
        .succeedsWithin(PATIENCE);
    stream.closeAsync(new RpcException(ErrorCode.ABORTED, "enough for today")).join();

    assertThat(receivedByClient).containsExactlyElementsOf(numbered("to-client-"));
    StreamClosedException seenByServer =
        serverStream.get().whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(receivedByServer).containsExactlyElementsOf(numbered("to-server-"));
    assertThat(seenByServer.code()).isEqualTo(ErrorCode.ABORTED);
    assertThat(seenByServer.getMessage()).isEqualTo("enough for today");
    assertThat(seenByServer.closedByPeer()).isTrue();
    assertThat(stream.whenClosed().join().closedByPeer()).isFalse();
    await().atMost(PATIENCE).until(() -> client.openStreams() + server.openStreams() == 0);
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(watched().openProducers()).as("producers").isZero());

    client.close();
    server.close();
    assertThat(watched().openConsumers()).as("consumers").isZero();
  }

  @Test
  public void exchangeClosedByTheServerGivesTheClientTheServersCause() throws Exception {
    String requestTopic = newTopic("streams-server-closes");
    server(
        requestTopic,
        "workers",
        stream -> {
          stream.send("last words");
          stream.closeAsync(new RpcException(ErrorCode.FAILED_PRECONDITION, "no more"));
        },
        UnaryOperator.identity());
    RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open();

    assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("last words");
    StreamClosedException cause = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(cause.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(cause.getMessage()).isEqualTo("no more");
    assertThat(cause.closedByPeer()).isTrue();
    assertThat(stream.receiveAsync())
        .failsWithin(PATIENCE)
        .withThrowableOfType(Exception.class)
        .withCauseInstanceOf(StreamClosedException.class);
    assertThat(stream.sendAsync("too late")).isCompletedExceptionally();
  }

  @Test
  public void exchangeWithAHandlerThatThrowsClosesTheStreamWithInternal() throws Exception {
    String requestTopic = newTopic("streams-handler-throws");
    server(
        requestTopic,
        "workers",
        stream -> {
          throw new IllegalStateException("handler broke");
        },
        UnaryOperator.identity());
    RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open();

    StreamClosedException cause = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(cause.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(cause.getMessage()).isEqualTo("handler broke");
  }

  // ---------------------------------------------------------------- flow control

  @Test
  public void flowSendCompletesOnlyOnceThePeerTookTheMessage() throws Exception {
    String requestTopic = newTopic("streams-send-completes");
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    server(requestTopic, "workers", serverStream::complete, UnaryOperator.identity());
    RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open();

    CompletableFuture<Void> send = stream.sendAsync("hello");
    await().atMost(PATIENCE).until(() -> watched().dataFramesSent() == 1);
    RpcStream<String, String> server = serverStream.get();
    assertThat(send).as("sent, not yet taken").isNotDone();

    assertThat(server.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("hello");
    assertThat(send).succeedsWithin(PATIENCE);
  }

  @Test
  public void flowKeepsAtMostAWindowInFlightToAPeerThatDoesNotTake() throws Exception {
    String requestTopic = newTopic("streams-window");
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    server(requestTopic, "workers", serverStream::complete, builder -> builder.window(4));
    RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open();

    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(stream.sendAsync("m" + i));
    }
    await().atMost(PATIENCE).until(() -> watched().dataFramesSent() == 4);
    await()
        .during(Duration.ofMillis(500))
        .atMost(PATIENCE)
        .until(() -> watched().dataFramesSent() == 4);
    assertThat(sends).noneMatch(CompletableFuture::isDone);

    RpcStream<String, String> server = serverStream.get();
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      taken.add(server.receiveAsync().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(taken).containsExactlyElementsOf(numbered("m", 20));
    assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
        .succeedsWithin(PATIENCE);
    assertThat(watched().dataFramesSent()).isEqualTo(20);
  }

  // ---------------------------------------------------------------- open

  @Test
  public void openIsRunByExactlyOneServerWhenSeveralSubscriptionsGetIt() throws Exception {
    String requestTopic = newTopic("streams-one-server");
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<PulsarRpcStreamServer<String, String>> servers = new ArrayList<>();
    for (String subscription : List.of("red", "green", "blue")) {
      servers.add(
          server(
              requestTopic,
              subscription,
              stream -> {
                runs.computeIfAbsent(stream.streamId(), id -> new AtomicInteger())
                    .incrementAndGet();
                stream.send("served");
              },
              UnaryOperator.identity()));
    }
    PulsarRpcStreamClient<String, String> client = client(requestTopic, UnaryOperator.identity());

    for (int i = 0; i < 10; i++) {
      try (RpcStream<String, String> stream = client.open()) {
        assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("served");
      }
    }

    assertThat(runs).hasSize(10);
    assertThat(runs.values()).allMatch(count -> count.get() == 1);
    await()
        .atMost(PATIENCE)
        .until(() -> servers.stream().mapToInt(PulsarRpcStreamServer::openStreams).sum() == 0);
    assertThat(client.openStreams()).isZero();
  }

  @Test
  public void openWithoutAServerFailsWithNoRespondersWithinTheOpenTimeout() {
    String requestTopic = newTopic("streams-nobody");
    PulsarRpcStreamClient<String, String> client =
        client(requestTopic, builder -> builder.openTimeout(Duration.ofSeconds(1)));

    assertThat(client.openAsync())
        .failsWithin(PATIENCE)
        .withThrowableOfType(Exception.class)
        .havingCause()
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_RESPONDERS));
    assertThat(client.openStreams()).isZero();
  }

  @Test
  public void openWithATopicReachesOnlyServersThatRegisteredIt() throws Exception {
    String requestTopic = newTopic("streams-topics");
    PulsarRpcStreamServer<String, String> eu =
        server(requestTopic, "eu", stream -> stream.send("eu"), UnaryOperator.identity());
    server(requestTopic, "us", stream -> stream.send("us"), UnaryOperator.identity());
    eu.registerTopicAsync("eu").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    PulsarRpcStreamClient<String, String> client = client(requestTopic, UnaryOperator.identity());

    try (RpcStream<String, String> stream = client.open(StreamOptions.defaults().withTopic("eu"))) {
      assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("eu");
    }
    assertThat(eu.topics()).containsExactly("eu");
  }

  // ---------------------------------------------------------------- limits

  @Test
  public void limitsDeadlineClosesBothSidesWithDeadlineExceeded() throws Exception {
    String requestTopic = newTopic("streams-deadline");
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    server(requestTopic, "workers", serverStream::complete, UnaryOperator.identity());
    RpcStream<String, String> stream =
        client(requestTopic, UnaryOperator.identity())
            .open(StreamOptions.defaults().withDeadline(Duration.ofSeconds(2)));

    StreamClosedException client = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    StreamClosedException server =
        serverStream.get().whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(client.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(server.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  public void limitsIdleTimeoutClosesAQuietStreamWithDeadlineExceeded() throws Exception {
    String requestTopic = newTopic("streams-idle");
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    server(requestTopic, "workers", serverStream::complete, UnaryOperator.identity());
    RpcStream<String, String> stream =
        client(requestTopic, builder -> builder.heartbeatInterval(Duration.ofMillis(200)))
            .open(StreamOptions.defaults().withIdleTimeout(Duration.ofSeconds(1)));

    StreamClosedException client = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    StreamClosedException server =
        serverStream.get().whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(client.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(client.getMessage()).contains("idle");
    assertThat(server.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  public void limitsClosingTheClientClosesItsStreamsWithCanceledSeenByTheServer() throws Exception {
    String requestTopic = newTopic("streams-client-closes");
    CompletableFuture<RpcStream<String, String>> serverStream = new CompletableFuture<>();
    server(requestTopic, "workers", serverStream::complete, UnaryOperator.identity());
    PulsarRpcStreamClient<String, String> client = client(requestTopic, UnaryOperator.identity());
    RpcStream<String, String> stream = client.open();
    RpcStream<String, String> server = serverStream.get();

    client.close();

    StreamClosedException seen = server.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(seen.code()).isEqualTo(ErrorCode.CANCELED);
    assertThat(seen.closedByPeer()).isTrue();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  public void limitsClosingTheServerClosesItsStreamsWithCanceledSeenByTheClient() throws Exception {
    String requestTopic = newTopic("streams-server-closes-all");
    PulsarRpcStreamServer<String, String> server =
        server(requestTopic, "workers", stream -> {}, UnaryOperator.identity());
    RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open();

    server.close();

    StreamClosedException seen = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(seen.code()).isEqualTo(ErrorCode.CANCELED);
    assertThat(seen.getMessage()).isEqualTo("server closed");
    assertThat(seen.closedByPeer()).isTrue();
  }

  // ---------------------------------------------------------------- interceptors

  @Test
  public void interceptorsOnBothSidesSeeEachSendEachReceiveAndTheClose() throws Exception {
    String requestTopic = newTopic("streams-interceptors");
    Recorder onServer = new Recorder();
    Recorder onClient = new Recorder();
    server(
        requestTopic,
        "workers",
        stream -> {
          for (int i = 0; i < 3; i++) {
            stream.send("reply-" + stream.receive());
          }
        },
        builder -> builder.intercept(onServer));
    RpcStream<String, String> stream =
        client(requestTopic, builder -> builder.intercept(onClient)).open();

    for (int i = 0; i < 3; i++) {
      stream.send("m" + i);
      assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("reply-m" + i);
    }
    stream.close();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(onClient.events)
                  .containsExactly(
                      "open CLIENT",
                      "send m0",
                      "receive reply-m0",
                      "send m1",
                      "receive reply-m1",
                      "send m2",
                      "receive reply-m2",
                      "close canceled here");
              assertThat(onServer.events)
                  .containsExactly(
                      "open SERVER",
                      "receive m0",
                      "send reply-m0",
                      "receive m1",
                      "send reply-m1",
                      "receive m2",
                      "send reply-m2",
                      "close canceled by peer");
            });
  }

  /** Records what it sees as lines. */
  private static final class Recorder implements StreamInterceptor {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void interceptOpen(StreamCall call) {
      events.add("open " + call.side());
    }

    @Override
    public <S> CompletableFuture<Void> interceptSend(
        StreamCall call, S message, SendChain<S> chain) {
      events.add("send " + message);
      return chain.proceed(message);
    }

    @Override
    public <R> void interceptReceive(StreamCall call, R message, ReceiveChain<R> chain) {
      events.add("receive " + message);
      chain.proceed(message);
    }

    @Override
    public void interceptClose(StreamCall call, StreamClosedException cause) {
      events.add(
          "close " + cause.code().wireName() + (cause.closedByPeer() ? " by peer" : " here"));
    }
  }

  // ---------------------------------------------------------------- hostile input

  @Test
  public void hostileFramesForUnknownStreamsAreAnsweredNotFoundAtABoundedRateAndNeverStored()
      throws Exception {
    String requestTopic = newTopic("streams-unknown");
    PulsarRpcStreamServer<String, String> server =
        server(requestTopic, "workers", stream -> stream.send("ok"), UnaryOperator.identity());
    ScriptedPeer forger = track(new ScriptedPeer(bus(), newTopic("streams-forger-inbox")));
    String serverInbox = requestTopic + ".stream." + server.serverId();

    for (int i = 0; i < 1_000; i++) {
      forger.send(serverInbox, StreamFrames.data("forged-" + i, forger.sender, 1, bytes("x")));
    }

    StreamFrame answer = forger.next();
    assertThat(answer.type()).isEqualTo(StreamFrame.Type.CLOSE);
    assertThat(answer.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(server.openStreams()).isZero();
    try (RpcStream<String, String> stream = client(requestTopic, UnaryOperator.identity()).open()) {
      assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("ok");
    }
    assertThat(forger.received.size() + 1).isLessThanOrEqualTo(1_000);
  }

  @Test
  public void hostileDuplicateSequenceNumbersAreDropped() throws Exception {
    String requestTopic = newTopic("streams-duplicates");
    ScriptedPeer peer = scriptedServer(requestTopic);
    CompletableFuture<RpcStream<String, String>> opening =
        client(requestTopic, UnaryOperator.identity()).openAsync();
    StreamFrame open = peer.acceptAndConfirm();
    RpcStream<String, String> stream = opening.join();

    for (long sequence : new long[] {1, 2, 2, 1, 3}) {
      peer.send(open.senderInbox(), peer.data(open, sequence, "m" + sequence));
    }

    List<String> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(stream.receiveAsync().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(received).containsExactly("m1", "m2", "m3");
    peer.send(open.senderInbox(), peer.data(open, 4, "m4"));
    assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("m4");
    assertThat(stream.isOpen()).isTrue();
  }

  @Test
  public void hostileGapInSequenceNumbersClosesTheStreamWithInternal() throws Exception {
    String requestTopic = newTopic("streams-gap");
    ScriptedPeer peer = scriptedServer(requestTopic);
    CompletableFuture<RpcStream<String, String>> opening =
        client(requestTopic, UnaryOperator.identity()).openAsync();
    StreamFrame open = peer.acceptAndConfirm();
    RpcStream<String, String> stream = opening.join();

    peer.send(open.senderInbox(), peer.data(open, 1, "m1"));
    peer.send(open.senderInbox(), peer.data(open, 3, "m3"));

    StreamClosedException cause = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(cause.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(cause.getMessage()).contains("out of order");
    assertThat(peer.nextOfType(StreamFrame.Type.CLOSE).code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("m1");
  }

  @Test
  public void hostileFloodBeyondTheWindowClosesTheStreamWithResourceExhausted() throws Exception {
    String requestTopic = newTopic("streams-flood");
    ScriptedPeer peer = scriptedServer(requestTopic);
    PulsarRpcStreamClient<String, String> client =
        client(requestTopic, builder -> builder.window(8));
    CompletableFuture<RpcStream<String, String>> opening = client.openAsync();
    StreamFrame open = peer.acceptAndConfirm();
    RpcStream<String, String> stream = opening.join();

    for (int i = 1; i <= 1_000; i++) {
      peer.send(open.senderInbox(), peer.data(open, i, "flood"));
    }

    StreamClosedException cause = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(cause.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(peer.nextOfType(StreamFrame.Type.CLOSE).code())
        .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    await().atMost(PATIENCE).until(() -> client.openStreams() == 0);
  }

  @Test
  public void hostilePeerThatNeverAcknowledgesHoldsSendsAtItsWindowUntilTheDeadline()
      throws Exception {
    String requestTopic = newTopic("streams-no-acks");
    ScriptedPeer peer = scriptedServer(requestTopic);
    CompletableFuture<RpcStream<String, String>> opening =
        client(requestTopic, UnaryOperator.identity())
            .openAsync(StreamOptions.defaults().withDeadline(Duration.ofSeconds(3)));
    peer.acceptAndConfirm();
    RpcStream<String, String> stream = opening.join();

    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sends.add(stream.sendAsync("m" + i));
    }

    StreamClosedException cause = stream.whenClosed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(cause.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
        .failsWithin(PATIENCE);
    assertThat(sends).allMatch(CompletableFuture::isCompletedExceptionally);
    assertThat(peer.dataFrames()).as("data frames the peer got").isEqualTo(ScriptedPeer.WINDOW);
  }

  // ---------------------------------------------------------------- versions

  @Test
  public void versionOpenOfAClientOlderThanTheServersMinimumFailsWithClientTooOldAndRunsNothing() {
    assertOpenRefused(
        1, ErrorCode.CLIENT_TOO_OLD, "client speaks version 1, this server supports 2 to 3");
  }

  @Test
  public void versionOpenOfAClientNewerThanTheServersCurrentFailsWithServerTooOldAndRunsNothing() {
    assertOpenRefused(
        4, ErrorCode.SERVER_TOO_OLD, "client speaks version 4, this server supports 2 to 3");
  }

  @Test
  public void versionOpensWithinTheServersRangeOrWithoutAVersionAreServed() {
    String requestTopic = newTopic("streams-versions-served");
    server(requestTopic, "workers", stream -> stream.send("hello"), b -> b.apiVersions(2, 3));

    for (int version : new int[] {2, 3, 0}) {
      PulsarRpcStreamClient<String, String> client =
          client(requestTopic, b -> version > 0 ? b.apiVersion(version) : b);
      try (RpcStream<String, String> stream = client.open()) {
        assertThat(stream.receiveAsync())
            .as("a stream of version " + version)
            .succeedsWithin(PATIENCE)
            .isEqualTo("hello");
      }
    }
  }

  /**
   * Asserts that a client of {@code version} cannot open a stream to a server of versions 2 to 3:
   * the open fails with {@code code} long before its open timeout, and no handler runs.
   */
  private void assertOpenRefused(int version, ErrorCode code, String why) {
    String requestTopic = newTopic("streams-versions-refused");
    AtomicInteger runs = new AtomicInteger();
    PulsarRpcStreamServer<String, String> server =
        server(requestTopic, "workers", stream -> runs.incrementAndGet(), b -> b.apiVersions(2, 3));
    PulsarRpcStreamClient<String, String> client =
        client(requestTopic, b -> b.apiVersion(version).openTimeout(PATIENCE));

    assertThat(client.openAsync())
        .failsWithin(PATIENCE.dividedBy(2))
        .withThrowableOfType(Exception.class)
        .havingCause()
        .isInstanceOfSatisfying(
            RpcException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(why);
            });
    assertThat(runs).as("handler runs").hasValue(0);
    assertThat(server.openStreams()).isZero();
    assertThat(client.openStreams()).isZero();
  }

  // ---------------------------------------------------------------- helpers

  private PulsarRpcStreamServer<String, String> server(
      String requestTopic,
      String subscription,
      StreamHandler<String, String> handler,
      UnaryOperator<PulsarRpcStreamServerBuilder<String, String>> settings) {
    return track(
        settings
            .apply(
                PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopic(requestTopic)
                    .subscription(subscription)
                    .handler(handler))
            .build(watched()));
  }

  private PulsarRpcStreamClient<String, String> client(
      String requestTopic, UnaryOperator<PulsarRpcStreamClientBuilder<String, String>> settings) {
    return track(
        settings
            .apply(
                PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
                    .requestTopic(requestTopic))
            .build(watched()));
  }

  private ScriptedPeer scriptedServer(String requestTopic) {
    ScriptedPeer peer = track(new ScriptedPeer(bus(), newTopic("streams-scripted-inbox")));
    peer.consume(requestTopic);
    return peer;
  }

  private static List<String> numbered(String prefix) {
    return numbered(prefix, MESSAGES);
  }

  private static List<String> numbered(String prefix, int count) {
    List<String> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(prefix + i);
    }
    return all;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A stream server written by hand: it reads opens from a request topic and frames from its own
   * inbox, and sends whatever frames a test makes, so that a test can send what a correct server
   * never would. It announces a window of {@value #WINDOW} and a heartbeat interval so long that
   * the client never misses it.
   */
  private static final class ScriptedPeer implements AutoCloseable {
    static final int WINDOW = 4;

    final StreamFrames.Sender sender;
    final MessageBus bus;
    final BlockingQueue<StreamFrame> received = new LinkedBlockingQueue<>();
    final List<BusConsumer<byte[]>> consumers = new CopyOnWriteArrayList<>();
    final Map<String, BusProducer<byte[]>> producers = new ConcurrentHashMap<>();

    ScriptedPeer(MessageBus bus, String inbox) {
      this.bus = bus;
      this.sender = new StreamFrames.Sender("scripted", inbox);
      listen(SubscriptionSpec.temporary(inbox, Schema.BYTES));
    }

    void consume(String requestTopic) {
      listen(
          SubscriptionSpec.ofTopic(
              requestTopic, "scripted", SubscriptionMode.SHARED, Schema.BYTES));
    }

    private void listen(SubscriptionSpec<byte[]> spec) {
      BusConsumer<byte[]> consumer = bus.subscribe(spec).join();
      consumers.add(consumer);
      pump(consumer);
    }

    private void pump(BusConsumer<byte[]> consumer) {
      consumer
          .receive()
          .thenAccept(
              (IncomingMessage<byte[]> message) -> {
                message.acknowledge();
                StreamFrame frame = StreamFrames.read(message);
                if (frame != null) {
                  received.add(frame);
                }
                pump(consumer);
              });
    }

    void send(String topic, OutgoingMessage<byte[]> frame) {
      producers
          .computeIfAbsent(topic, t -> bus.createProducer(ProducerSpec.of(t, Schema.BYTES)).join())
          .send(frame)
          .join();
    }

    OutgoingMessage<byte[]> data(StreamFrame open, long sequence, String text) {
      return StreamFrames.data(open.streamId(), sender, sequence, bytes(text));
    }

    /** Takes the next open, accepts it and waits for the confirm; returns the open. */
    StreamFrame acceptAndConfirm() throws InterruptedException {
      StreamFrame open = nextOfType(StreamFrame.Type.OPEN);
      send(
          open.senderInbox(),
          StreamFrames.accept(open.streamId(), sender, WINDOW, Duration.ofHours(1).toMillis()));
      nextOfType(StreamFrame.Type.CONFIRM);
      return open;
    }

    StreamFrame next() throws InterruptedException {
      StreamFrame frame = received.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(frame).as("a frame within %s", PATIENCE).isNotNull();
      return frame;
    }

    StreamFrame nextOfType(StreamFrame.Type type) throws InterruptedException {
      while (true) {
        StreamFrame frame = next();
        if (frame.type() == type) {
          return frame;
        }
        if (frame.type() == StreamFrame.Type.DATA) {
          dataSeen.incrementAndGet();
        }
      }
    }

    final AtomicInteger dataSeen = new AtomicInteger();

    /** Data frames received, counting those {@link #nextOfType} skipped. */
    int dataFrames() {
      return dataSeen.get()
          + (int) received.stream().filter(f -> f.type() == StreamFrame.Type.DATA).count();
    }

    @Override
    public void close() {
      consumers.forEach(consumer -> consumer.closeAsync().join());
      producers.values().forEach(producer -> producer.closeAsync().join());
    }
  }
}
