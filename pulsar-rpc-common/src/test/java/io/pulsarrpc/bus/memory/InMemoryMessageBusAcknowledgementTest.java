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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusAcknowledgementTest {

  private static final Duration NEGATIVE_ACK_DELAY = Duration.ofMillis(200);

  private final InMemoryMessageBus bus =
      InMemoryMessageBus.builder().negativeAckRedeliveryDelay(NEGATIVE_ACK_DELAY).build();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void unacknowledgedMessagesGoBackToTheSubscriptionWhenTheirConsumerCloses() {
    BusConsumer<String> first = shared(bus, "orders", "workers");
    BusConsumer<String> second = shared(bus, "orders", "workers");
    BusProducer<String> producer = producer(bus, "orders");
    send(producer, "m1");
    send(producer, "m2");
    send(producer, "m3");
    IncomingMessage<String> m1 = receive(first);
    IncomingMessage<String> m2 = receive(first);
    IncomingMessage<String> m3 = receive(first);
    assertThat(m2.acknowledge()).succeedsWithin(PATIENCE);

    BlockingCalls.await(first.closeAsync());

    IncomingMessage<String> again1 = receive(second);
    IncomingMessage<String> again3 = receive(second);
    assertThat(List.of(again1.value(), again3.value())).containsExactly("m1", "m3");
    assertThat(again1.id()).isEqualTo(m1.id());
    assertThat(again3.id()).isEqualTo(m3.id());
    assertThat(again1.redeliveryCount()).isEqualTo(1);
    assertThat(again3.redeliveryCount()).isEqualTo(1);
    assertThat(second.receive()).isNotDone();
  }

  @Test
  void redeliveredMessagesComeBeforeNewerOnes() {
    BusConsumer<String> first = exclusive(bus, "orders", "owner");
    BusProducer<String> producer = producer(bus, "orders");
    send(producer, "m1");
    receive(first);
    send(producer, "m2");

    BlockingCalls.await(first.closeAsync());
    BusConsumer<String> second = exclusive(bus, "orders", "owner");

    assertThat(receive(second).value()).isEqualTo("m1");
    assertThat(receive(second).value()).isEqualTo("m2");
  }

  @Test
  void acknowledgingAfterTheConsumerClosedFails() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    send(producer(bus, "orders"), "m1");
    IncomingMessage<String> message = receive(consumer);

    BlockingCalls.await(consumer.closeAsync());

    assertThat(message.acknowledge())
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("'workers'")
        .withMessageContaining("closed");
  }

  @Test
  void acknowledgingTwiceSucceeds() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    send(producer(bus, "orders"), "m1");
    IncomingMessage<String> message = receive(consumer);

    assertThat(message.acknowledge()).succeedsWithin(PATIENCE);
    assertThat(message.acknowledge()).succeedsWithin(PATIENCE);
  }

  @Test
  void aNegativelyAcknowledgedMessageComesBackAfterTheDelayWithAHigherRedeliveryCount() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    send(producer(bus, "orders"), "m1");
    IncomingMessage<String> first = receive(consumer);
    CompletableFuture<IncomingMessage<String>> redelivery = consumer.receive();
    AtomicLong redeliveredAfterNanos = new AtomicLong();
    long negativelyAcknowledgedAt = System.nanoTime();
    redelivery.thenRun(
        () -> redeliveredAfterNanos.set(System.nanoTime() - negativelyAcknowledgedAt));

    first.negativeAcknowledge();

    IncomingMessage<String> second = received(redelivery);
    assertThat(second.value()).isEqualTo("m1");
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.redeliveryCount()).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> redeliveredAfterNanos.get() > 0);
    assertThat(redeliveredAfterNanos.get())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(NEGATIVE_ACK_DELAY.toMillis()));
  }

  @Test
  void everyNegativeAcknowledgementRaisesTheRedeliveryCount() {
    InMemoryMessageBus quick =
        InMemoryMessageBus.builder().negativeAckRedeliveryDelay(Duration.ZERO).build();
    try {
      BusConsumer<String> consumer = shared(quick, "orders", "workers");
      send(producer(quick, "orders"), "m1");

      for (int expected = 0; expected < 3; expected++) {
        IncomingMessage<String> message = receive(consumer);
        assertThat(message.redeliveryCount()).isEqualTo(expected);
        message.negativeAcknowledge();
      }
    } finally {
      quick.close();
    }
  }

  @Test
  void aNegativelyAcknowledgedMessageMayGoToAnotherConsumer() {
    BusConsumer<String> first = shared(bus, "orders", "workers");
    send(producer(bus, "orders"), "m1");
    IncomingMessage<String> message = receive(first);
    BusConsumer<String> second = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> secondReceive = second.receive();

    message.negativeAcknowledge();

    assertThat(received(secondReceive).redeliveryCount()).isEqualTo(1);
  }

  @Test
  void aMessageAcknowledgedDuringItsNegativeAckDelayIsNotRedelivered() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    BusProducer<String> producer = producer(bus, "orders");
    send(producer, "m1");
    IncomingMessage<String> message = receive(consumer);
    message.negativeAcknowledge();

    assertThat(message.acknowledge()).succeedsWithin(PATIENCE);

    // The bus has one timer thread, so a message due after the redelivery proves it has passed.
    long afterTheRedeliveryWasDue =
        System.currentTimeMillis() + NEGATIVE_ACK_DELAY.multipliedBy(2).toMillis();
    BlockingCalls.await(
        producer.send(
            new OutgoingMessage<>("m2", "m2", Map.of(), afterTheRedeliveryWasDue, Map.of())));
    assertThat(receive(consumer).value()).isEqualTo("m2");
  }

  @Test
  void aCancelledReceiveDoesNotSwallowAMessage() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> abandoned = consumer.receive();
    abandoned.cancel(false);

    send(producer(bus, "orders"), "m1");

    IncomingMessage<String> message = receive(consumer);
    assertThat(message.value()).isEqualTo("m1");
    assertThat(message.redeliveryCount()).isZero();
  }

  @Test
  void aReceiveThatTimesOutGivesUpItsPlace() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> timedOut =
        consumer.receive().orTimeout(1, TimeUnit.MILLISECONDS);
    await().atMost(PATIENCE).until(timedOut::isDone);

    send(producer(bus, "orders"), "m1");

    assertThat(receive(consumer).value()).isEqualTo("m1");
  }
}
