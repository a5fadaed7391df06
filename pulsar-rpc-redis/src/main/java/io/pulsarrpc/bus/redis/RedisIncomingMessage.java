package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.support.DecodedValue;
import io.pulsarrpc.bus.support.DeliveryState;
import io.pulsarrpc.bus.support.DeliveryState.Settlement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/**
 * One delivery of a stream entry to one consumer. Each redelivery is a new instance, so a negative
 * acknowledgement settles only the delivery it was called on. Thread-safe.
 */
final class RedisIncomingMessage<T> implements IncomingMessage<T> {

  private final RedisBusConsumer<T> consumer;
  private final StreamEntry entry;
  private final int redeliveryCount;
  private final BusMessageId id;
  private final DeliveryState state = new DeliveryState();
  private final DecodedValue<T> decoded;

  RedisIncomingMessage(RedisBusConsumer<T> consumer, StreamEntry entry, int redeliveryCount) {
    this.consumer = consumer;
    this.entry = entry;
    this.redeliveryCount = redeliveryCount;
    this.id = new BusMessageId(entry.topic(), entry.id(), entry.sequence());
    this.decoded =
        new DecodedValue<>(
            consumer.schema(), () -> "entry " + entry.id() + " of topic '" + entry.topic() + "'");
  }

  @Override
  public String topic() {
    return entry.topic();
  }

  @Override
  public String key() {
    return entry.key();
  }

  @Override
  public Map<String, String> properties() {
    return entry.properties();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Decoded once, with the consumer's schema. An entry without a {@code value} field (not
   * written by this bus) does not decode either.
   */
  @Override
  public T value() {
    if (entry.nullValue()) {
      return null;
    }
    if (entry.data() == null) {
      throw new MessageDecodeException(
          "cannot decode entry "
              + entry.id()
              + " of topic '"
              + topic()
              + "': it has no '"
              + EntryLayout.VALUE
              + "' field",
          null);
    }
    return decoded.get(entry.data());
  }

  /** The raw bytes of the {@code value} field; empty for a null value or a missing field. */
  @Override
  public byte[] data() {
    return entry.data() == null ? new byte[0] : entry.data().clone();
  }

  /** A {@link BusMessageId} whose text is the stream entry id. */
  @Override
  public MessageId id() {
    return id;
  }

  /**
   * When Redis stored the entry in the stream (the time part of its id, by the Redis server's
   * clock); for a delayed message, when it was moved to the stream, at or after its delivery time.
   */
  @Override
  public long publishTime() {
    return entry.publishTime();
  }

  /** The entry's delivery count in its group's pending list, minus one. */
  @Override
  public int redeliveryCount() {
    return redeliveryCount;
  }

  /**
   * XACK: removes the entry from the group's pending list. Idempotent. Works after the consumer was
   * closed too, as long as the bus is open (the entry may then have gone to another consumer
   * already); fails with "bus closed" afterwards, or with the Redis error.
   */
  @Override
  public CompletableFuture<Void> acknowledge() {
    if (state.acknowledge() == Settlement.ACKNOWLEDGED) {
      return CompletableFuture.completedFuture(null);
    }
    return consumer.acknowledge(entry.id());
  }

  /**
   * Delivers the entry again after the bus's negative-ack delay, to this consumer, with the
   * redelivery count raised by one. If this consumer closes first, the entry goes to another
   * consumer of the subscription. Does nothing after {@link #acknowledge()} or a first call.
   */
  @Override
  public void negativeAcknowledge() {
    if (state.negativeAcknowledge()) {
      consumer.negativeAcknowledge(entry.id());
    }
  }

  @Override
  public Message<T> asPulsarMessage() {
    return PulsarMessageView.of(this);
  }

  /** Always null: there is no Pulsar consumer on this bus. */
  @Override
  public Consumer<T> pulsarConsumer() {
    return null;
  }

  @Override
  public String toString() {
    return "RedisIncomingMessage[topic="
        + topic()
        + ", id="
        + entry.id()
        + ", key="
        + key()
        + ", redeliveryCount="
        + redeliveryCount
        + "]";
  }
}
