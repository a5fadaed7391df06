package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusConcurrencyTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int PRODUCERS = 8;
  private static final int MESSAGES_PER_PRODUCER = 1000;
  private static final int TOTAL = PRODUCERS * MESSAGES_PER_PRODUCER;

  private final InMemoryMessageBus bus =
      InMemoryMessageBus.builder().negativeAckRedeliveryDelay(Duration.ZERO).build();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    bus.close();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyMessageFromConcurrentProducersReachesExactlyOneSharedConsumer() throws Exception {
    Set<String> received = ConcurrentHashMap.newKeySet();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    List<BusConsumer<String>> consumers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      BusConsumer<String> consumer = shared(bus, "load", "workers");
      consumers.add(consumer);
      threads.submit(
          () ->
              consumeUntilClosed(
                  consumer,
                  message -> {
                    if (!received.add(message.value())) {
                      duplicates.add(message.value());
                    }
                    message.acknowledge();
                  }));
    }

    List<Future<?>> producers = startProducers("load");

    for (Future<?> producer : producers) {
      producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
    await().atMost(DEADLINE).until(() -> received.size() == TOTAL);
    for (BusConsumer<String> consumer : consumers) {
      assertThat(consumer.receive()).isNotDone();
    }
    assertThat(duplicates).isEmpty();
    assertThat(received).containsExactlyInAnyOrderElementsOf(allMessages());
  }

  @Test
  void everySubscriptionGetsEveryMessageFromConcurrentProducers() throws Exception {
    Set<String> audit = ConcurrentHashMap.newKeySet();
    Set<String> billing = ConcurrentHashMap.newKeySet();
    BusConsumer<String> auditConsumer = shared(bus, "load", "audit");
    BusConsumer<String> billingConsumer = shared(bus, "load", "billing");
    threads.submit(() -> consumeUntilClosed(auditConsumer, m -> record(audit, m)));
    threads.submit(() -> consumeUntilClosed(billingConsumer, m -> record(billing, m)));

    for (Future<?> producer : startProducers("load")) {
      producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    await().atMost(DEADLINE).until(() -> audit.size() == TOTAL && billing.size() == TOTAL);
    assertThat(audit).isEqualTo(billing).containsExactlyInAnyOrderElementsOf(allMessages());
  }

  @Test
  void consumersThatComeAndGoWhileNegativelyAcknowledgingLoseNothing() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> deliveredAfterAcknowledgement = ConcurrentHashMap.newKeySet();
    for (int c = 0; c < 3; c++) {
      threads.submit(() -> churn(acknowledged, deliveredAfterAcknowledgement));
    }

    for (Future<?> producer : startProducers("load")) {
      producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    await().atMost(DEADLINE).until(() -> acknowledged.size() == TOTAL);
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(allMessages());
    assertThat(deliveredAfterAcknowledgement).isEmpty();
  }

  /**
   * Subscribes, takes a few messages (acknowledging most, negatively acknowledging some, leaving
   * some unsettled) and closes, over and over, until the bus closes. A receive gives up after a
   * moment, since the consumers may hold the last unsettled messages between them.
   */
  private void churn(Set<String> acknowledged, Set<String> deliveredAfterAcknowledgement) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!Thread.currentThread().isInterrupted()) {
      BusConsumer<String> consumer;
      try {
        consumer = shared(bus, "load", "workers");
      } catch (IllegalStateException busClosed) {
        return;
      }
      int batch = random.nextInt(1, 50);
      for (int i = 0; i < batch; i++) {
        IncomingMessage<String> message;
        try {
          message = BlockingCalls.await(consumer.receive().orTimeout(20, TimeUnit.MILLISECONDS));
        } catch (IllegalStateException closed) {
          return;
        } catch (CompletionException timedOut) {
          break;
        }
        if (acknowledged.contains(message.value())) {
          deliveredAfterAcknowledgement.add(message.value());
        }
        int choice = random.nextInt(10);
        if (choice < 7) {
          if (!message.acknowledge().isCompletedExceptionally()) {
            acknowledged.add(message.value());
          }
        } else if (choice < 9) {
          message.negativeAcknowledge();
        }
        // else: left unsettled, to come back when the consumer closes
      }
      BlockingCalls.await(consumer.closeAsync());
    }
  }

  private List<Future<?>> startProducers(String topic) {
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producerNumber = p;
      producers.add(
          threads.submit(
              () -> {
                BusProducer<String> producer = producer(bus, topic);
                for (int i = 0; i < MESSAGES_PER_PRODUCER; i++) {
                  String value = producerNumber + "-" + i;
                  BlockingCalls.await(producer.send(OutgoingMessage.of(value, value, Map.of())));
                }
              }));
    }
    return producers;
  }

  private static List<String> allMessages() {
    List<String> all = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      for (int i = 0; i < MESSAGES_PER_PRODUCER; i++) {
        all.add(p + "-" + i);
      }
    }
    return all;
  }

  private static void record(Set<String> seen, IncomingMessage<String> message) {
    seen.add(message.value());
    message.acknowledge();
  }

  private static void consumeUntilClosed(
      BusConsumer<String> consumer, java.util.function.Consumer<IncomingMessage<String>> handler) {
    while (true) {
      IncomingMessage<String> message;
      try {
        message = BlockingCalls.await(consumer.receive());
      } catch (IllegalStateException closed) {
        return;
      }
      handler.accept(message);
    }
  }
}
