package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.client.ServerDirectory;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.internal.ControlMessages;
import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of live introspection, written once and run against every bus like {@link
 * RpcBehaviourSuite}: {@link PulsarRpcServer#inspect()} and {@link PulsarRpcClient#inspect()} (a
 * call held in flight on purpose, counters), and the control topic ({@code inspection...} via
 * {@link ServerDirectory}: no token, wrong token, right token, two servers, off by default). A
 * subclass says which bus and how to name topics.
 */
public abstract class InspectionSuite extends BusSuite {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  /** How long a listing waits: long enough for a loaded machine, bounded for "nobody answers". */
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private static final String TOKEN = "s3cret-control-token";

  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  public void releaseHeldHandlers() {
    release.countDown();
  }

  // ---------------------------------------------------------------- inspect()

  @Test
  public void inspectShowsACallHeldInFlightWithItsIdDeadlineAndThread() throws Exception {
    HeldCall call = holdACall("inspect-held", null, "held-1");
    PulsarRpcServer<String, String> server = call.server();

    ServerInspection.InFlightCall held = awaitHeld(server, "held-1");
    assertThat(held.topic()).contains(call.requestTopic());
    assertThat(held.kind()).isEqualTo("single");
    assertThat(held.thread()).startsWith("pulsar-rpc-server-workers");
    assertThat(held.deadlineMillis())
        .isBetween(
            call.sentAtMillis() + CALL_TIMEOUT.toMillis(),
            System.currentTimeMillis() + CALL_TIMEOUT.toMillis());
    assertThat(server.inspect().counters().inFlight()).isEqualTo(1);
    release.countDown();
    assertThat(call.reply()).succeedsWithin(PATIENCE).isEqualTo("done:hold");
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(server.inspect().inFlightCalls()).isEmpty());
  }

  @Test
  public void inspectDescribesTheServerItIsAskedAbout() throws Exception {
    String requestTopic = newTopic("inspect-identity");
    PulsarRpcServer<String, String> server =
        server(requestTopic, "identity", null, builder -> builder.apiVersions(2, 5));

    ServerInspection inspection = server.inspect();

    assertThat(inspection.subscription()).isEqualTo("identity");
    assertThat(inspection.requestTopics()).containsExactly(requestTopic);
    assertThat(inspection.kinds()).containsExactly("single", "multi");
    assertThat(inspection.apiVersionMinimum()).isEqualTo(2);
    assertThat(inspection.apiVersionCurrent()).isEqualTo(5);
    assertThat(inspection.uptimeMillis()).isNotNegative();
    assertThat(inspection.threadDump()).isNull();
    assertThat(server.inspect(true).threadDump()).contains("pulsar-rpc");
  }

  @Test
  public void inspectCountsServedFailedAndRejectedCalls() throws Exception {
    String requestTopic = newTopic("inspect-counters");
    PulsarRpcServer<String, String> server =
        server(requestTopic, "counted", null, builder -> builder.apiVersions(2, 2));
    PulsarRpcClient<String, String> client = client(requestTopic);
    PulsarRpcClient<String, String> oldClient =
        track(
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(newTopic("inspect-counters-old-replies"))
                .replySubscription("old-client")
                .replyTimeout(PATIENCE)
                .apiVersion(1)
                .build(bus()));

    assertThat(client.requestAsync("ok")).succeedsWithin(PATIENCE);
    assertThat(client.requestAsync("ok")).succeedsWithin(PATIENCE);
    assertThat(client.requestAsync("fail")).failsWithin(PATIENCE);
    assertThat(oldClient.requestAsync("ok")).failsWithin(PATIENCE);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(server.inspect().counters())
                    .isEqualTo(new ServerInspection.CallCounters(2, 1, 1, 0)));
  }

  @Test
  public void aRunningServerAndClientReadConnected() throws Exception {
    Peers peers = afterOneCall("inspect-connected");

    assertThat(peers.server().inspect().connected()).as("server").isTrue();
    assertThat(peers.client().inspect().connected()).as("client").isTrue();
  }

  @Test
  public void aClosedServerAndClientReadNotConnected() throws Exception {
    Peers peers = afterOneCall("inspect-closed");

    peers.client().close();
    peers.server().close();

    assertThat(peers.server().inspect().connected()).as("server").isFalse();
    assertThat(peers.client().inspect().connected()).as("client").isFalse();
  }

  @Test
  public void clientInspectShowsAPendingCallWithItsDeadline() throws Exception {
    HeldCall call = holdACall("inspect-client", null, "pending-1");
    awaitHeld(call.server(), "pending-1");

    ClientInspection inspection = call.client().inspect();
    assertThat(inspection.requestTopic()).isEqualTo(call.requestTopic());
    assertThat(inspection.replyTopic()).isEqualTo(call.replyTopic());
    assertThat(inspection.replySubscription()).isEqualTo("client");
    assertThat(inspection.pendingCalls()).hasSize(1);
    ClientInspection.PendingCall pending = inspection.pendingCalls().get(0);
    assertThat(pending.correlationId()).isEqualTo("pending-1");
    assertThat(pending.kind()).isEqualTo("single");
    assertThat(pending.deadlineMillis() - pending.startedAtMillis())
        .isEqualTo(CALL_TIMEOUT.toMillis());
    assertThat(pending.startedAtMillis())
        .isBetween(call.sentAtMillis(), System.currentTimeMillis());
    release.countDown();
    assertThat(call.reply()).succeedsWithin(PATIENCE);
    assertThat(call.client().inspect().pendingCalls()).isEmpty();
  }

  // ---------------------------------------------------------------- the control topic

  @Test
  public void inspectionCallWithoutATokenIsDeniedWithoutData() throws Exception {
    String controlTopic = newTopic("control");
    server(newTopic("inspect-no-token"), "workers", controlTopic, null);
    PulsarRpcClient<InspectionRequest, ServerInspection> raw =
        track(
            PulsarRpcClient.builder(ControlMessages.REQUEST, ControlMessages.ANSWER)
                .requestTopic(controlTopic)
                .replyTopic(newTopic("control-raw-replies"))
                .replySubscription("raw")
                .build(bus()));

    List<Response<ServerInspection>> answers =
        raw.requestAllAsync(
                new InspectionRequest(true), RequestOptions.defaults().withTimeout(WINDOW))
            .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

    assertDeniedWithoutData(answers);
  }

  @Test
  public void inspectionCallWithAWrongTokenIsDeniedWithoutData() throws Exception {
    String controlTopic = newTopic("control");
    server(newTopic("inspect-wrong-token"), "workers", controlTopic, null);
    ServerDirectory directory = directory(controlTopic, "not-the-" + TOKEN);

    List<Response<ServerInspection>> answers = directory.list(WINDOW, true);

    assertDeniedWithoutData(answers);
  }

  @Test
  public void inspectionCallWithTheRightTokenIsAnsweredWithTheServersInspection() throws Exception {
    String controlTopic = newTopic("control");
    HeldCall call = holdACall("inspect-right-token", controlTopic, "listed-1");
    PulsarRpcServer<String, String> server = call.server();
    awaitHeld(server, "listed-1");
    ServerDirectory directory = directory(controlTopic, TOKEN);

    List<Response<ServerInspection>> answers = directory.list(WINDOW, true);

    assertThat(answers).hasSize(1);
    ServerInspection answer = answers.get(0).value();
    assertThat(answer.serverId()).isEqualTo(server.inspect().serverId());
    assertThat(answer.subscription()).isEqualTo("workers");
    assertThat(answer.connected()).isTrue();
    assertThat(answer.requestTopics()).containsExactly(call.requestTopic());
    assertThat(answer.inFlightCalls())
        .extracting(ServerInspection.InFlightCall::correlationId)
        .containsExactly("listed-1");
    assertThat(answer.threadDump()).contains(answer.inFlightCalls().get(0).thread());
  }

  @Test
  public void directoryListsEveryLiveServer() throws Exception {
    String controlTopic = newTopic("control");
    PulsarRpcServer<String, String> first =
        server(newTopic("inspect-first"), "first", controlTopic, null);
    PulsarRpcServer<String, String> second =
        server(newTopic("inspect-second"), "second", controlTopic, null);
    ServerDirectory directory = directory(controlTopic, TOKEN);

    // A listing ends once the servers that answered the last one did; the first has no last one.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(directory.list(WINDOW))
                    .allMatch(Response::isSuccess)
                    .extracting(answer -> answer.value().serverId())
                    .containsExactlyInAnyOrder(
                        first.inspect().serverId(), second.inspect().serverId()));
  }

  @Test
  public void serverWithoutAControlTokenDoesNotAnswerTheControlTopic() throws Exception {
    String controlTopic = newTopic("control");
    server(newTopic("inspect-off"), "workers", null, null);
    ServerDirectory directory = directory(controlTopic, TOKEN);

    assertThat(directory.list(Duration.ofSeconds(3))).isEmpty();
  }

  @Test
  public void controlTopicWithoutATokenIsRefusedByBuild() {
    PulsarRpcServerBuilder<String, String> builder =
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(newTopic("inspect-refused"))
            .requestSubscription("workers")
            .controlTopic(newTopic("control"));

    assertThatThrownBy(() -> builder.build(bus(), CompletableFuture::completedFuture, (i, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controlTopic is set without controlToken");
  }

  // ---------------------------------------------------------------- helpers

  /** A call sent to a server that holds it until the test releases it. */
  private record HeldCall(
      String requestTopic,
      String replyTopic,
      PulsarRpcServer<String, String> server,
      PulsarRpcClient<String, String> client,
      long sentAtMillis,
      CompletableFuture<String> reply) {}

  /**
   * Starts a server (with the control topic on when {@code controlTopic} is not null) and a client
   * on a new request topic, and sends a call with {@code correlationId} that the server holds.
   */
  private HeldCall holdACall(String name, String controlTopic, String correlationId)
      throws Exception {
    String requestTopic = newTopic(name);
    PulsarRpcServer<String, String> server = server(requestTopic, "workers", controlTopic, null);
    String replyTopic = newTopic(name + "-replies");
    PulsarRpcClient<String, String> client = client(requestTopic, replyTopic);
    long sentAt = System.currentTimeMillis();
    return new HeldCall(
        requestTopic,
        replyTopic,
        server,
        client,
        sentAt,
        client.requestAsync("hold", options(correlationId)));
  }

  /** A server and a client of one request topic. */
  private record Peers(
      PulsarRpcServer<String, String> server, PulsarRpcClient<String, String> client) {}

  /**
   * A server and a client on a new request topic, after one call between them succeeded: the server
   * then also holds a reply producer.
   */
  private Peers afterOneCall(String name) throws Exception {
    String requestTopic = newTopic(name);
    PulsarRpcServer<String, String> server = server(requestTopic, "workers", null, null);
    PulsarRpcClient<String, String> client = client(requestTopic);
    assertThat(client.requestAsync("ok")).succeedsWithin(PATIENCE);
    return new Peers(server, client);
  }

  private static void assertDeniedWithoutData(List<Response<ServerInspection>> answers) {
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).value()).isNull();
    assertThat(answers.get(0).error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
  }

  /** Options of a call with this id that the server's handler holds until the test releases it. */
  private static RequestOptions options(String correlationId) {
    return RequestOptions.defaults().withCorrelationId(correlationId).withTimeout(CALL_TIMEOUT);
  }

  private static ServerInspection.InFlightCall awaitHeld(
      PulsarRpcServer<?, ?> server, String correlationId) {
    return await()
        .atMost(PATIENCE)
        .until(
            () ->
                server.inspect().inFlightCalls().stream()
                    .filter(call -> call.correlationId().equals(correlationId))
                    .filter(call -> call.thread() != null)
                    .findFirst()
                    .orElse(null),
            call -> call != null);
  }

  /** Settings beyond the common ones a test gives its server. */
  private interface Settings {
    void apply(PulsarRpcServerBuilder<String, String> builder);
  }

  /**
   * A server answering {@code "done:<value>"}, failing on {@code "fail"} and holding {@code "hold"}
   * until the test releases it; with the control topic on when {@code controlTopic} is not null.
   */
  private PulsarRpcServer<String, String> server(
      String requestTopic, String subscription, String controlTopic, Settings settings)
      throws Exception {
    PulsarRpcServerBuilder<String, String> builder =
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription(subscription)
            .shutdownGracePeriod(Duration.ofSeconds(5));
    if (controlTopic != null) {
      builder.controlToken(TOKEN).controlTopic(controlTopic);
    }
    if (settings != null) {
      settings.apply(builder);
    }
    return track(
        builder.build(
            bus(),
            value -> {
              if (value.equals("fail")) {
                throw new IllegalStateException("asked to fail");
              }
              if (value.equals("hold")) {
                try {
                  release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return CompletableFuture.completedFuture("done:" + value);
            },
            (id, value) -> {}));
  }

  private PulsarRpcClient<String, String> client(String requestTopic) throws Exception {
    return client(requestTopic, newTopic("inspect-replies"));
  }

  private PulsarRpcClient<String, String> client(String requestTopic, String replyTopic)
      throws Exception {
    return track(
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(replyTopic)
            .replySubscription("client")
            .replyTimeout(PATIENCE)
            .build(bus()));
  }

  private ServerDirectory directory(String controlTopic, String token) throws Exception {
    return track(
        ServerDirectory.builder().controlToken(token).controlTopic(controlTopic).build(bus()));
  }
}
