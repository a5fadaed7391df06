package io.pulsarrpc.protobuf.it;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generated service on a real Pulsar broker. */
@ExtendWith(TestBrokersExtension.class)
class PulsarGeneratedServiceIT extends GeneratedServiceSuite {

  private final PulsarTestBroker broker;

  PulsarGeneratedServiceIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  /** A bus on the broker's client, which every test shares and which stays open. */
  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }
}
