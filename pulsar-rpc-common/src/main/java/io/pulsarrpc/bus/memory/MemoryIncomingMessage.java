package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.support.DecodedValue;
import io.pulsarrpc.bus.support.DeliveryState;
import io.pulsarrpc.bus.support.DeliveryState.Settlement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/**
 * One delivery of a stored message to one consumer. Each redelivery is a new instance, so that a
 * late acknowledgement of an old delivery cannot settle the new one.
 */
final class MemoryIncomingMessage<T> implements IncomingMessage<T> {

  private final MemoryBroker broker;
  private final MemoryConsumer<T> consumer;
  private final MemorySubscription subscription;
  private final QueuedMessage queued;
  // Changed under broker.lock, so that a transition and the consumer's bookkeeping go together.
  // NEGATIVELY_ACKNOWLEDGED: waiting for the negative-ack delay before going back to the
  // subscription; RETURNED: back in the subscription's backlog.
  private final DeliveryState state = new DeliveryState();
  private final DecodedValue<T> decoded;

  MemoryIncomingMessage(
      MemoryBroker broker,
      MemoryConsumer<T> consumer,
      MemorySubscription subscription,
      QueuedMessage queued) {
    this.broker = broker;
    this.consumer = consumer;
    this.subscription = subscription;
    this.queued = queued;
    this.decoded =
        new DecodedValue<>(
            consumer.schema(), () -> "message " + stored().id() + " on topic '" + topic() + "'");
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
    return decoded.get(stored().data());
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
      if (state.current() == Settlement.ACKNOWLEDGED) {
        return CompletableFuture.completedFuture(null);
      }
      if (state.current() == Settlement.RETURNED || consumer.isClosedLocked()) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "cannot acknowledge message "
                    + stored().id()
                    + ": its "
                    + consumer.description()
                    + (consumer.spec().isTemporary()
                        ? " is closed, and its temporary subscription with it"
                        : " is closed, so the message goes to another consumer")));
      }
      if (state.acknowledge() == Settlement.DELIVERED) {
        consumer.forgetLocked(this);
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public void negativeAcknowledge() {
    synchronized (broker.lock) {
      if (!state.negativeAcknowledge()) {
        return;
      }
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
    state.returned();
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
      if (!state.returnFrom(Settlement.DELIVERED)) {
        return;
      }
      consumer.forgetLocked(this);
      subscription.requeueFirstLocked(List.of(queued), completions);
    }
    completions.run();
  }

  private void redeliverAfterNegativeAcknowledge() {
    DeferredCompletions completions = broker.newCompletions();
    synchronized (broker.lock) {
      if (broker.isClosedLocked() || !state.returnFrom(Settlement.NEGATIVELY_ACKNOWLEDGED)) {
        return;
      }
      subscription.requeueFirstLocked(
          List.of(new QueuedMessage(stored(), queued.redeliveryCount() + 1)), completions);
    }
    completions.run();
  }

  private StoredMessage stored() {
    return queued.message();
  }
}
