package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.CallKindsSuite;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The call kinds suite on the NATS bus, against a real nats-server with JetStream. */
@ExtendWith(TestBrokersExtension.class)
class NatsCallKindsIT extends CallKindsSuite {

  final NatsTestServer nats;

  NatsCallKindsIT(NatsTestServer nats) {
    this.nats = nats;
  }

  /**
   * A bus whose ack wait is 10 s instead of JetStream's 30: what a killed server left
   * unacknowledged comes back after it, and the suite waits for that.
   */
  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).ackWait(Duration.ofSeconds(10)).build();
  }
}
