package io.pulsarrpc.protobuf.it;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generated service on the NATS bus with JetStream, against a real nats-server. */
@ExtendWith(TestBrokersExtension.class)
class NatsGeneratedServiceIT extends GeneratedServiceSuite {

  final NatsTestServer nats;

  NatsGeneratedServiceIT(NatsTestServer nats) {
    this.nats = nats;
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.create(nats.url());
  }
}
