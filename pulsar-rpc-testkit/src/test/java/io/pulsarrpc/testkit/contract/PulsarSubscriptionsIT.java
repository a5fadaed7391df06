package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscriptions suite on a real Pulsar broker. */
@ExtendWith(TestBrokersExtension.class)
class PulsarSubscriptionsIT extends SubscriptionsSuite {

  private final PulsarTestBroker broker;

  PulsarSubscriptionsIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  /** A bus on the broker's client, which every test shares and which stays open. */
  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }

  /** Pulsar acknowledges a batch as a whole: without batching, each update on its own. */
  @Override
  protected Map<String, Object> oneByOneAcknowledgedProducerConfig() {
    return Map.of("batchingEnabled", false);
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }
}
