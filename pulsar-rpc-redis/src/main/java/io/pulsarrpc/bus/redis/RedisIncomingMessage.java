package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.PulsarMessageView;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.schema.SchemaInfo;

/**
 * One delivery of a stream entry to one consumer. Each redelivery is a new instance, so a negative
 * acknowledgement settles only the delivery it was called on. Thread-safe.
 */
final class RedisIncomingMessage<T> implements IncomingMessage<T> {

  private enum State {
    DELIVERED,
    ACKNOWLEDGED,
    NEGATIVELY_ACKNOWLEDGED
  }

  private final RedisBusConsumer<T> consumer;
  private final StreamEntry entry;
  private final int redeliveryCount;
  private final BusMessageId id;
  private final AtomicReference<State> state = new AtomicReference<>(State.DELIVERED);
  private volatile Decoded<T> decoded;

  RedisIncomingMessage(RedisBusConsumer<T> consumer, StreamEntry entry, int redeliveryCount) {
    this.consumer = consumer;
    this.entry = entry;
    this.redeliveryCount = redeliveryCount;
    this.id = new BusMessageId(entry.topic(), entry.id(), entry.sequence());
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
    Decoded<T> value = decoded;
    if (value == null) {
      Schema<T> schema = consumer.schema();
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
      try {
        // A copy: Schema.BYTES returns the array it is given.
        value = new Decoded<>(schema.decode(entry.data().clone()));
      } catch (RuntimeException e) {
        throw new MessageDecodeException(
            "cannot decode entry "
                + entry.id()
                + " of topic '"
                + topic()
                + "' with the consumer's "
                + schemaType(schema)
                + " schema: "
                + e.getMessage(),
            e);
      }
      decoded = value;
    }
    return value.value();
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
    State previous = state.getAndSet(State.ACKNOWLEDGED);
    if (previous == State.ACKNOWLEDGED) {
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
    if (state.compareAndSet(State.DELIVERED, State.NEGATIVELY_ACKNOWLEDGED)) {
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

  private static String schemaType(Schema<?> schema) {
    SchemaInfo info = schema.getSchemaInfo();
    return info == null ? schema.getClass().getSimpleName() : String.valueOf(info.getType());
  }

  /** A decoded value, boxed so that a decoded null is remembered too. */
  private record Decoded<T>(T value) {}
}
