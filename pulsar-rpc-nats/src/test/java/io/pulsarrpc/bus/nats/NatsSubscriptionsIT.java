package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.SubscriptionsSuite;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscriptions suite on the NATS bus, against a real nats-server with JetStream. */
@ExtendWith(TestBrokersExtension.class)
class NatsSubscriptionsIT extends SubscriptionsSuite {

  final NatsTestServer nats;

  NatsSubscriptionsIT(NatsTestServer nats) {
    this.nats = nats;
  }

  /**
   * A bus whose ack wait is 10 s instead of JetStream's 30: what a queue member that closes
   * mid-stream left unacknowledged comes back after it, and the suite waits for that.
   */
  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).ackWait(Duration.ofSeconds(10)).build();
  }
}
