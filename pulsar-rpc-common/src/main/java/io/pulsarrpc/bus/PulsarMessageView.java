package io.pulsarrpc.bus;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.api.EncryptionContext;

/**
 * A read-only Pulsar {@link Message} over an {@link IncomingMessage} of a bus other than Pulsar, so
 * that callbacks written against Pulsar's type work on every bus.
 *
 * <p>What the bus carries is delegated: value, data, key, properties, message id, publish time,
 * topic and redelivery count. Metadata that only a Pulsar broker produces is reported as absent,
 * with the value Pulsar itself returns when the field is not set: {@code null} for absent byte
 * arrays and strings, {@code 0} for the event time, {@code false} for the {@code has...}/{@code
 * is...} questions and an empty {@link Optional} for the optional fields. Each method's javadoc
 * says which. {@link #release()} does nothing: there is no pooled buffer to return.
 *
 * <p>Thread-safe when the underlying message is, as every {@link IncomingMessage} is. The view
 * offers no way to acknowledge; use the {@link IncomingMessage} for that.
 *
 * @param <T> the value type
 */
public final class PulsarMessageView<T> implements Message<T> {

  /** Returned by {@link #getSequenceId()}: Pulsar's own "no sequence id" value. */
  public static final long NO_SEQUENCE_ID = -1L;

  private final IncomingMessage<T> message;

  private PulsarMessageView(IncomingMessage<T> message) {
    this.message = message;
  }

  /**
   * A view of {@code message}. Every call reads through to it; nothing is copied.
   *
   * @throws NullPointerException when {@code message} is null
   */
  public static <T> PulsarMessageView<T> of(IncomingMessage<T> message) {
    return new PulsarMessageView<>(Objects.requireNonNull(message, "message"));
  }

  /** The message's properties, unmodifiable; empty when it has none. */
  @Override
  public Map<String, String> getProperties() {
    return Collections.unmodifiableMap(message.properties());
  }

  @Override
  public boolean hasProperty(String name) {
    return message.properties().containsKey(name);
  }

  /** The property's value, or null when the message does not have it. */
  @Override
  public String getProperty(String name) {
    return message.properties().get(name);
  }

  /** The raw bytes of the value, as {@link IncomingMessage#data()} returns them. */
  @Override
  public byte[] getData() {
    return message.data();
  }

  /** The length of {@link #getData()}. */
  @Override
  public int size() {
    byte[] data = message.data();
    return data == null ? 0 : data.length;
  }

  /**
   * The decoded value.
   *
   * @throws MessageDecodeException when the bytes do not decode with the consumer's schema (where
   *     Pulsar would throw its {@code SchemaSerializationException})
   */
  @Override
  public T getValue() {
    return message.value();
  }

  /** The bus's id of the message, usually a {@link BusMessageId}. */
  @Override
  public MessageId getMessageId() {
    return message.id();
  }

  @Override
  public long getPublishTime() {
    return message.publishTime();
  }

  /** Always {@code 0}, Pulsar's value for "no event time": other buses do not carry one. */
  @Override
  public long getEventTime() {
    return 0L;
  }

  /**
   * Always {@link #NO_SEQUENCE_ID} ({@code -1}): other buses have no producer sequence id, and
   * {@code 0} would be a valid one.
   */
  @Override
  public long getSequenceId() {
    return NO_SEQUENCE_ID;
  }

  /** Always {@code null}, Pulsar's value for "no producer name". */
  @Override
  public String getProducerName() {
    return null;
  }

  @Override
  public boolean hasKey() {
    return message.key() != null;
  }

  /** The key, or null when the message has none. */
  @Override
  public String getKey() {
    return message.key();
  }

  /** Always {@code false}: keys of other buses are plain strings. */
  @Override
  public boolean hasBase64EncodedKey() {
    return false;
  }

  /** The key in UTF-8, or null when the message has none (as Pulsar). */
  @Override
  public byte[] getKeyBytes() {
    String key = message.key();
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  /** Always {@code false}: other buses have no ordering key. */
  @Override
  public boolean hasOrderingKey() {
    return false;
  }

  /** Always {@code null}, Pulsar's value for "no ordering key". */
  @Override
  public byte[] getOrderingKey() {
    return null;
  }

  /** The topic the message was published to, as the bus names it. */
  @Override
  public String getTopicName() {
    return message.topic();
  }

  /** Always empty: other buses do not encrypt messages end to end. */
  @Override
  public Optional<EncryptionContext> getEncryptionCtx() {
    return Optional.empty();
  }

  @Override
  public int getRedeliveryCount() {
    return message.redeliveryCount();
  }

  /** Always {@code null}, Pulsar's value for "no schema version": other buses have no registry. */
  @Override
  public byte[] getSchemaVersion() {
    return null;
  }

  /** Always empty: the consumer's schema is not exposed through the bus SPI. */
  @Override
  public Optional<Schema<?>> getReaderSchema() {
    return Optional.empty();
  }

  /** Always {@code false}: other buses do not replicate between Pulsar clusters. */
  @Override
  public boolean isReplicated() {
    return false;
  }

  /** Always {@code null}, Pulsar's value for a message that was not replicated. */
  @Override
  public String getReplicatedFrom() {
    return null;
  }

  /** Does nothing: the view holds no pooled buffer. */
  @Override
  public void release() {}

  /** Always {@code false}: see {@link #getPublishTime()} for when the bus stored the message. */
  @Override
  public boolean hasBrokerPublishTime() {
    return false;
  }

  /** Always empty: see {@link #getPublishTime()} for when the bus stored the message. */
  @Override
  public Optional<Long> getBrokerPublishTime() {
    return Optional.empty();
  }

  /** Always {@code false}: other buses do not assign Pulsar broker entry indexes. */
  @Override
  public boolean hasIndex() {
    return false;
  }

  /** Always empty: other buses do not assign Pulsar broker entry indexes. */
  @Override
  public Optional<Long> getIndex() {
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "PulsarMessageView[topic="
        + message.topic()
        + ", id="
        + message.id()
        + ", key="
        + message.key()
        + "]";
  }
}
