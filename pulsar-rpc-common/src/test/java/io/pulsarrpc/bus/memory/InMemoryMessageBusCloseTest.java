package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.PATIENCE;
import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.send;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusCloseTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void closingTheBusFailsWaitingReceives() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> waiting = consumer.receive();

    bus.close();

    assertFailsWithClosed(waiting, "memory bus closed");
    assertFailsWithClosed(consumer.receive(), "memory bus closed");
  }

  @Test
  void afterCloseNewProducersSubscriptionsAndSendsFail() {
    BusProducer<String> producer = producer(bus, "orders");

    bus.close();

    assertFailsWithClosed(
        bus.createProducer(ProducerSpec.of("orders", Schema.STRING)), "bus closed");
    assertFailsWithClosed(
        bus.subscribe(
            SubscriptionSpec.ofTopic("orders", "workers", SubscriptionMode.SHARED, Schema.STRING)),
        "bus closed");
    assertFailsWithClosed(producer.send(OutgoingMessage.of("k", "v", Map.of())), "bus closed");
  }

  @Test
  void closingTheBusStopsItsThread() {
    bus.close();

    await().atMost(PATIENCE).until(bus::isBusThreadTerminated);
  }

  @Test
  void closingAConsumerFailsItsWaitingReceivesAndLaterOnes() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> waiting = consumer.receive();

    assertThat(consumer.closeAsync()).succeedsWithin(PATIENCE);
    assertThat(consumer.closeAsync()).succeedsWithin(PATIENCE);

    assertFailsWithClosed(waiting, "'workers'");
    assertFailsWithClosed(consumer.receive(), "'workers'");
  }

  @Test
  void aClosedConsumerGetsNoMoreMessages() {
    BusConsumer<String> closed = shared(bus, "orders", "workers");
    BusConsumer<String> open = shared(bus, "orders", "workers");
    BlockingCalls.await(closed.closeAsync());

    send(producer(bus, "orders"), "m1");

    assertThat(BusCalls.receive(open).value()).isEqualTo("m1");
  }

  @Test
  void sendingThroughAClosedProducerFails() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThat(producer.closeAsync()).succeedsWithin(PATIENCE);
    assertThat(producer.closeAsync()).succeedsWithin(PATIENCE);

    assertFailsWithClosed(producer.send(OutgoingMessage.of("k", "v", Map.of())), "closed");
  }

  private static void assertFailsWithClosed(CompletableFuture<?> future, String text) {
    assertThat(future)
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining(text)
        .withMessageContaining("closed");
  }
}
