package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.DESCRIPTORS;
import static io.pulsarrpc.cli.CliRun.run;
import static io.pulsarrpc.cli.CliRun.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.cli.clitest.HelloReply;
import io.pulsarrpc.cli.clitest.HelloRequest;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.protobuf.ProtobufSchemas;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.server.PulsarRpcPublisher;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every command against a real Pulsar broker, through the command line's own entry point. */
@ExtendWith(TestBrokersExtension.class)
class PulsarCliIT {

  private static PulsarTestBroker broker;
  private static MessageBus bus;
  private static String topic;
  private static PulsarRpcServer<String, String> eu;
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void startServer(PulsarTestBroker testBroker) throws Exception {
    broker = testBroker;
    bus = PulsarMessageBus.create(broker.client());
    topic = broker.newTopic("cli-upper");
    eu = TestServers.upperCase(bus, topic, "eu");
  }

  @AfterAll
  static void stopServer() {
    RELEASE.countDown();
    eu.close();
    bus.close();
  }

  private static String[] pulsar(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, 1);
    all[1] = "--service-url=" + broker.serviceUrl();
    all[2] = "--connect-timeout=30s";
    System.arraycopy(args, 1, all, 3, args.length - 1);
    return all;
  }

  @Test
  void callPrintsTheReply() {
    CliRun run = run(pulsar("call", topic, "hello"));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("eu: HELLO\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void callReadsThePayloadFromStandardInput() {
    CliRun run = runWithInput("from stdin", pulsar("call", topic));
    assertThat(run.out()).as(run.toString()).isEqualTo("eu: FROM STDIN\n");
  }

  @Test
  void callReadsThePayloadFromAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("payload.txt"), "from a file");
    CliRun run = run(pulsar("call", "--file", file.toString(), topic));
    assertThat(run.out()).as(run.toString()).isEqualTo("eu: FROM A FILE\n");
  }

  @Test
  void callSendsMetadata() {
    CliRun run = run(pulsar("call", "--metadata", "tenant=acme", topic, "meta:tenant"));
    assertThat(run.out()).as(run.toString()).isEqualTo("acme\n");
  }

  @Test
  void callPrintsJsonLinesWithJson() {
    CliRun run = run(pulsar("call", "--json", topic, "hello"));
    assertThat(run.out())
        .as(run.toString())
        .isEqualTo("{\"topic\":\"" + topic + "\",\"reply\":\"eu: HELLO\"}\n");
  }

  @Test
  void scheduledCallIsAnsweredAfterItsDelay() {
    CliRun run = run(pulsar("call", "--after", "1s", topic, "later"));
    assertThat(run.out()).as(run.toString()).isEqualTo("eu: LATER\n");
  }

  @Test
  void scheduledCallCarriesItsMetadata() {
    CliRun run =
        run(pulsar("call", "--after", "500ms", "--metadata", "tenant=acme", topic, "meta:tenant"));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("acme\n");
  }

  @Test
  void errorReplyExitsWithOneAndItsCode() {
    CliRun run = run(pulsar("call", topic, "fail"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_ERROR_REPLY);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err())
        .contains("error reply NOT_FOUND")
        .contains("nothing called fail")
        .doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void callWithoutServerTimesOutWithThree() {
    CliRun run = run(pulsar("call", "--timeout", "1s", broker.newTopic("cli-nobody"), "hello"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_NO_REPLY);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("pulsar-rpc: ").doesNotContain("\tat ");
  }

  @Test
  void callAllPrintsEveryServersResponseThenASummary() throws Exception {
    String multiTopic = broker.newTopic("cli-multi");
    try (PulsarRpcServer<String, String> first = TestServers.upperCase(bus, multiTopic, "first");
        PulsarRpcServer<String, String> second = TestServers.upperCase(bus, multiTopic, "second")) {
      CliRun run = run(pulsar("call-all", "--servers", "2", multiTopic, "hi"));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().lines())
          .hasSize(3)
          .contains("first: first: HI", "second: second: HI")
          .last()
          .asString()
          .startsWith("2 responses: 2 ok, 0 errors");
    }
  }

  @Test
  void callAllWithErrorResponsesExitsWithOne() {
    CliRun run = run(pulsar("call-all", "--json", topic, "fail"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_ERROR_REPLY);
    assertThat(run.out().lines())
        .containsExactly(
            "{\"server\":\"eu\",\"ok\":false,\"code\":\"NOT_FOUND\",\"message\":\"nothing called"
                + " fail\"}",
            "{\"summary\":{\"responses\":1,\"ok\":0,\"errors\":1}}");
  }

  @Test
  void callAllWithoutServerSaysNoRespondersWithThree() {
    CliRun run = run(pulsar("call-all", broker.newTopic("cli-nobody"), "hello"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_NO_REPLY);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void protobufMethodFindsItsTopicAndSpeaksJson() throws Exception {
    String greeterTopic = ServiceNaming.defaults().requestTopic("clitest.Greeter", "SayHello");
    try (PulsarRpcServer<HelloRequest, HelloReply> greeter = greeter(greeterTopic)) {
      CliRun run =
          run(
              pulsar(
                  "call",
                  "--proto",
                  DESCRIPTORS.toString(),
                  "--method",
                  "clitest.Greeter/SayHello",
                  "{\"name\":\"Ada\",\"times\":2}"));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).isEqualTo("{\"greeting\":\"Hello, Ada! Hello, Ada!\"}\n");
    }
  }

  @Test
  void protobufMethodTakesATopicOfItsOwn() throws Exception {
    String greeterTopic = broker.newTopic("cli-greeter");
    try (PulsarRpcServer<HelloRequest, HelloReply> greeter = greeter(greeterTopic)) {
      CliRun run =
          run(
              pulsar(
                  "call",
                  "--json",
                  "--proto",
                  DESCRIPTORS.toString(),
                  "--method",
                  "clitest.Greeter.SayHello",
                  greeterTopic,
                  "{\"name\":\"Bo\",\"times\":1}"));
      assertThat(run.out())
          .as(run.toString())
          .isEqualTo(
              "{\"topic\":\"" + greeterTopic + "\",\"reply\":{\"greeting\":\"Hello, Bo!\"}}\n");
    }
  }

  private static PulsarRpcServer<HelloRequest, HelloReply> greeter(String greeterTopic)
      throws Exception {
    return PulsarRpcServer.builder(
            ProtobufSchemas.of(HelloRequest.class), ProtobufSchemas.of(HelloReply.class))
        .requestTopic(greeterTopic)
        .requestSubscription("greeter")
        .build(
            bus,
            request ->
                CompletableFuture.completedFuture(
                    HelloReply.newBuilder()
                        .setGreeting(
                            String.join(
                                " ",
                                java.util.Collections.nCopies(
                                    request.getTimes(), "Hello, " + request.getName() + "!")))
                        .build()),
            (id, request) -> {});
  }

  @Test
  void subscribePrintsUpdatesUntilItsCount() throws Exception {
    String updates = broker.newTopic("cli-updates");
    try (PulsarRpcPublisher<String> publisher =
        PulsarRpcPublisher.builder(Schema.STRING).updateTopic(updates).build(bus)) {
      CompletableFuture<CliRun> subscriber =
          CompletableFuture.supplyAsync(
              () -> run(pulsar("subscribe", "--count", "2", "--for", "60s", updates)));
      Publishing.until(subscriber, publisher, "update");
      CliRun run = subscriber.join();
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().lines()).hasSize(2).allMatch(line -> line.startsWith("update-"));
      assertThat(run.err()).startsWith("Subscribed to " + updates);
    }
  }

  @Test
  void subscribeToAQueueGetsTheQueuesUpdates() throws Exception {
    String updates = broker.newTopic("cli-queue");
    try (PulsarRpcPublisher<String> publisher =
        PulsarRpcPublisher.builder(Schema.STRING).updateTopic(updates).build(bus)) {
      CompletableFuture<CliRun> subscriber =
          CompletableFuture.supplyAsync(
              () ->
                  run(
                      pulsar(
                          "subscribe",
                          "--json",
                          "--queue",
                          "workers",
                          "--count",
                          "1",
                          "--for",
                          "60s",
                          updates)));
      Publishing.until(subscriber, publisher, "job");
      CliRun run = subscriber.join();
      assertThat(run.out()).as(run.toString()).startsWith("{\"update\":\"job-");
    }
  }

  @Test
  void subscribeThatGetsTooFewUpdatesExitsWithThree() {
    CliRun run =
        run(pulsar("subscribe", "--count", "1", "--for", "1s", broker.newTopic("cli-quiet")));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_NO_REPLY);
    assertThat(run.err()).contains("0 of 1 updates within PT1S");
  }

  private static String[] servers(String controlTopic, String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "servers";
    args[1] = "--control-topic=" + controlTopic;
    args[2] = "--control-token=" + TestServers.CONTROL_TOKEN;
    System.arraycopy(options, 0, args, 3, options.length);
    return pulsar(args);
  }

  /** Lists until every one of {@code texts} is in the output, as a listing may miss a server. */
  private static CliRun listUntilEveryServerAnswers(String[] args, String... texts) {
    return listUntil(
        args,
        run ->
            run.exitCode() == PulsarRpcCli.EXIT_OK
                && Arrays.stream(texts).allMatch(run.out()::contains));
  }

  /**
   * Lists until {@code done}: a listing ends with the servers that claimed it within the claim
   * window (2 s), which a server on a loaded machine can miss.
   */
  private static CliRun listUntil(String[] args, Predicate<CliRun> done) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> run(args), done);
  }

  @Test
  void serversListsEveryServerWithTheControlToken() throws Exception {
    String control = broker.newTopic("cli-control");
    String requests = broker.newTopic("cli-listed");
    try (PulsarRpcServer<String, String> first =
            TestServers.inspectable(bus, requests, "first", control, RELEASE);
        PulsarRpcServer<String, String> second =
            TestServers.inspectable(bus, requests, "second", control, RELEASE)) {

      CliRun run = listUntilEveryServerAnswers(servers(control), " first ", " second ");

      assertThat(run.out().lines().findFirst())
          .hasValueSatisfying(
              header ->
                  assertThat(header)
                      .startsWith("SERVER ID")
                      .contains("SUBSCRIPTION", "CONNECTED", "TOPICS", "KINDS", "API", "UPTIME")
                      .contains("SERVED", "FAILED", "REJECTED", "IN FLIGHT"));
      assertThat(run.out().lines().filter(line -> line.contains(requests))).hasSize(2);
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void serversWithJsonPrintsEachServersInspectionAsAJsonLine() throws Exception {
    String control = broker.newTopic("cli-control");
    String requests = broker.newTopic("cli-listed");
    try (PulsarRpcServer<String, String> server =
        TestServers.inspectable(bus, requests, "json", control, RELEASE)) {

      CliRun run =
          listUntilEveryServerAnswers(servers(control, "--json"), server.inspect().serverId());

      assertThat(run.out().lines()).hasSize(1);
      JsonObject line = JsonParser.parseString(run.out().strip()).getAsJsonObject();
      assertThat(line.get("ok").getAsBoolean()).isTrue();
      JsonObject inspection = line.getAsJsonObject("inspection");
      assertThat(inspection.get("serverId").getAsString()).isEqualTo(server.inspect().serverId());
      assertThat(inspection.get("subscription").getAsString()).isEqualTo("json");
      assertThat(inspection.get("connected").getAsBoolean()).isTrue();
      assertThat(inspection.getAsJsonArray("requestTopics").get(0).getAsString())
          .isEqualTo(requests);
      assertThat(inspection.getAsJsonObject("counters").get("served").getAsLong()).isZero();
    }
  }

  @Test
  void serversShowsAHeldCallWithItsCorrelationId() throws Exception {
    String control = broker.newTopic("cli-control");
    String requests = broker.newTopic("cli-held");
    try (PulsarRpcServer<String, String> server =
            TestServers.inspectable(bus, requests, "holder", control, RELEASE);
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requests)
                .replyTopic(requests + ".replies")
                .replySubscription("held-caller")
                .build(bus)) {
      CompletableFuture<String> held =
          client.requestAsync(
              "hold",
              RequestOptions.defaults()
                  .withCorrelationId("held-by-the-handler")
                  .withTimeout(Duration.ofSeconds(60)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.inspect().inFlightCalls().size() == 1);

      CliRun run =
          listUntilEveryServerAnswers(
              servers(control), "In flight on " + server.inspect().serverId() + " (holder):");

      assertThat(run.out()).containsPattern("held-by-the-handler +\\S+ +single ");
      RELEASE.countDown();
      assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("holder: HOLD");
    }
  }

  @Test
  void serversWithAWrongTokenShowsErrorRowsAndExitsWithOne() throws Exception {
    String control = broker.newTopic("cli-control");
    String requests = broker.newTopic("cli-denied");
    try (PulsarRpcServer<String, String> server =
        TestServers.inspectable(bus, requests, "denied", control, RELEASE)) {

      CliRun run =
          listUntil(
              pulsar("servers", "--control-topic", control, "--control-token", "not-the-token"),
              listing -> listing.exitCode() != PulsarRpcCli.EXIT_NO_REPLY);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_ERROR_REPLY);
      assertThat(run.out()).contains("error PERMISSION_DENIED").doesNotContain(requests);
    }
  }

  @Test
  void serversWithoutAnyServerExitsWithThreeQuickly() {
    long started = System.nanoTime();

    CliRun run = run(servers(broker.newTopic("cli-control-unused")));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_NO_REPLY);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("pulsar-rpc: no server answered on ");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void serversWithDumpShowsEachServersThreads() throws Exception {
    String control = broker.newTopic("cli-control");
    try (PulsarRpcServer<String, String> server =
        TestServers.inspectable(bus, broker.newTopic("cli-dumped"), "dumped", control, RELEASE)) {

      String header = "Thread dump of " + server.inspect().serverId() + ":";

      CliRun run = listUntilEveryServerAnswers(servers(control, "--dump"), header);

      assertThat(run.out()).contains("\"" + Thread.currentThread().getName() + "\" #");
    }
  }
}
