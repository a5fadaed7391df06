package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.server.PulsarRpcServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Asks every warehouse for its stock of an item with one multi-call. */
public final class MultiCallSnippet {

  private MultiCallSnippet() {}

  /** Starts two warehouses on {@code topic}, asks both, and returns their answers. */
  public static List<Response<String>> run(PulsarClient pulsar, String topic) throws Exception {
    // Two server groups: each subscription receives its own copy of every request.
    try (PulsarRpcServer<String, String> north = warehouse(pulsar, topic, "north", 3);
        PulsarRpcServer<String, String> south = warehouse(pulsar, topic, "south", 5);
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .replyTopic(topic + "-replies")
                .replySubscription("stock-client-1")
                .build(pulsar)) {

      // Completes once both warehouses have claimed the call and answered it.
      List<Response<String>> responses =
          client.requestAll("chairs", RequestOptions.defaults().withExpectedServers(2));
      for (Response<String> response : responses) {
        if (response.isSuccess()) {
          System.out.println(response.server() + ": " + response.value());
        } else {
          System.out.println(response.server() + " failed: " + response.error().code());
        }
      }

      // The same call, handing each answer over as it comes.
      client
          .requestAllAsync(
              "tables",
              RequestOptions.defaults().withTimeout(Duration.ofSeconds(5)),
              response -> System.out.println("so far: " + response.server()))
          .get();
      return responses;
    }
  }

  private static PulsarRpcServer<String, String> warehouse(
      PulsarClient pulsar, String topic, String name, int stock) throws Exception {
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(topic)
        .requestSubscription("warehouse-" + name)
        .build(
            pulsar,
            item -> CompletableFuture.completedFuture(stock + " " + item),
            (id, item) -> {});
  }
}
