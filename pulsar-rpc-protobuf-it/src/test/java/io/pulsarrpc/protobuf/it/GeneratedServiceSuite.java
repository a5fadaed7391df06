package io.pulsarrpc.protobuf.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.client.SelectionOptions;
import io.pulsarrpc.client.ServerDirectory;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.protobuf.ProtobufSchemas;
import io.pulsarrpc.protobuf.ServiceClientCore;
import io.pulsarrpc.protobuf.ServiceClientOptions;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.protobuf.ServiceServerOptions;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.stream.RpcStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service of {@code itest/every_kind.proto}, one method of every kind, called end to end
 * through the code our protoc plugin generated: written once and run on every bus by a subclass
 * that says which bus. Each test has service names of its own (a unique prefix).
 */
abstract class GeneratedServiceSuite {

  /** Long enough for a subscription or a redelivery on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** How long the tests' calls that need a claim wait for it: half the patience. */
  private static final Duration CLAIM_PATIENCE = PATIENCE.dividedBy(2);

  /** The claim window of a client that expects no claim: {@code NO_RESPONDERS} comes soon. */
  private static final Duration NO_CLAIM_EXPECTED = Duration.ofMillis(700);

  /** A call that fails with NO_RESPONDERS when no server claims it, instead of waiting. */
  private static final RequestOptions CLAIMED = RequestOptions.defaults().withClaimRequired();

  private final ServiceNaming naming =
      ServiceNaming.defaults().withPrefix("t" + UUID.randomUUID().toString().substring(0, 8) + ".");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private MessageBus bus;

  /** A new bus of the adapter under test; closed after the test. */
  protected abstract MessageBus newBus();

