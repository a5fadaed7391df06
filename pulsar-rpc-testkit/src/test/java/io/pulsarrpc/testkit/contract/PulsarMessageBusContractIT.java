package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bus contract on a real Pulsar broker; every bus of a test shares the broker's client. */
@ExtendWith(TestBrokersExtension.class)
class PulsarMessageBusContractIT extends MessageBusContractSuite {

  private final PulsarTestBroker broker;

  PulsarMessageBusContractIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }

  /** The testkit's broker runs with Pulsar's default tick and without strict delivery times. */
  @Override
  protected Duration delayedDeliveryEarliness() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }
}
