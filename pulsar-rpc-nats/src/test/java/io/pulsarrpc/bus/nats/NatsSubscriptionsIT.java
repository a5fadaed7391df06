package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.SubscriptionsSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscriptions suite on the NATS bus, against a real nats-server with JetStream. */
@ExtendWith(TestBrokersExtension.class)
class NatsSubscriptionsIT extends SubscriptionsSuite {

  final NatsTestServer nats;

  NatsSubscriptionsIT(NatsTestServer nats) {
    this.nats = nats;
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.create(nats.url());
  }
}
