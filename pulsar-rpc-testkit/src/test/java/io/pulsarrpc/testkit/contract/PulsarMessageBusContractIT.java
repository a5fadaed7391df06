package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import org.apache.pulsar.client.admin.PulsarAdminException;
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

  @Override
  protected boolean canSeeSubscriptions() {
    return true;
  }

  /** Whether the topic's stats on the broker list the subscription. */
  @Override
  protected boolean holdsSubscription(String topic, String subscription) {
    try {
      return broker.admin().topics().getStats(topic).getSubscriptions().containsKey(subscription);
    } catch (PulsarAdminException e) {
      throw new IllegalStateException("could not read the stats of " + topic, e);
    }
  }
}
