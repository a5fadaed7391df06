package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;

/** The streams suite on the NATS bus in core mode. */
class NatsCoreStreamsIT extends NatsStreamsIT {

  NatsCoreStreamsIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }
}
