package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.PATIENCE;
import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.receive;
import static io.pulsarrpc.bus.memory.BusCalls.send;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the in-memory bus keeps, and drops, for temporary subscriptions. */
class InMemoryMessageBusTemporarySubscriptionTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void closingTheConsumerRemovesTheSubscriptionFromItsTopic() {
    SubscriptionSpec<String> spec = SubscriptionSpec.temporary("orders", Schema.STRING);
    BusConsumer<String> consumer = BlockingCalls.await(bus.subscribe(spec));
    assertThat(bus.subscriptionNames("orders")).containsExactly(spec.subscription());

    BlockingCalls.await(consumer.closeAsync());

    assertThat(bus.subscriptionNames("orders")).isEmpty();
  }

  @Test
  void aMessageNegativelyAcknowledgedBeforeTheCloseIsDroppedNotRedelivered() {
    SubscriptionSpec<String> spec = SubscriptionSpec.temporary("orders", Schema.STRING);
    BusConsumer<String> consumer = BlockingCalls.await(bus.subscribe(spec));
    BusProducer<String> producer = producer(bus, "orders");
    send(producer, "nacked");
    receive(consumer).negativeAcknowledge();

    BlockingCalls.await(consumer.closeAsync());
    BusConsumer<String> again = BlockingCalls.await(bus.subscribe(spec));
    send(producer, "new");

    assertThat(receive(again).value()).isEqualTo("new");
  }

  @Test
  void aMessageOfTheClosedSubscriptionCannotBeAcknowledged() {
    BusConsumer<String> consumer =
        BlockingCalls.await(bus.subscribe(SubscriptionSpec.temporary("orders", Schema.STRING)));
    send(producer(bus, "orders"), "late");
    IncomingMessage<String> message = receive(consumer);

    BlockingCalls.await(consumer.closeAsync());

    assertThat(message.acknowledge())
        .failsWithin(PATIENCE)
        .withThrowableThat()
        .withMessageContaining("temporary subscription");
  }

  @Test
  void aTemporarySubscriptionCannotTakeTheNameOfADurableOne() {
    shared(bus, "orders", "workers");
    SubscriptionSpec<String> temporary =
        SubscriptionSpec.temporary("orders", "workers", Schema.STRING);

    assertThat(bus.subscribe(temporary))
        .failsWithin(PATIENCE)
        .withThrowableThat()
        .withMessageContaining("durable");
  }
}
