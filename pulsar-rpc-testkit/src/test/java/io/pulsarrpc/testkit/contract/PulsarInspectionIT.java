package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inspection suite on a real Pulsar broker. */
@ExtendWith(TestBrokersExtension.class)
class PulsarInspectionIT extends InspectionSuite {

  private final PulsarTestBroker broker;

  PulsarInspectionIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  /** A bus on the broker's client, which every test shares and which stays open. */
  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }
}
