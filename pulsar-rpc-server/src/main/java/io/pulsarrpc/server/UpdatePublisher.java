package io.pulsarrpc.server;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.NoSubscribersException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.TopicProducers;
import io.pulsarrpc.common.internal.UpdateHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PulsarRpcPublisher}: writes each update as an update message ({@link UpdateHeaders})
 * and sends it with the update topic's producer, or with the {@link TopicProducers} producer of its
 * topic's bus topic ({@link CallTopics#updateTopic}). Both keep the order of sends per bus topic,
 * which is the publisher's ordering guarantee. Thread-safe; publishes run on callers' threads and
 * their futures complete on the bus's.
 */
final class UpdatePublisher<U> implements PulsarRpcPublisher<U> {

  private static final Logger log = LoggerFactory.getLogger(UpdatePublisher.class);
  static final Duration TOPIC_PRODUCER_IDLE_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SET_UP_TIMEOUT = Duration.ofSeconds(30);

  private final MessageBus bus;
  private final boolean ownsBus;
  private final String updateTopic;
  private final BusProducer<U> producer;
  private final TopicProducers<U> topicProducers;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile boolean closed;

  private UpdatePublisher(
      PulsarRpcPublisherBuilder<U> settings,
      MessageBus bus,
      boolean ownsBus,
      BusProducer<U> producer) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.updateTopic = settings.updateTopic;
    this.producer = producer;
    this.topicProducers =
        new TopicProducers<>(
            bus, settings.updateSchema, settings.producerConfig, TOPIC_PRODUCER_IDLE_TIMEOUT);
  }

  static <U> UpdatePublisher<U> start(
      PulsarRpcPublisherBuilder<U> settings, MessageBus bus, boolean ownsBus)
      throws PulsarRpcServerException {
    try {
      bus.checkProducerConfig(settings.producerConfig);
      CompletableFuture<BusProducer<U>> creation =
          bus.createProducer(
              new ProducerSpec<>(
                  settings.updateTopic, settings.updateSchema, settings.producerConfig));
      BusProducer<U> producer;
      try {
        producer = creation.get(SET_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        creation.cancel(false);
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new PulsarRpcServerException(
            "Could not create a producer for the update topic " + settings.updateTopic, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PulsarRpcServerException(
            "Interrupted while creating the producer for " + settings.updateTopic, e);
      }
      return new UpdatePublisher<>(settings, bus, ownsBus, producer);
    } catch (PulsarRpcServerException | RuntimeException e) {
      if (ownsBus) {
        bus.closeAsync();
      }
      throw e;
    }
  }

  @Override
  public String updateTopic() {
    return updateTopic;
  }

  @Override
  public CompletableFuture<Void> publishAsync(U update) {
    return send(null, update);
  }

  @Override
  public CompletableFuture<Void> publishAsync(String topic, U update) {
    return send(CallTopics.checkedTopic(topic), update);
  }

  @Override
  public void publish(U update) {
    BlockingCalls.await(publishAsync(update));
  }

  @Override
  public void publish(String topic, U update) {
    BlockingCalls.await(publishAsync(topic, update));
  }

  private CompletableFuture<Void> send(String topic, U update) {
    if (update == null) {
      throw new IllegalArgumentException("update must not be null");
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new RpcException(
              ErrorCode.CANCELED, "PulsarRpcPublisher of " + updateTopic + " is closed"));
    }
    OutgoingMessage<U> message =
        OutgoingMessage.of(UpdateHeaders.newUpdateId(), update, UpdateHeaders.write(topic));
    String busTopic = CallTopics.updateTopic(updateTopic, topic);
    CompletableFuture<MessageId> sent;
    if (topic == null) {
      try {
        sent = producer.send(message);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
    } else {
      sent = topicProducers.send(busTopic, message);
    }
    return sent.handle(
        (id, failure) -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause == null || cause instanceof NoSubscribersException) {
            // Core NATS says when nobody listens: an update for nobody is not a failed publish.
            return null;
          }
          throw new RpcException(
              ErrorCode.UNAVAILABLE,
              "publishing an update to " + busTopic + " failed: " + cause.getMessage(),
              Map.of(),
              cause);
        });
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    if (closed) {
      return closeFuture;
    }
    synchronized (this) {
      if (closed) {
        return closeFuture;
      }
      closed = true;
    }
    CompletableFuture.allOf(
            quietly(producer.closeAsync(), "the update producer"),
            quietly(topicProducers.closeAsync(), "the topic producers"))
        .thenCompose(ignored -> ownsBus ? quietly(bus.closeAsync(), "the bus") : done())
        .whenComplete((ignored, failure) -> closeFuture.complete(null));
    return closeFuture;
  }

  @Override
  public void close() {
    BlockingCalls.await(closeAsync());
  }

  private CompletableFuture<Void> quietly(CompletableFuture<Void> closing, String what) {
    return closing.handle(
        (ignored, failure) -> {
          if (failure != null) {
            log.warn("Closing {} of the publisher of {} failed", what, updateTopic, failure);
          }
          return null;
        });
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
