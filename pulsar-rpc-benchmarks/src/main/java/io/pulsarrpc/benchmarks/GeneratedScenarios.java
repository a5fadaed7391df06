package io.pulsarrpc.benchmarks;

import com.google.protobuf.ByteString;
import io.pulsarrpc.benchmarks.generated.EchoClient;
import io.pulsarrpc.benchmarks.generated.EchoServer;
import io.pulsarrpc.benchmarks.generated.EchoServerImpl;
import io.pulsarrpc.benchmarks.generated.Payload;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.protobuf.ServiceClientOptions;
import io.pulsarrpc.protobuf.ServiceServerOptions;
import io.pulsarrpc.server.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The generated-call scenarios: the single method of {@code bench/echo.proto} called through its
 * generated {@link EchoClient} and served by an {@link EchoServer}, with the settings of the
 * hand-written scenarios ({@code rpc-sync}, {@code rpc-async}) they are compared with in the same
 * run: one server that answers at once with the request, the same payload size (a protobuf {@code
 * bytes} field of it), the same in-flight count and server concurrency. Generated code has no
 * producer settings, so compare them with the default {@code --producer-config}.
 */
final class GeneratedScenarios {

  private final BenchmarkOptions options;
  private final Payload payload;

  GeneratedScenarios(BenchmarkOptions options, byte[] payload) {
    this.options = options;
    this.payload = Payload.newBuilder().setData(ByteString.copyFrom(payload)).build();
  }

  /**
   * Generated calls at {@code inFlight}: blocking ({@code call(...).get()}) at 1, pipelined futures
   * above, on fresh topics.
   */
  LoadDriver.Measurement call(BusEnvironment environment, String scenario, int inFlight)
      throws Exception {
    ServiceServerOptions serverOptions =
        ServiceServerOptions.builder()
            .naming(environment.naming(scenario + "-" + inFlight))
            .maxConcurrentRequests(Math.max(256, inFlight))
            .shutdownGracePeriod(Duration.ofSeconds(5))
            .build();
    ServiceClientOptions clientOptions =
        ServiceClientOptions.builder().naming(serverOptions.naming()).build();
    LoadDriver driver = new LoadDriver("rpc-", options.warmUp(), options.duration());
    try (EchoServer server = EchoServer.create(new Echo(), environment.serverBus(), serverOptions);
        EchoClient client = EchoClient.create(environment.clientBus(), clientOptions)) {
      return inFlight == 1
          ? driver.runBlocking(id -> client.call(payload, id(id)).get())
          : driver.runAsync(inFlight, id -> client.call(payload, id(id)));
    }
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
