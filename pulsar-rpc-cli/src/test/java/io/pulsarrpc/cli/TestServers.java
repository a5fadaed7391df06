package io.pulsarrpc.cli;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.RequestHandler;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * The servers the command line's tests call: each answers a string request with its subscription
 * and the request in capitals ({@code eu: HELLO}); a request {@code fail} gets a {@code NOT_FOUND}
 * error reply, and {@code meta:KEY} the value of metadata {@code KEY}.
 */
final class TestServers {

  private TestServers() {}

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
