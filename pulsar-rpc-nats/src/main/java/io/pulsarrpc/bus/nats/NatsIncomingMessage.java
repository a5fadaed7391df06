package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.support.DecodedValue;
import io.pulsarrpc.bus.support.DeliveryState;
import io.pulsarrpc.bus.support.Failures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of a NATS message to one consumer. Thread-safe.
 *
 * <p>On JetStream, {@link #acknowledge()} sends JetStream's {@code +ACK} as a request, so the
 * future completes when the server confirmed it, and {@link #negativeAcknowledge()} sends {@code
 * -NAK} with the bus's redelivery delay. Both settle this delivery once: a second acknowledgement
 * returns the first one's result, and a negative acknowledgement after an acknowledgement does
 * nothing. On core NATS there is nothing to settle: the server forgot the message when it delivered
 * it, so acknowledging succeeds at once and a negative acknowledgement does nothing.
 */
final class NatsIncomingMessage<T> implements IncomingMessage<T> {

  private static final Logger log = LoggerFactory.getLogger(NatsIncomingMessage.class);
  private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);

  /**
   * What settling a message needs from its bus.
   *
   * @param jetStream false on core NATS, where there is nothing to settle
   */
  record Settlement(
      boolean jetStream,
      Connection connection,
      Duration timeout,
      Duration negativeAckDelay,
      Executor callbacks) {}

  private final String topic;
  private final Message message;
  private final MessageHeaders.Decoded headers;
  private final byte[] body;
  private final BusMessageId id;
  private final long publishTime;
  private final int redeliveryCount;
  private final Settlement settlement;
  private final BooleanSupplier consumerClosed;
  private final AtomicReference<CompletableFuture<Void>> acknowledged = new AtomicReference<>();
  private final DeliveryState state = new DeliveryState();
  private final DecodedValue<T> value;

  /**
   * @param headers key, properties, delivery time and null-value flag, read from the NATS headers
   *     (JetStream) or the envelope ({@link CoreEnvelope}, core NATS)
   * @param body the value's bytes: the message body on JetStream, what follows the envelope on core
   *     NATS; empty for a null value
   */
  NatsIncomingMessage(
      String topic,
      Schema<T> schema,
      Message message,
      MessageHeaders.Decoded headers,
      byte[] body,
      long sequence,
      long publishTime,
      int redeliveryCount,
      Settlement settlement,
      BooleanSupplier consumerClosed) {
    this.topic = topic;
    this.message = message;
    this.headers = headers;
    this.body = body;
    this.id = new BusMessageId(topic, String.valueOf(sequence), sequence);
    this.publishTime = publishTime;
    this.redeliveryCount = redeliveryCount;
    this.settlement = settlement;
    this.consumerClosed = consumerClosed;
    this.value = new DecodedValue<>(schema, () -> "message " + id + " on topic '" + topic + "'");
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String key() {
    return headers.key();
  }

  @Override
  public Map<String, String> properties() {
    return headers.properties();
  }

  /**
   * Decodes the body with the consumer's schema, once.
   *
   * @throws MessageDecodeException naming the topic and message id, with the schema's exception as
   *     the cause, when the bytes do not decode
   */
  @Override
  public T value() {
    if (headers.nullValue()) {
      return null;
    }
    return value.get(body);
  }

  /** The value's bytes, copied; empty for a null value. */
  @Override
  public byte[] data() {
    return body.clone();
  }

  /**
   * A {@link BusMessageId}: the topic and the message's stream sequence (on core NATS, its number
   * among the messages this consumer received).
   */
  @Override
  public BusMessageId id() {
    return id;
  }

  /**
   * When the NATS server stored the message (its clock); on core NATS, when the producer sent it
   * (the producer's clock).
   */
  @Override
  public long publishTime() {
    return publishTime;
  }

  @Override
  public int redeliveryCount() {
    return redeliveryCount;
  }

  /**
   * Acknowledges with confirmation from the server. The future completes on a bus thread; it fails
   * with an {@link IllegalStateException} when the server does not confirm within the bus's
   * operation timeout (the message then comes back after the ack wait), the connection is closed,
   * or the consumer that received the message is closed.
   */
  @Override
  public CompletableFuture<Void> acknowledge() {
    if (consumerClosed.getAsBoolean()) {
      // Its consumer gave it up: on JetStream it goes to the next consumer after the ack wait, and
      // acknowledging now could settle a delivery another consumer is handling.
      return cannotAcknowledge(
          "its consumer is closed"
              + (settlement.jetStream()
                  ? "; it is delivered to another consumer of the subscription"
                  : ""));
    }
    if (!settlement.jetStream()) {
      return CompletableFuture.completedFuture(null);
    }
    if (state.acknowledge() == DeliveryState.Settlement.RETURNED) {
      return cannotAcknowledge("it was given back for redelivery");
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (!acknowledged.compareAndSet(null, result)) {
      return acknowledged.get().copy();
    }
    CompletableFuture<Message> reply;
    try {
      reply =
          settlement
              .connection()
              .requestWithTimeout(message.getReplyTo(), ACK, settlement.timeout());
    } catch (RuntimeException e) {
      result.completeExceptionally(notConfirmed(e));
      return result.copy();
    }
    reply.whenCompleteAsync(
        (answer, error) -> {
          if (error != null) {
            result.completeExceptionally(notConfirmed(Failures.unwrapped(error)));
          } else if (answer.isStatusMessage()) {
            result.completeExceptionally(
                notConfirmed(new IllegalStateException(String.valueOf(answer.getStatus()))));
          } else {
            result.complete(null);
          }
        },
        settlement.callbacks());
    return result.copy();
  }

  /**
   * Gives the message back for redelivery after the bus's negative-ack delay. Does nothing after
   * {@link #acknowledge()}, or when the connection is closed (the message then comes back after the
   * ack wait).
   */
  @Override
  public void negativeAcknowledge() {
    if (!settlement.jetStream() || !state.negativeAcknowledge()) {
      return;
    }
    try {
      if (settlement.negativeAckDelay().isZero()) {
        message.nak();
      } else {
        message.nakWithDelay(settlement.negativeAckDelay());
      }
    } catch (RuntimeException e) {
      log.debug("Could not negatively acknowledge {}: {}", this, e.toString());
    }
  }

  @Override
  public org.apache.pulsar.client.api.Message<T> asPulsarMessage() {
    return PulsarMessageView.of(this);
  }

  /** Always null: there is no Pulsar consumer on this bus. */
  @Override
  public Consumer<T> pulsarConsumer() {
    return null;
  }

  /**
   * Restarts the message's ack wait (JetStream's "in progress"), for a message the consumer held
   * until its delivery time before handing it over. Best effort: when it cannot be sent, the
   * message may come back after what is left of the ack wait.
   */
  void restartAckWait() {
    if (!settlement.jetStream()) {
      return;
    }
    try {
      message.inProgress();
    } catch (RuntimeException e) {
      log.debug("Could not restart the ack wait of {}: {}", this, e.toString());
    }
  }

  /**
   * Gives back a message that no receive took (its caller gave up, or the consumer closed), for
   * redelivery at once.
   */
  void giveBack() {
    if (settlement.jetStream() && state.returnFrom(DeliveryState.Settlement.DELIVERED)) {
      try {
        message.nak();
      } catch (RuntimeException e) {
        log.debug("Could not give back {}: {}", this, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "NatsIncomingMessage[topic="
        + topic
        + ", id="
        + id
        + ", key="
        + key()
        + ", redeliveryCount="
        + redeliveryCount
        + "]";
  }

  private CompletableFuture<Void> cannotAcknowledge(String why) {
    return CompletableFuture.failedFuture(
        new IllegalStateException(
            "cannot acknowledge message " + id + " on topic '" + topic + "': " + why));
  }

  private IllegalStateException notConfirmed(Throwable cause) {
    return new IllegalStateException(
        "the NATS server did not confirm the acknowledgement of message "
            + id
            + " on topic '"
            + topic
            + "': "
            + cause.getMessage()
            + "; unless it arrived, the message is delivered again after the ack wait",
        cause);
  }
}
