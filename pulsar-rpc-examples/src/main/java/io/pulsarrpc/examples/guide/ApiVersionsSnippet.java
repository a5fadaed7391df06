package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.server.PulsarRpcServer;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** A server that supports API versions 2 to 3 serves a version 3 client and refuses version 1. */
public final class ApiVersionsSnippet {

  private ApiVersionsSnippet() {}

  /** Calls the server as version 3, then as version 1, and returns what the calls gave. */
  public static String run(PulsarClient pulsar, String topic) throws Exception {
    try (PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .requestSubscription("greeter")
                .apiVersions(2, 3)
                .build(
                    pulsar,
                    name -> CompletableFuture.completedFuture("Hello, " + name),
                    (id, name) -> {});
        PulsarRpcClient<String, String> current = client(pulsar, topic, "current", 3);
        PulsarRpcClient<String, String> old = client(pulsar, topic, "old", 1)) {

      String greeting = current.request("Ada");
      System.out.println("version 3: " + greeting);
      try {
        old.request("Bob");
        return greeting;
      } catch (PulsarRpcClientException e) {
        // The server refused the call before its function ran: client_too_old.
        System.out.println("version 1: " + e.code() + " - " + e.getMessage());
        return greeting + " / " + e.code();
      }
    }
  }

  private static PulsarRpcClient<String, String> client(
      PulsarClient pulsar, String topic, String name, int apiVersion) throws Exception {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic(topic)
        .replyTopic(topic + "-" + name + "-replies")
        .replySubscription(name + "-client-1")
        .apiVersion(apiVersion)
        .build(pulsar);
  }
}
