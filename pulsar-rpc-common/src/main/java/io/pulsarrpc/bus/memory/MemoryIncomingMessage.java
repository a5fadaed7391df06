package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.PulsarMessageView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.schema.SchemaInfo;

/**
 * One delivery of a stored message to one consumer. Each redelivery is a new instance, so that a
 * late acknowledgement of an old delivery cannot settle the new one.
 */
final class MemoryIncomingMessage<T> implements IncomingMessage<T> {

  private enum State {
    /** Handed to the consumer, not settled yet. */
    DELIVERED,
    ACKNOWLEDGED,
    /** Waiting for the negative-ack delay before going back to the subscription. */
    NEGATIVELY_ACKNOWLEDGED,
    /** Back in the subscription's backlog: this delivery can no longer be settled. */
    RETURNED
  }

  private final MemoryBroker broker;
  private final MemoryConsumer<T> consumer;
  private final MemorySubscription subscription;
  private final QueuedMessage queued;
  private State state = State.DELIVERED; // guarded by broker.lock
  private volatile Decoded<T> decoded;

  MemoryIncomingMessage(
      MemoryBroker broker,
      MemoryConsumer<T> consumer,
      MemorySubscription subscription,
      QueuedMessage queued) {
    this.broker = broker;
    this.consumer = consumer;
    this.subscription = subscription;
    this.queued = queued;
  }

  @Override
  public String topic() {
    return stored().topic();
  }

  @Override
  public String key() {
    return stored().key();
  }

  @Override
  public Map<String, String> properties() {
    return stored().properties();
  }

  @Override
  public T value() {
    if (stored().nullValue()) {
      return null;
    }
    Decoded<T> value = decoded;
    if (value == null) {
      Schema<T> schema = consumer.schema();
      try {
        // A copy: Schema.BYTES returns the array it is given, and the stored bytes are shared.
        value = new Decoded<>(schema.decode(data()));
      } catch (RuntimeException e) {
        throw new MessageDecodeException(
            "cannot decode message "
                + stored().id()
                + " on topic '"
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

  @Override
  public byte[] data() {
    return stored().data().clone();
  }

  @Override
  public MessageId id() {
    return stored().id();
  }

  @Override
  public long publishTime() {
    return stored().publishTime();
  }

  @Override
  public int redeliveryCount() {
    return queued.redeliveryCount();
  }

  @Override
  public CompletableFuture<Void> acknowledge() {
    synchronized (broker.lock) {
      if (state == State.ACKNOWLEDGED) {
        return CompletableFuture.completedFuture(null);
      }
      if (state == State.RETURNED || consumer.isClosedLocked()) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "cannot acknowledge message "
                    + stored().id()
                    + ": its "
                    + consumer.description()
                    + " is closed, so the message goes to another consumer"));
      }
      if (state == State.DELIVERED) {
        consumer.forgetLocked(this);
      }
      state = State.ACKNOWLEDGED;
      return CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public void negativeAcknowledge() {
    synchronized (broker.lock) {
      if (state != State.DELIVERED) {
        return;
      }
      state = State.NEGATIVELY_ACKNOWLEDGED;
      consumer.forgetLocked(this);
      broker.scheduleRedeliveryLocked(this::redeliverAfterNegativeAcknowledge);
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
    return "MemoryIncomingMessage[topic="
        + topic()
        + ", id="
        + id()
        + ", key="
        + key()
        + ", redeliveryCount="
        + redeliveryCount()
        + "]";
  }

  MemorySubscription subscription() {
    return subscription;
  }

  /** Called by the closing consumer: the message goes back, one delivery later. */
  QueuedMessage returnLocked() {
    state = State.RETURNED;
    return new QueuedMessage(stored(), queued.redeliveryCount() + 1);
  }

  /**
   * The receive chosen for this message was already completed by its caller: put the message back
   * at the head of the subscription as if it had never left (the count is unchanged: nobody saw
   * it).
   */
  void takeBack() {
    DeferredCompletions completions = broker.newCompletions();
    synchronized (broker.lock) {
      if (state != State.DELIVERED) {
        return;
      }
      state = State.RETURNED;
      consumer.forgetLocked(this);
      subscription.requeueFirstLocked(List.of(queued), completions);
    }
    completions.run();
  }

  private void redeliverAfterNegativeAcknowledge() {
    DeferredCompletions completions = broker.newCompletions();
    synchronized (broker.lock) {
      if (state != State.NEGATIVELY_ACKNOWLEDGED || broker.isClosedLocked()) {
        return;
      }
      state = State.RETURNED;
      subscription.requeueFirstLocked(
          List.of(new QueuedMessage(stored(), queued.redeliveryCount() + 1)), completions);
    }
    completions.run();
  }

  private StoredMessage stored() {
    return queued.message();
  }

  private static String schemaType(Schema<?> schema) {
    SchemaInfo info = schema.getSchemaInfo();
    return info == null ? schema.getClass().getSimpleName() : String.valueOf(info.getType());
  }

  /** A decoded value, boxed so that a decoded null is remembered too. */
  private record Decoded<T>(T value) {}
}
