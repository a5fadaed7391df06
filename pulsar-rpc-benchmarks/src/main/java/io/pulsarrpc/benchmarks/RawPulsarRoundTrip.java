package io.pulsarrpc.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * The physical limit on Pulsar: a producer sends to a request topic, a Shared consumer receives and
 * acknowledges each request and a second producer sends it back to a reply topic, whose Exclusive
 * consumer completes the call. Both producers take the same settings as the RPC client's request
 * producer. The two sides use two clients, as two processes would.
 *
 * <p>The responder may spend a given CPU time on each request before it replies ({@code
 * --raw-work-us}), in a busy loop on its listener thread, to show how the round trip reacts to a
 * server's cost per call.
 */
final class RawPulsarRoundTrip implements RawRoundTrip {

  private final byte[] payload;
  private final PendingAnswers pending = new PendingAnswers();
  private final Producer<byte[]> requests;
  private final Producer<byte[]> replies;
  private final Consumer<byte[]> responder;
  private final Consumer<byte[]> caller;

  RawPulsarRoundTrip(
      PulsarClient callerClient,
      PulsarClient responderClient,
      String requestTopic,
      String replyTopic,
      Map<String, Object> producerConfig,
      RawPulsarSettings settings,
      byte[] payload)
      throws PulsarClientException {
    this.payload = payload;
    long workNanos = settings.responderWork().toNanos();
    this.caller =
        callerClient
            .newConsumer(Schema.BYTES)
            .topic(replyTopic)
            .subscriptionName("raw-caller")
            .subscriptionType(SubscriptionType.Exclusive)
            .messageListener(
                (consumer, message) -> {
                  consumer.acknowledgeAsync(message);
                  pending.answered(message.getKey());
                })
            .subscribe();
    this.replies =
        responderClient
            .newProducer(Schema.BYTES)
            .topic(replyTopic)
            .loadConf(producerConfig)
            .create();
    this.responder =
        responderClient
            .newConsumer(Schema.BYTES)
            .topic(requestTopic)
            .subscriptionName("raw-responder")
            .subscriptionType(SubscriptionType.Shared)
            .messageListener(
                (consumer, message) -> {
                  consumer.acknowledgeAsync(message);
                  busy(workNanos);
                  replies.newMessage().key(message.getKey()).value(message.getValue()).sendAsync();
                })
            .subscribe();
    this.requests =
        callerClient
            .newProducer(Schema.BYTES)
            .topic(requestTopic)
            .loadConf(producerConfig)
            .create();
  }

  /** Keeps this thread on the CPU for {@code nanos}. */
  static void busy(long nanos) {
    if (nanos <= 0) {
      return;
    }
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(id, () -> requests.newMessage().key(id).value(payload).sendAsync());
  }

  @Override
  public void close() {
    requests.closeAsync();
    responder.closeAsync();
    replies.closeAsync();
    caller.closeAsync();
  }
}