  @AfterEach
  void closeWhatTheTestOpened() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable resource : opened) {
      resource.close();
    }
    if (bus != null) {
      bus.close();
    }
  }

  // ---------------------------------------------------------------- single and topic

  @Test
  void singleCallIsAnsweredByTheImplementation() throws Exception {
    server("only", 0);
    EverythingClient client = client();

    assertThat(result(client.echo(ping("hello"))))
        .isEqualTo(Pong.newBuilder().setText("hello").setServer("only").build());
  }

  @Test
  void methodTheImplementationLeavesOutAnswersUnimplemented() throws Exception {
    track(
        EverythingServer.create(
            request -> 0.0, bus(), ServiceServerOptions.builder().naming(naming).build()));
    EverythingClient client = client();

    assertThatThrownBy(() -> result(client.echo(ping("anyone?"))))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNIMPLEMENTED))
        .hasMessageContaining("itest.Everything.Echo is not implemented");
  }

  @Test
  void topicCallIsAnsweredOnlyByTheServerThatRegisteredItsTopic() throws Exception {
    EverythingServer west = server("west", 0);
    EverythingServer east = server("east", 0);
    result(west.registerEchoInTopic("eu", "west-1"));
    result(east.registerEchoInTopic("eu", "east-1"));
    EverythingClient client = client();

    assertThat(result(client.echoIn("eu", "east-1", ping("to the east"))).getServer())
        .isEqualTo("east");
    assertThat(result(client.echoIn("eu", "west-1", ping("to the west"))).getServer())
        .isEqualTo("west");
  }

  @Test
  void topicParameterThatIsNotATopicNameIsRefusedNamingTheParameter() throws Exception {
    EverythingClient client = client();

    assertThatThrownBy(() -> client.echoIn("eu", "west_1", ping("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic parameter 'zone'");
  }

  // ---------------------------------------------------------------- multi and affinity

  @Test
  void multiCallGathersTheAnswerOfEveryServer() throws Exception {
    server("first", 0);
    server("second", 0);
    EverythingClient client = client();

    List<Response<Pong>> responses =
        result(client.gather(ping("all of you"), RequestOptions.defaults().withExpectedServers(2)));

    assertThat(responses).allMatch(Response::isSuccess);
    assertThat(responses)
        .extracting(response -> response.value().getServer())
        .containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void affinityCallRunsOnTheServerWithTheBestScore() throws Exception {
    server("low", 1);
    server("high", 5);
    EverythingClient client = client();
    // Every server's offer is wanted: wait for both rather than for the first.
    RequestOptions options =
        RequestOptions.defaults()
            .withSelection(
                SelectionOptions.builder().affinityTimeout(Duration.ofSeconds(6)).build());

    assertThat(result(client.pick(ping("the best"), options)).getServer()).isEqualTo("high");
  }

  // ---------------------------------------------------------------- subscriptions

  @Test
  void broadcastUpdateReachesEverySubscriber() throws Exception {
    EverythingServer server = server("publisher", 0);
    List<Pong> first = new CopyOnWriteArrayList<>();
    List<Pong> second = new CopyOnWriteArrayList<>();
    track(result(client().subscribeNews(first::add)));
    track(result(client().subscribeNews(second::add)));

    result(server.publishNews(Pong.newBuilder().setText("news").build()));

    await().atMost(PATIENCE).until(() -> first.size() == 1 && second.size() == 1);
    assertThat(first.get(0).getText()).isEqualTo("news");
    assertThat(second.get(0).getText()).isEqualTo("news");
  }

  @Test
  void queueUpdateReachesOneSubscriberOfTheGroup() throws Exception {
    EverythingServer server = server("publisher", 0);
    List<String> received = new CopyOnWriteArrayList<>();
    track(result(client().subscribeJobs("eu", update -> received.add(update.getText()))));
    track(result(client().subscribeJobs("eu", update -> received.add(update.getText()))));

    for (int i = 0; i < 4; i++) {
      result(server.publishJobs("eu", Pong.newBuilder().setText("job-" + i).build()));
    }

    await().atMost(PATIENCE).until(() -> received.size() >= 4);
    assertThat(received).containsExactlyInAnyOrder("job-0", "job-1", "job-2", "job-3");
  }

  // ---------------------------------------------------------------- streams

  @Test
  void streamCarriesMessagesBothWays() throws Exception {
    server("streamer", 0);
    RpcStream<Ping, Pong> stream = result(client().chat());

    // A send completes once the peer's application took the message: answer each before the next.
    result(stream.sendAsync(ping("one")));
    assertThat(result(stream.receiveAsync()).getText()).isEqualTo("one");
    result(stream.sendAsync(ping("two")));
    assertThat(result(stream.receiveAsync()).getText()).isEqualTo("two");
    result(stream.closeAsync());
  }

  // ---------------------------------------------------------------- API versions

  @Test
  void versionClientOfTheGeneratedVersionIsAnswered() throws Exception {
    server("v2", 0);

    assertThat(EverythingClient.API_VERSION).isEqualTo(2);
    assertThat(result(client().echo(ping("same"))).getServer()).isEqualTo("v2");
  }

  @Test
  void versionClientOlderThanTheServersMinimumIsRefusedAsClientTooOld() throws Exception {
    server("v2", 0);

    assertThatThrownBy(() -> result(clientOfVersion(1).echo(ping("old"))))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOO_OLD))
        .hasMessageContaining("client speaks version 1, this server supports 2 to 2");
  }

  @Test
  void versionClientNewerThanTheServerIsRefusedAsServerTooOld() throws Exception {
    server("v2", 0);

    assertThatThrownBy(() -> result(clientOfVersion(3).echo(ping("new"))))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_TOO_OLD))
        .hasMessageContaining("client speaks version 3, this server supports 2 to 2");
  }

  @Test
  void versionStreamOpenOfAnOlderClientFailsAsClientTooOld() throws Exception {
    server("v2", 0);

    assertThatThrownBy(() -> result(clientOfVersion(1).chat()))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOO_OLD));
  }

  // ---------------------------------------------------------------- deadlines

  @Test
  void handlerThatFinishesAfterTheDeadlineIsRolledBackInsteadOfAnswered() throws Exception {
    LateServer late = lateServer();
    EverythingClient client =
        track(
            EverythingClient.create(
                bus(), ServiceClientOptions.builder().naming(naming).clientId("late").build()));
    // A first call readies every subscription, so the held call reaches the handler in time.
    assertThat(result(client.echo(ping("warm-up"))).getText()).isEqualTo("warm-up");
    List<String> replies =
        repliesOn(naming.replyTopic(EverythingClient.SERVICE_NAME, "Echo", "late"));

    CompletableFuture<Pong> call =
        client.echo(
            ping("hold"),
            RequestOptions.defaults()
                .withCorrelationId("late-1")
                .withTimeout(Duration.ofSeconds(5)));

    assertThatThrownBy(() -> result(call))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    RequestContext held = result(late.held);
    assertThat(held.correlationId()).isEqualTo("late-1");
    // The server judges lateness by its own deadline (publish time plus timeout), which can end a
    // little after the client's: release the handler only once that one has passed too.
    long deadline = held.deadline().toEpochMilli();
    await().atMost(PATIENCE).until(() -> System.currentTimeMillis() > deadline);
    late.release.complete(Pong.newBuilder().setText("too late").build());

    await("the rollback hook").atMost(PATIENCE).until(() -> !late.rolledBack.isEmpty());
    // A later call's reply follows any late one on the reply topic: once it is seen, none came.
    RequestOptions probe = RequestOptions.defaults().withCorrelationId("probe-1");
    assertThat(result(client.echo(ping("probe"), probe)).getText()).isEqualTo("probe");
    await("the probe's reply, seen on the reply topic")
        .atMost(PATIENCE)
        .until(() -> replies.contains("probe-1"));
    assertThat(late.rolledBack).containsExactly(new RolledBack("late-1", ping("hold")));
    assertThat(replies).as("replies published after the warm-up").containsExactly("probe-1");
  }

  // ---------------------------------------------------------------- inspection

  @Test
  void serverInspectionListsEachRequestReplyMethodWithItsRequestTopic() throws Exception {
    EverythingServer server = server("inspected", 3);

    List<ServerInspection> inspections = server.inspect();

    // The subscriptions' publishers and the stream server offer no inspection.
    assertThat(inspections)
        .extracting(inspection -> inspection.requestTopics().get(0))
        .containsExactlyElementsOf(requestReplyTopics());
    assertThat(inspections.get(3).kinds()).contains("affinity");
    assertThat(inspections)
        .allSatisfy(inspection -> assertThat(inspection.apiVersionCurrent()).isEqualTo(2));
  }

  @Test
  void serversOfAServiceWithAControlTokenAnswerTheServerDirectory() throws Exception {
    String token = "token-" + UUID.randomUUID();
    ServiceServerOptions options =
        ServiceServerOptions.builder()
            .naming(naming)
            .serverId("listed")
            .controlToken(token)
            .build();
    track(EverythingServer.create(new NamedServer("listed", 0), bus(), options));
    ServerDirectory directory = track(ServerDirectory.builder().controlToken(token).build(bus()));

    // Each request-reply method's server answers, on the default control topic.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(directory.list(Duration.ofSeconds(10)))
                    .filteredOn(Response::isSuccess)
                    .extracting(answer -> answer.value().requestTopics().get(0))
                    .containsExactlyInAnyOrderElementsOf(requestReplyTopics()));
  }

  @Test
  void clientInspectionShowsACallPendingWhileTheServerHoldsIt() throws Exception {
    LateServer holding = lateServer();
    EverythingClient client = client();
    // A first call readies every subscription, so the held call reaches the handler.
    assertThat(result(client.echo(ping("warm-up"))).getText()).isEqualTo("warm-up");

    CompletableFuture<Pong> call =
        client.echo(
            ping("hold"),
            RequestOptions.defaults().withCorrelationId("held-1").withTimeout(PATIENCE));
    result(holding.held);

    List<ClientInspection> inspections = client.inspect();
    assertThat(inspections)
        .extracting(ClientInspection::requestTopic)
        .containsExactlyElementsOf(requestReplyTopics());
    assertThat(inspections.get(0).pendingCalls())
        .singleElement()
        .satisfies(
            pending -> {
              assertThat(pending.correlationId()).isEqualTo("held-1");
              assertThat(pending.kind()).isEqualTo("single");
            });
    holding.release.complete(Pong.newBuilder().setText("released").build());
    assertThat(result(call).getText()).isEqualTo("released");
    assertThat(client.inspect())
        .allSatisfy(inspection -> assertThat(inspection.pendingCalls()).isEmpty());
  }

  // ---------------------------------------------------------------- stopping

  @Test
  void closedServerNoLongerTakesCalls() throws Exception {
    EverythingServer server = server("closing", 0);
    EverythingClient client = client();
    // A durable call: it waits for the server, where a claimed one would have to be claimed
    // within the claim window, which a loaded machine can miss.
    assertThat(result(client.echo(ping("before"))).getServer()).isEqualTo("closing");

    server.close();

    assertNoServerTakes();
  }

  @Test
  void killedServerNoLongerTakesCalls() throws Exception {
    EverythingServer server = server("killed", 0);
    EverythingClient client = client();
    // A durable call: it waits for the server, where a claimed one would have to be claimed
    // within the claim window, which a loaded machine can miss.
    assertThat(result(client.echo(ping("before"))).getServer()).isEqualTo("killed");

    server.kill();

    assertNoServerTakes();
  }

  /**
   * Asserts that a claimed call from a new client fails with NO_RESPONDERS: at the end of the claim
   * window of the client's options, or at once where the bus itself reports that nobody listens
   * (core NATS).
   */
  private void assertNoServerTakes() throws Exception {
    EverythingClient client = client(NO_CLAIM_EXPECTED);

    assertThatThrownBy(() -> result(client.echo(ping("after"), CLAIMED)))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_RESPONDERS))
        .satisfiesAnyOf(
            e ->
                assertThat(e)
                    .hasMessageEndingWith("within " + NO_CLAIM_EXPECTED.toMillis() + " ms"),
            e -> assertThat(e).hasMessageStartingWith("No server listens for request"));
  }

  // ---------------------------------------------------------------- helpers

  /** The request topics of the single, topic, multi and affinity methods, in .proto order. */
  private List<String> requestReplyTopics() {
    return Stream.of("Echo", "EchoIn", "Gather", "Pick")
        .map(method -> naming.requestTopic(EverythingClient.SERVICE_NAME, method))
        .toList();
  }

  private MessageBus bus() {
    if (bus == null) {
      bus = newBus();
    }
    return bus;
  }

  private <R extends AutoCloseable> R track(R resource) {
    opened.add(resource);
    return resource;
  }

  private static Ping ping(String text) {
    return Ping.newBuilder().setText(text).build();
  }

  /** A server of a new {@link LateServer}, which it returns. */
  private LateServer lateServer() throws Exception {
    LateServer late = new LateServer();
    track(
        EverythingServer.create(
            late, bus(), ServiceServerOptions.builder().naming(naming).build()));
    return late;
  }

  /** A server named {@code name} (it says so in its answers) offering {@code affinity}. */
  private EverythingServer server(String name, double affinity) throws Exception {
    ServiceServerOptions options =
        ServiceServerOptions.builder().naming(naming).serverId(name).build();
    return track(EverythingServer.create(new NamedServer(name, affinity), bus(), options));
  }

  /**
   * A client whose calls that need a claim wait long enough for a server to claim them on a loaded
   * machine.
   */
  private EverythingClient client() throws Exception {
    return client(CLAIM_PATIENCE);
  }

  private EverythingClient client(Duration claimWindow) throws Exception {
    return track(
        EverythingClient.create(
            bus(), ServiceClientOptions.builder().naming(naming).claimWindow(claimWindow).build()));
  }

  /**
   * The correlation ids of the replies published to {@code replyTopic} from now on, as a second
   * subscription of that topic sees them.
   */
  private List<String> repliesOn(String replyTopic) throws Exception {
    BusConsumer<Pong> consumer =
        result(
            bus()
                .subscribe(SubscriptionSpec.temporary(replyTopic, ProtobufSchemas.of(Pong.class))));
    track(() -> consumer.closeAsync().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    List<String> correlationIds = new CopyOnWriteArrayList<>();
    receiveInto(consumer, correlationIds);
    return correlationIds;
  }

  private static void receiveInto(BusConsumer<Pong> consumer, List<String> correlationIds) {
    // Stops when the consumer closes and receive() fails.
    consumer
        .receive()
        .thenAccept(
            message -> {
              correlationIds.add(message.key());
              message.acknowledge();
              receiveInto(consumer, correlationIds);
            });
  }

  /** A client of the generated code that says it speaks {@code version}. */
  private EverythingClient clientOfVersion(int version) throws Exception {
    return track(
        ServiceClientCore.create(
            bus(),
            ServiceClientOptions.builder().naming(naming).build(),
            EverythingClient.SERVICE_NAME,
            version,
            EverythingClientStub::new));
  }

  /** The result of {@code future}, unwrapping the cause of a failure. */
  private static <T> T result(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private record RolledBack(String correlationId, Ping request) {}

  /**
   * Echoes, except that it holds a {@code "hold"} call until {@link #release} completes (so that
   * the call stays pending, or ends after its deadline), and records what its rollback hook is
   * given.
   */
  private static final class LateServer implements EverythingServerImpl {
    final CompletableFuture<RequestContext> held = new CompletableFuture<>();
    final CompletableFuture<Pong> release = new CompletableFuture<>();
    final List<RolledBack> rolledBack = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Pong> echo(Ping request, RequestContext context) {
      if (!request.getText().equals("hold")) {
        return CompletableFuture.completedFuture(
            Pong.newBuilder().setText(request.getText()).build());
      }
      held.complete(context);
      return release;
    }

    @Override
    public void echoRollback(String correlationId, Ping request) {
      rolledBack.add(new RolledBack(correlationId, request));
    }

    @Override
    public double pickAffinity(Ping request) {
      return 0;
    }
  }

  /** Answers every method with its own name in {@link Pong#getServer()}. */
  private record NamedServer(String name, double affinity) implements EverythingServerImpl {

    @Override
    public CompletableFuture<Pong> echo(Ping request, RequestContext context) {
      return answer(request);
    }

    @Override
    public CompletableFuture<Pong> echoIn(Ping request, RequestContext context) {
      return answer(request);
    }

    @Override
    public CompletableFuture<Pong> gather(Ping request, RequestContext context) {
      return answer(request);
    }

    @Override
    public CompletableFuture<Pong> pick(Ping request, RequestContext context) {
      return answer(request);
    }

    @Override
    public double pickAffinity(Ping request) {
      return affinity;
    }

    @Override
    public void chat(RpcStream<Pong, Ping> stream) {
      while (stream.isOpen()) {
        try {
          Ping ping = stream.receive();
          stream.send(Pong.newBuilder().setText(ping.getText()).setServer(name).build());
        } catch (RpcException closed) {
          return;
        }
      }
    }

    private CompletableFuture<Pong> answer(Ping request) {
      return CompletableFuture.completedFuture(
          Pong.newBuilder().setText(request.getText()).setServer(name).build());
    }
  }
}
