package io.pulsarrpc.cli;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.RequestHandler;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * The servers the command line's tests call: each answers a string request with its subscription
 * and the request in capitals ({@code eu: HELLO}); a request {@code fail} gets a {@code NOT_FOUND}
 * error reply, and {@code meta:KEY} the value of metadata {@code KEY}.
 */
final class TestServers {

  /** The control token of the servers {@link #inspectable} builds. */
  static final String CONTROL_TOKEN = "cli-control-token";

  private TestServers() {}

  /**
   * An upper-case server that answers listings on {@code controlTopic} with {@link #CONTROL_TOKEN},
   * and whose handler holds a request {@code hold} on its thread until {@code release} opens (at
   * most a minute).
   */
  static PulsarRpcServer<String, String> inspectable(
      MessageBus bus,
      String topic,
      String subscription,
      String controlTopic,
      CountDownLatch release)
      throws Exception {
    RequestHandler<String, String> answer = handler(subscription);
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(topic)
        .requestSubscription(subscription)
        .controlToken(CONTROL_TOKEN)
        .controlTopic(controlTopic)
        .shutdownGracePeriod(Duration.ofSeconds(1))
        .build(
            bus,
            (context, request) -> {
              if (request.equals("hold")) {
                release.await(1, TimeUnit.MINUTES);
              }
              return answer.handle(context, request);
            },
            (id, request) -> {});
  }

  static PulsarRpcServer<String, String> upperCase(
      MessageBus bus, String topic, String subscription) throws Exception {
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(topic)
        .requestSubscription(subscription)
        .build(bus, handler(subscription), (id, request) -> {});
  }

  static RequestHandler<String, String> handler(String subscription) {
    return (context, request) -> {
      if (request.equals("fail")) {
        throw new RpcException(ErrorCode.NOT_FOUND, "nothing called fail");
      }
      if (request.startsWith("meta:")) {
        return CompletableFuture.completedFuture(
            String.valueOf(context.metadata().get(request.substring("meta:".length()))));
      }
      return CompletableFuture.completedFuture(
          subscription + ": " + request.toUpperCase(Locale.ROOT));
    };
  }
}
