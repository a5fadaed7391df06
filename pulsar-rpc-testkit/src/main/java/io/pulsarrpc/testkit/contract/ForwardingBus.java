package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/**
 * A bus that forwards everything to the bus it wraps, which it never closes (it belongs to the
 * suite's subclass): the base of the suites' observing buses, which override what they watch.
 * Thread-safe when the wrapped bus is.
 */
abstract class ForwardingBus implements MessageBus {

  private final MessageBus bus;

  ForwardingBus(MessageBus bus) {
    this.bus = bus;
  }

  @Override
  public String name() {
    return bus.name();
  }

  @Override
  public boolean supportsDelayedDelivery() {
    return bus.supportsDelayedDelivery();
  }

  @Override
  public boolean supportsTopicPatterns() {
    return bus.supportsTopicPatterns();
  }

  @Override
  public boolean isDurable() {
    return bus.isDurable();
  }

  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    bus.checkProducerConfig(config);
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return bus.createProducer(spec);
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return bus.subscribe(spec);
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return CompletableFuture.completedFuture(null);
  }

  /** A producer that forwards everything to the producer it wraps; observers override a method. */
  static class ForwardingProducer<T> implements BusProducer<T> {

    private final BusProducer<T> producer;

    ForwardingProducer(BusProducer<T> producer) {
      this.producer = producer;
    }

    @Override
    public String topic() {
      return producer.topic();
    }

    @Override
    public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
      return producer.send(message);
    }

    @Override
    public boolean isConnected() {
      return producer.isConnected();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      return producer.closeAsync();
    }
  }

  /** A consumer that forwards everything to the consumer it wraps; observers override a method. */
  static class ForwardingConsumer<T> implements BusConsumer<T> {

    private final BusConsumer<T> consumer;

    ForwardingConsumer(BusConsumer<T> consumer) {
      this.consumer = consumer;
    }

    @Override
    public String subscription() {
      return consumer.subscription();
    }

    @Override
    public CompletableFuture<IncomingMessage<T>> receive() {
      return consumer.receive();
    }

    @Override
    public boolean isConnected() {
      return consumer.isConnected();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      return consumer.closeAsync();
    }
  }

  /** A consumer that hands out its received messages wrapped by a function of the observer's. */
  static final class WrappingConsumer<T> extends ForwardingConsumer<T> {

    private final UnaryOperator<IncomingMessage<T>> wrap;

    WrappingConsumer(BusConsumer<T> consumer, UnaryOperator<IncomingMessage<T>> wrap) {
      super(consumer);
      this.wrap = wrap;
    }

    @Override
    public CompletableFuture<IncomingMessage<T>> receive() {
      return super.receive().thenApply(wrap);
    }
  }

  /**
   * A received message that forwards everything to the one it wraps; observers override a method.
   */
  static class ForwardingMessage<T> implements IncomingMessage<T> {

    private final IncomingMessage<T> message;

    ForwardingMessage(IncomingMessage<T> message) {
      this.message = message;
    }

    @Override
    public CompletableFuture<Void> acknowledge() {
      return message.acknowledge();
    }

    @Override
    public void negativeAcknowledge() {
      message.negativeAcknowledge();
    }

    @Override
    public String topic() {
      return message.topic();
    }

    @Override
    public String key() {
      return message.key();
    }

    @Override
    public Map<String, String> properties() {
      return message.properties();
    }

    @Override
    public T value() {
      return message.value();
    }

    @Override
    public byte[] data() {
      return message.data();
    }

    @Override
    public MessageId id() {
      return message.id();
    }

    @Override
    public long publishTime() {
      return message.publishTime();
    }

    @Override
    public int redeliveryCount() {
      return message.redeliveryCount();
    }

    @Override
    public Message<T> asPulsarMessage() {
      return message.asPulsarMessage();
    }

    @Override
    public Consumer<T> pulsarConsumer() {
      return message.pulsarConsumer();
    }
  }
}
