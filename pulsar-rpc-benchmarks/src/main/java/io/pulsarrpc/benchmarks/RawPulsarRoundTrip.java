package io.pulsarrpc.benchmarks;

import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.common.WireProperties;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.api.TypedMessageBuilder;

/**
 * The physical limit on Pulsar: a producer sends to a request topic, a Shared consumer receives and
 * acknowledges each request and a second producer sends it back to a reply topic, whose Exclusive
 * consumer completes the call. Both producers take the same settings as the RPC client's request
 * producer. The two sides use two clients, as two processes would.
 *
 * <p>The responder may spend a given CPU time on each request before it replies ({@code
 * --raw-work-us}), in a busy loop on its listener thread, to show how the round trip reacts to a
 * server's cost per call. Requests and replies may carry the properties of a plain RPC call ({@code
 * --raw-properties rpc}: the reply topic, the timeout and the reply subscription on the request;
 * the answering subscription and the reply subscription on the reply), to show what the Pulsar
 * client's writing and parsing of them costs.
 *
 * <p>The caller's producer is used by the harness's load threads; the responder's work runs on its
 * consumer's listener thread, and completions on the caller consumer's listener thread.
 */
final class RawPulsarRoundTrip implements RawRoundTrip {

  private static final String CALLER = "raw-caller";
  private static final String RESPONDER = "raw-responder";

  /** The RPC client's default reply timeout, as a plain call states it. */
  private static final String REQUEST_TIMEOUT_MILLIS =
      Long.toString(PulsarRpcClientBuilder.DEFAULT_REPLY_TIMEOUT.toMillis());

  private final byte[] payload;
  private final String replyTopic;
  private final boolean rpcProperties;
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
    this.replyTopic = replyTopic;
    this.rpcProperties = settings.rpcProperties();
    long workNanos = settings.responderWork().toNanos();
    this.caller =
        callerClient
            .newConsumer(Schema.BYTES)
            .topic(replyTopic)
            .subscriptionName(CALLER)
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
            .subscriptionName(RESPONDER)
            .subscriptionType(SubscriptionType.Shared)
            .messageListener(
                (consumer, message) -> {
                  consumer.acknowledgeAsync(message);
                  busy(workNanos);
                  TypedMessageBuilder<byte[]> reply =
                      replies.newMessage().key(message.getKey()).value(message.getValue());
                  if (rpcProperties) {
                    reply.properties(
                        replyProperties(message.getProperty(WireProperties.REPLY_SUBSCRIPTION)));
                  }
                  reply.sendAsync();
                })
            .subscribe();
    this.requests =
        callerClient
            .newProducer(Schema.BYTES)
            .topic(requestTopic)
            .loadConf(producerConfig)
            .create();
  }

  /**
   * The properties of a plain RPC call's request (docs/protocol.md): where to reply, the caller's
   * timeout, and the caller's reply subscription. A new map per message, as the RPC client makes.
   */
  static Map<String, String> requestProperties(String replyTopic) {
    return Map.of(
        WireProperties.REPLY_TOPIC,
        replyTopic,
        WireProperties.REQUEST_TIMEOUT_IN_MILLIS,
        REQUEST_TIMEOUT_MILLIS,
        WireProperties.REPLY_SUBSCRIPTION,
        CALLER);
  }

  /**
   * The properties of a plain RPC call's reply: the subscription that answered, and the reply
   * subscription echoed from the request.
   */
  static Map<String, String> replyProperties(String replySubscription) {
    return Map.of(
        WireProperties.SERVER_SUB, RESPONDER, WireProperties.REPLY_SUBSCRIPTION, replySubscription);
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
    return pending.send(
        id,
        () -> {
          TypedMessageBuilder<byte[]> request = requests.newMessage().key(id).value(payload);
          if (rpcProperties) {
            request.properties(requestProperties(replyTopic));
          }
          return request.sendAsync();
        });
  }

  @Override
  public void close() {
    requests.closeAsync();
    responder.closeAsync();
    replies.closeAsync();
    caller.closeAsync();
  }
}
