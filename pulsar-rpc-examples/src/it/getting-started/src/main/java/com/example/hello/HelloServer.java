package com.example.hello;

import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.server.PulsarRpcServer;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Answers every name sent to the request topic with a greeting. */
public final class HelloServer {

  private HelloServer() {}

  /**
   * Starts a server on {@code requestTopic}. Close it when done; it never closes {@code
   * pulsarClient}.
   */
  public static PulsarRpcServer<String, String> start(
      PulsarClient pulsarClient, String requestTopic) throws PulsarRpcServerException {
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription("hello-service")
        .build(
            pulsarClient,
            name -> CompletableFuture.completedFuture("Hello, " + name + "!"),
            (correlationId, name) -> {}); // rollback of a late reply: a greeting has nothing to undo
  }
}
