package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;

/**
 * Publishes a call's request message: the call's key and value, the request properties written by
 * {@link RequestHeaders} (the client's reply topic and subscription, the timeout, the schedule, the
 * metadata) and the call's message settings. Thread-safe; called on the caller's thread.
 */
final class RequestPublisher<T> {

  private final BusProducer<T> producer;
  private final String replyTopic;
  private final String replySubscription;

  RequestPublisher(BusProducer<T> producer, String replyTopic, String replySubscription) {
    this.producer = producer;
    this.replyTopic = replyTopic;
    this.replySubscription = replySubscription;
  }

  /**
   * Publishes the request of {@code call}.
   *
   * @throws IllegalArgumentException when the bus refuses the call's message settings
   */
  CompletableFuture<MessageId> publish(ClientCall<T> call) {
    return publish(call, CallKind.SINGLE);
  }

  /**
   * Publishes the request of {@code call} as a call of {@code kind}.
   *
   * @throws IllegalArgumentException when the bus refuses the call's message settings
   */
  CompletableFuture<MessageId> publish(ClientCall<T> call, CallKind kind) {
    long deliverAt = call.deliverAtMillis();
    return producer.send(
        new OutgoingMessage<>(
            call.correlationId(),
            call.value(),
            RequestHeaders.write(
                replyTopic,
                replySubscription,
                call.timeout().toMillis(),
                deliverAt,
                call.metadata(),
                kind,
                false,
                null),
            deliverAt,
            call.messageConfig()));
  }

  CompletableFuture<Void> closeAsync() {
    return producer.closeAsync();
  }
}
