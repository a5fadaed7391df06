package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.server.PulsarRpcServer;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Routes calls by region: only the servers that registered a region's topic take its calls. */
public final class TopicCallSnippet {

  private TopicCallSnippet() {}

  /** Registers "eu" on a server, calls it, deregisters it, and returns what the calls gave. */
  public static String run(PulsarClient pulsar, String topic) throws Exception {
    try (PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .requestSubscription("pricing")
                .build(
                    pulsar,
                    item -> CompletableFuture.completedFuture("EUR price of " + item),
                    (id, item) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .replyTopic(topic + "-replies")
                .replySubscription("pricing-client-1")
                .build(pulsar)) {

      // Take the calls of region "eu" too, without restarting anything.
      server.registerTopicAsync("eu").get();
      RequestOptions eu = RequestOptions.defaults().withTopic("eu");
      String price = client.request("chair", eu);
      System.out.println(price + " (topics: " + server.topics() + ")");

      server.deregisterTopicAsync("eu").get();
      try {
        client.request("table", eu);
      } catch (PulsarRpcClientException e) {
        // No server took the call within the client's claim window: no_responders.
        System.out.println("after deregistering: " + e.code());
        return price + " / " + e.code();
      }
      return price;
    }
  }
}
