package io.pulsarrpc.benchmarks;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * The round trip through the bus SPI alone (publish, receive, acknowledge, publish the answer,
 * receive it), used for the in-memory bus: what RPC over that bus costs beyond the bus itself is
 * the engine's own overhead.
 */
final class RawBusRoundTrip implements RawRoundTrip {

  /** Receives each side keeps outstanding, so that neither side waits for one message at a time. */
  private static final int RECEIVERS = 16;

  private final byte[] payload;
  private final PendingAnswers pending = new PendingAnswers();
  private final BusProducer<byte[]> requests;
  private final BusProducer<byte[]> replies;
  private final BusConsumer<byte[]> responder;
  private final BusConsumer<byte[]> caller;
  private volatile boolean closed;

  RawBusRoundTrip(MessageBus bus, String requestTopic, String replyTopic, byte[] payload)
      throws Exception {
    this.payload = payload;
    this.caller =
        bus.subscribe(
                SubscriptionSpec.ofTopic(
                    replyTopic, "raw-caller", SubscriptionMode.EXCLUSIVE, Schema.BYTES))
            .get(30, TimeUnit.SECONDS);
    this.responder =
        bus.subscribe(
                SubscriptionSpec.ofTopic(
                    requestTopic, "raw-responder", SubscriptionMode.SHARED, Schema.BYTES))
            .get(30, TimeUnit.SECONDS);
    this.replies =
        bus.createProducer(ProducerSpec.of(replyTopic, Schema.BYTES)).get(30, TimeUnit.SECONDS);
    this.requests =
        bus.createProducer(ProducerSpec.of(requestTopic, Schema.BYTES)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < RECEIVERS; i++) {
      BusPump.keepReceiving(responder, this::answer, () -> closed);
      BusPump.keepReceiving(caller, this::complete, () -> closed);
    }
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(id, () -> requests.send(OutgoingMessage.of(id, payload, Map.of())));
  }

  @Override
  public void close() {
    closed = true;
    requests.closeAsync();
    replies.closeAsync();
    responder.closeAsync();
    caller.closeAsync();
  }

  private void answer(IncomingMessage<byte[]> request) {
    request.acknowledge();
    replies.send(OutgoingMessage.of(request.key(), request.value(), Map.of()));
  }

  private void complete(IncomingMessage<byte[]> reply) {
    reply.acknowledge();
    pending.answered(reply.key());
  }
}
