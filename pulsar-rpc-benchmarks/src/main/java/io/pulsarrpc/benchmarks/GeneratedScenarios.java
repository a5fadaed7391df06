package io.pulsarrpc.benchmarks;

import com.google.protobuf.ByteString;
import io.pulsarrpc.benchmarks.generated.EchoClient;
import io.pulsarrpc.benchmarks.generated.EchoServer;
import io.pulsarrpc.benchmarks.generated.EchoServerImpl;
import io.pulsarrpc.benchmarks.generated.Payload;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.protobuf.ProtobufSchemas;
import io.pulsarrpc.protobuf.ServiceClientOptions;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.protobuf.ServiceServerOptions;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.RequestHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pulsar.client.api.Schema;

/**
 * The generated-call scenarios: the single method of {@code bench/echo.proto} called through its
 * generated {@link EchoClient} and served by an {@link EchoServer}, measured in pairs with its
 * hand-written twin: a {@link PulsarRpcClient} and {@link PulsarRpcServer} of the same message
 * type, schema ({@link ProtobufSchemas}), settings and topic rule ({@link ServiceNaming}, with a
 * prefix of the same length), called with the same {@code requestAsync(request, options)}. What is
 * left between the two is the generated layer itself.
 *
 * <p>The two are measured alternately, {@code --rounds} rounds each (twin first in even rounds,
 * generated first in odd ones), with both clients and servers up the whole time. Each one's rounds
 * are added up for its row, and each round's generated figure is divided by the twin's of the same
 * round ({@link PairedRounds}): a JVM that warms up, a collector that changes its heap or a
 * neighbour that takes the CPU for a while then weighs on both alike, where measured one after the
 * other the second would get all of it (in memory, where a call costs a few microseconds, that
 * alone moved one figure by a third between runs).
 *
 * <p>The settings are those of the hand-written scenarios ({@code rpc-sync}, {@code rpc-async}):
 * one server that answers at once with the request, the same payload size (a protobuf {@code bytes}
 * field of it), the same in-flight count and server concurrency. Generated code has no producer
 * settings, so compare them with the default {@code --producer-config}.
 */
final class GeneratedScenarios {

  /** The method of {@code bench/echo.proto}, as topic names spell it. */
  private static final String METHOD = "Call";

  private final BenchmarkOptions options;
  private final Payload payload;

  GeneratedScenarios(BenchmarkOptions options, byte[] payload) {
    this.options = options;
    this.payload = Payload.newBuilder().setData(ByteString.copyFrom(payload)).build();
  }

  /**
   * What one pair measured.
   *
   * @param handWritten the hand-written twin's calls ({@code rpc-protobuf-sync} or {@code -async})
   * @param generated the generated client's calls
   * @param rounds the generated client's figures over the twin's, round by round
   */
  record Pair(
      LoadDriver.Measurement handWritten, LoadDriver.Measurement generated, PairedRounds rounds) {}

  /**
   * The hand-written twin and the generated client at {@code inFlight}, alternately: blocking
   * ({@code call(...).get()}) at 1, pipelined futures above, each on fresh topics of its own.
   */
  Pair call(BusEnvironment environment, String scenario, int inFlight) throws Exception {
    ServiceServerOptions serverOptions =
        ServiceServerOptions.builder()
            .naming(environment.naming(scenario + "-" + inFlight + "-g"))
            .maxConcurrentRequests(Math.max(256, inFlight))
            .shutdownGracePeriod(Duration.ofSeconds(5))
            .build();
    ServiceClientOptions clientOptions =
        ServiceClientOptions.builder().naming(serverOptions.naming()).build();
    // The twin's topics follow the same rule, with a prefix of the same length: each message then
    // carries names of the same size as the generated client's (on NATS core, where a call costs
    // about 25 µs, longer topic names alone cost several per cent).
    ServiceNaming twinNaming = environment.naming(scenario + "-" + inFlight + "-t");
    Schema<Payload> schema = ProtobufSchemas.of(Payload.class);
    try (EchoServer server = EchoServer.create(new Echo(), environment.serverBus(), serverOptions);
        EchoClient client = EchoClient.create(environment.clientBus(), clientOptions);
        PulsarRpcServer<Payload, Payload> twinServer =
            PulsarRpcServer.builder(schema, schema)
                .requestTopic(twinNaming.requestTopic(EchoClient.SERVICE_NAME, METHOD))
                .requestSubscription(twinNaming.serverSubscription(EchoClient.SERVICE_NAME))
                .maxConcurrentRequests(serverOptions.maxConcurrentRequests())
                .shutdownGracePeriod(serverOptions.shutdownGracePeriod())
                .build(
                    environment.serverBus(),
                    (RequestHandler<Payload, Payload>)
                        (context, request) -> CompletableFuture.completedFuture(request),
                    (id, request) -> {});
        PulsarRpcClient<Payload, Payload> twin =
            PulsarRpcClient.builder(schema, schema)
                .requestTopic(twinNaming.requestTopic(EchoClient.SERVICE_NAME, METHOD))
                .replyTopic(
                    twinNaming.replyTopic(
                        EchoClient.SERVICE_NAME, METHOD, clientOptions.clientId()))
                .replySubscription(clientOptions.clientId())
                .replyTimeout(clientOptions.replyTimeout())
                .maxPendingRequests(clientOptions.maxPendingRequests())
                .build(environment.clientBus())) {
      List<LoadDriver.Measurement> handWritten = new ArrayList<>();
      List<LoadDriver.Measurement> generated = new ArrayList<>();
      LoadDriver.inTurns(
          options.rounds(),
          round -> round(round, inFlight, twin::requestAsync),
          round -> round(round, inFlight, client::call),
          handWritten,
          generated);
      return new Pair(
          LoadDriver.Measurement.sum(handWritten),
          LoadDriver.Measurement.sum(generated),
          PairedRounds.of(generated, handWritten));
    }
  }

  /** One round of one of the pair (see {@link LoadDriver#forRound}). */
  private LoadDriver.Measurement round(
      int round, int inFlight, BiFunction<Payload, RequestOptions, CompletableFuture<Payload>> call)
      throws Exception {
    LoadDriver driver =
        LoadDriver.forRound("rpc-", options.warmUp(), options.duration(), round, options.rounds());
    Function<String, CompletableFuture<Payload>> start = id -> call.apply(payload, id(id));
    return inFlight == 1
        ? driver.runBlocking(id -> start.apply(id).get())
        : driver.runAsync(inFlight, start::apply);
  }

  private static RequestOptions id(String correlationId) {
    return RequestOptions.defaults().withCorrelationId(correlationId);
  }

  /** Answers each call with its request, as the hand-written scenarios' server does. */
  private static final class Echo implements EchoServerImpl {
    @Override
    public CompletableFuture<Payload> call(Payload request, RequestContext context) {
      return CompletableFuture.completedFuture(request);
    }
  }
}
