package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.PATIENCE;
import static io.pulsarrpc.bus.memory.BusCalls.exclusive;
import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.receive;
import static io.pulsarrpc.bus.memory.BusCalls.received;
import static io.pulsarrpc.bus.memory.BusCalls.send;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusDelayedDeliveryTest {

  private static final long DELAY_MILLIS = 300;

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void deliverAfterSecondsInTheMessageConfigDelaysDelivery() {
    BusConsumer<String> consumer = shared(bus, "reminders", "workers");
    CompletableFuture<IncomingMessage<String>> receive = consumer.receive();
    AtomicLong receivedAt = new AtomicLong();
    receive.thenRun(() -> receivedAt.set(System.currentTimeMillis()));
    long sentAt = System.currentTimeMillis();

    BlockingCalls.await(
        producer(bus, "reminders")
            .send(
                new OutgoingMessage<>(
                    "k", "in a second", Map.of(), 0, Map.of("deliverAfterSeconds", 1L))));

    assertThat(received(receive).value()).isEqualTo("in a second");
    await().atMost(PATIENCE).until(() -> receivedAt.get() > 0);
    assertThat(receivedAt.get()).isGreaterThanOrEqualTo(sentAt + 1000);
  }

  @Test
  void aDelayedMessageGoesToEverySubscriptionThatExistedWhenItWasPublished() {
    BusConsumer<String> audit = shared(bus, "reminders", "audit");
    BusConsumer<String> billing = shared(bus, "reminders", "billing");
    BusProducer<String> producer = producer(bus, "reminders");
    long deliverAt = System.currentTimeMillis() + DELAY_MILLIS;
    BlockingCalls.await(
        producer.send(new OutgoingMessage<>("k", "later", Map.of(), deliverAt, Map.of())));

    BusConsumer<String> lateSubscriber = shared(bus, "reminders", "late");

    assertThat(receive(audit).value()).isEqualTo("later");
    assertThat(receive(billing).value()).isEqualTo("later");
    CompletableFuture<IncomingMessage<String>> lateReceive = lateSubscriber.receive();
    send(producer, "after");
    assertThat(received(lateReceive).value()).isEqualTo("after");
  }

  @Test
  void aDeliverAtInThePastDeliversAtOnce() {
    BusConsumer<String> consumer = exclusive(bus, "reminders", "owner");
    BusProducer<String> producer = producer(bus, "reminders");

    BlockingCalls.await(
        producer.send(new OutgoingMessage<>("k", "overdue", Map.of(), 1L, Map.of())));
    send(producer, "now");

    // Had the overdue message gone through the timer, "now" would have overtaken it.
    assertThat(receive(consumer).value()).isEqualTo("overdue");
    assertThat(receive(consumer).value()).isEqualTo("now");
  }
}
