package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.receive;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import java.time.Duration;
import java.util.Map;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusSettingsTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void producerConfigIsRefusedNamingEveryKey() {
    ProducerSpec<String> spec =
        new ProducerSpec<>(
            "orders", Schema.STRING, Map.of("batchingEnabled", true, "producerName", "p"));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> bus.createProducer(spec))
        .withMessageContaining("batchingEnabled")
        .withMessageContaining("producerName");
  }

  @Test
  void anUnknownMessageConfigKeyIsRefusedAtOnceNamingIt() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("compression", "LZ4"))))
        .withMessageContaining("compression");
  }

  @Test
  void pulsarMessageConfigKeysWithoutMeaningHereAreRefused() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("sequenceId", 5L))))
        .withMessageContaining("sequenceId");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("disableReplication", true))))
        .withMessageContaining("disableReplication");
  }

  @Test
  void aMessageConfigValueOfTheWrongTypeIsRefused() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("deliverAt", 5))))
        .withMessageContaining("deliverAt")
        .withMessageContaining("java.lang.Long");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("properties", Map.of("n", 1)))))
        .withMessageContaining("properties");
  }

  @Test
  void aNegativeDelayIsRefused() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> producer.send(withConfig(Map.of("deliverAfterSeconds", -1L))))
        .withMessageContaining("deliverAfterSeconds");
  }

  @Test
  void deliverAtAndDeliverAfterSecondsCannotBeCombined() {
    BusProducer<String> producer = producer(bus, "orders");

    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> producer.send(withConfig(Map.of("deliverAt", 1L, "deliverAfterSeconds", 1L))))
        .withMessageContaining("deliverAt")
        .withMessageContaining("deliverAfterSeconds");
  }

  @Test
  void messageConfigPropertiesAreMergedOverTheMessagesOwn() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");

    BlockingCalls.await(
        producer(bus, "orders")
            .send(
                new OutgoingMessage<>(
                    "k",
                    "v",
                    Map.of("kept", "1", "replaced", "old"),
                    0,
                    Map.of("properties", Map.of("replaced", "new", "added", "2")))));

    assertThat(receive(consumer).properties())
        .containsOnly(
            Map.entry("kept", "1"), Map.entry("replaced", "new"), Map.entry("added", "2"));
  }

  @Test
  void messageConfigKeyReplacesTheKeyAndEventTimeIsAccepted() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");

    BlockingCalls.await(
        producer(bus, "orders")
            .send(
                new OutgoingMessage<>(
                    "old", "v", Map.of(), 0, Map.of("key", "new", "eventTime", 42L))));

    IncomingMessage<String> message = receive(consumer);
    assertThat(message.key()).isEqualTo("new");
    assertThat(message.asPulsarMessage().getEventTime()).isZero();
  }

  @Test
  void theBuilderRefusesANegativeOrMissingRedeliveryDelay() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> InMemoryMessageBus.builder().negativeAckRedeliveryDelay(Duration.ofMillis(-1)))
        .withMessageContaining("negativeAckRedeliveryDelay");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InMemoryMessageBus.builder().negativeAckRedeliveryDelay(null))
        .withMessageContaining("negativeAckRedeliveryDelay");
  }

  @Test
  void theDefaultRedeliveryDelayIsOneHundredMilliseconds() {
    assertThat(InMemoryMessageBus.DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY)
        .isEqualTo(Duration.ofMillis(100));
  }

  private static OutgoingMessage<String> withConfig(Map<String, Object> config) {
    return new OutgoingMessage<>("k", "v", Map.of(), 0, config);
  }
}
