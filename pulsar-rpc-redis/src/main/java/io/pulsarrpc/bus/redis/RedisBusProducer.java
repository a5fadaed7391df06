package io.pulsarrpc.bus.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulConnection;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.support.MessageSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.MessageId;

/**
 * Publishes to one topic's stream with XADD, or, for a message with a future delivery time, to the
 * topic's sorted set of delayed entries. Thread-safe.
 */
final class RedisBusProducer<T> implements BusProducer<T> {

  private final BusResources resources;
  private final ProducerSpec<T> spec;
  private final long maxLength;
  private final byte[] stream;
  private final StatefulConnection<byte[], byte[]> connection;
  private final Consumer<Object> onClosed;
  private volatile boolean closed;

  /**
   * @param connection the bus's shared command connection, which every send uses; Lettuce
   *     reconnects it by itself, so it stays the same for the producer's life
   */
  RedisBusProducer(
      BusResources resources,
      ProducerSpec<T> spec,
      long maxLength,
      StatefulConnection<byte[], byte[]> connection,
      Consumer<Object> onClosed) {
    this.resources = resources;
    this.connection = connection;
    this.spec = spec;
    this.maxLength = maxLength;
    this.stream = RedisKeys.stream(spec.topic());
    this.onClosed = onClosed;
  }

  @Override
  public String topic() {
    return spec.topic();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Throws {@link IllegalArgumentException} at once for a null message or a message config key
   * this bus does not support (see {@link RedisMessageBus}). A value the schema cannot encode, a
   * closed producer or bus, or a Redis error fail the future. A message whose delivery time is in
   * the future completes with a {@link BusMessageId} {@code delayed-<uuid>} that names the delayed
   * entry: the stream entry id exists only once the entry is moved to the stream.
   */
  @Override
  public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
    long now = System.currentTimeMillis();
    MessageSettings settings = MessageSettings.resolve(message, now, "redis");
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("producer closed: " + this + " was closed"));
    }
    byte[] data = null;
    if (message.value() != null) {
      try {
        byte[] encoded = spec.schema().encode(message.value());
        // A copy: Schema.BYTES hands back the caller's own array, which Lettuce writes later.
        data = encoded == null ? new byte[0] : encoded.clone();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    List<byte[]> fields = EntryLayout.fields(settings.key(), data, settings.properties());
    if (settings.deliverAt() > now) {
      return sendLater(settings.deliverAt(), fields);
    }
    Object[] body = fields.toArray();
    return resources
        .commands()
        .thenCompose(
            commands ->
                commands.xadd(stream, new XAddArgs().maxlen(maxLength).approximateTrimming(), body))
        .thenApply(id -> new BusMessageId(spec.topic(), id, StreamEntry.sequence(id)));
  }

  private CompletableFuture<MessageId> sendLater(long deliverAt, List<byte[]> fields) {
    String uniqueId = UUID.randomUUID().toString();
    byte[] member = EntryLayout.delayedMember(uniqueId, maxLength, fields);
    // The sequence places the id where the entry will land: at or after its delivery time.
    MessageId id = new BusMessageId(spec.topic(), "delayed-" + uniqueId, deliverAt << 20);
    return resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.DELAY.<Long>run(
                    commands,
                    ScriptOutputType.INTEGER,
                    new byte[][] {RedisKeys.delayed(spec.topic()), RedisKeys.DELAYED_TOPICS},
                    ascii(Long.toString(deliverAt)),
                    member,
                    RedisKeys.utf8(spec.topic())))
        .thenApply(ignored -> id);
  }

  /** True while the producer is open and the bus's shared connection is up (Lettuce's isOpen()). */
  @Override
  public boolean isConnected() {
    return !closed && connection.isOpen();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    closed = true;
    onClosed.accept(this);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return "RedisBusProducer[topic=" + spec.topic() + "]";
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
