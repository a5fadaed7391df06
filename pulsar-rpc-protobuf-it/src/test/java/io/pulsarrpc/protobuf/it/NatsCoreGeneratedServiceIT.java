package io.pulsarrpc.protobuf.it;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.nats.NatsMode;
import io.pulsarrpc.testkit.NatsTestServer;

/** The generated service on the NATS bus in core mode (no JetStream). */
class NatsCoreGeneratedServiceIT extends NatsGeneratedServiceIT {

  NatsCoreGeneratedServiceIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }
}
