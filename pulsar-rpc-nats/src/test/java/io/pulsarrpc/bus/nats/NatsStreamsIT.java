package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.StreamsSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The streams suite on the NATS bus, against a real nats-server with JetStream. */
@ExtendWith(TestBrokersExtension.class)
class NatsStreamsIT extends StreamsSuite {

  final NatsTestServer nats;

  NatsStreamsIT(NatsTestServer nats) {
    this.nats = nats;
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.create(nats.url());
  }
}
