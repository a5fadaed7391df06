package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Fails a call fast, rather than at its deadline, when no server takes it. */
public final class ClaimedCallSnippet {

  private ClaimedCallSnippet() {}

  /** Calls a topic that no server reads and returns the call's error code. */
  public static ErrorCode run(PulsarClient pulsar, String topic) throws Exception {
    try (PulsarRpcClient<String, String> client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(topic)
            .replyTopic(topic + "-replies")
            .replySubscription("impatient-client-1")
            .replyTimeout(Duration.ofMinutes(5))
            .claimWindow(Duration.ofSeconds(1))
            .build(pulsar)) {
      try {
        client.request("ping", RequestOptions.defaults().withClaimRequired());
        return ErrorCode.UNKNOWN;
      } catch (PulsarRpcClientException e) {
        System.out.println("failed after the claim window, not the timeout: " + e.code());
        return e.code();
      }
    }
  }
}
