package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.support.MessageSettings;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;

/** Encodes values with the producer's schema and publishes them to one topic. */
final class MemoryProducer<T> implements BusProducer<T> {

  private final MemoryBroker broker;
  private final ProducerSpec<T> spec;
  // Written under broker.lock; volatile so that isConnected() reads it without the lock.
  private volatile boolean closed;

  MemoryProducer(MemoryBroker broker, ProducerSpec<T> spec) {
    this.broker = broker;
    this.spec = spec;
  }

  @Override
  public String topic() {
    return spec.topic();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Throws {@link IllegalArgumentException} at once for a config key this bus does not support
   * (see {@link InMemoryMessageBus}); a value the schema cannot encode fails the future with the
   * schema's exception.
   */
  @Override
  public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
    Objects.requireNonNull(message, "message");
    MessageSettings settings =
        MessageSettings.resolve(message, System.currentTimeMillis(), "memory");
    boolean nullValue = message.value() == null;
    byte[] data;
    if (nullValue) {
      data = new byte[0];
    } else {
      try {
        byte[] encoded = spec.schema().encode(message.value());
        // A copy: Schema.BYTES hands back the caller's own array, which the caller may reuse.
        data = encoded == null ? new byte[0] : encoded.clone();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return broker.publish(this, settings, data, nullValue);
  }

  /** True until this producer or its bus is closed: an in-memory bus has no connection to lose. */
  @Override
  public boolean isConnected() {
    return !closed;
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    synchronized (broker.lock) {
      closeLocked();
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return "MemoryProducer[topic=" + spec.topic() + "]";
  }

  boolean isClosedLocked() {
    return closed;
  }

  void closeLocked() {
    closed = true;
    broker.forgetProducerLocked(this);
  }
}
