package io.pulsarrpc.bus.pulsar;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/** An {@link IncomingMessage} that is one Pulsar message and the consumer that received it. */
final class PulsarIncomingMessage<T> implements IncomingMessage<T> {

  private final Message<T> message;
  private final Consumer<T> consumer;

  PulsarIncomingMessage(Message<T> message, Consumer<T> consumer) {
    this.message = message;
    this.consumer = consumer;
  }

  @Override
  public String topic() {
    return message.getTopicName();
  }

  @Override
  public String key() {
    return message.getKey();
  }

  @Override
  public Map<String, String> properties() {
    return message.getProperties();
  }

  /**
   * Decodes the value with the consumer's schema on every call, as Pulsar does.
   *
   * @throws MessageDecodeException naming the topic and message id, with the schema's exception as
   *     the cause, when the bytes do not decode
   */
  @Override
  public T value() {
    try {
      return message.getValue();
    } catch (RuntimeException e) {
      throw new MessageDecodeException(
          "Could not decode message "
              + message.getMessageId()
              + " of topic "
              + message.getTopicName()
              + " with the consumer's schema: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public byte[] data() {
    // Pulsar gives null for a message sent with a null value; the SPI promises empty data.
    byte[] data = message.getData();
    return data == null ? new byte[0] : data;
  }

  @Override
  public MessageId id() {
    return message.getMessageId();
  }

  @Override
  public long publishTime() {
    return message.getPublishTime();
  }

  @Override
  public int redeliveryCount() {
    return message.getRedeliveryCount();
  }

  @Override
  public CompletableFuture<Void> acknowledge() {
    return consumer.acknowledgeAsync(message);
  }

  @Override
  public void negativeAcknowledge() {
    consumer.negativeAcknowledge(message);
  }

  @Override
  public Message<T> asPulsarMessage() {
    return message;
  }

  @Override
  public Consumer<T> pulsarConsumer() {
    return consumer;
  }

  @Override
  public String toString() {
    return "PulsarIncomingMessage[topic="
        + message.getTopicName()
        + ", id="
        + message.getMessageId()
        + ", key="
        + message.getKey()
        + "]";
  }
}
