package com.example.hello;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Calls the hello service of {@link HelloServer}. */
public final class HelloClient {

  private HelloClient() {}

  /**
   * A client of the service on {@code requestTopic}. Each client instance needs its own {@code
   * clientId}: it names the client's reply topic and its exclusive reply subscription.
   */
  public static PulsarRpcClient<String, String> connect(
      PulsarClient pulsarClient, String requestTopic, String clientId)
      throws PulsarRpcClientException {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .replyTopic(requestTopic + "-replies-" + clientId)
        .replySubscription(clientId)
        .replyTimeout(Duration.ofSeconds(10))
        .build(pulsarClient);
  }
}
