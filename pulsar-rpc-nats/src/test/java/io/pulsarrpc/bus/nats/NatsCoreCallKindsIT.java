package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;

/**
 * The call kinds suite on the NATS bus in core mode. The bus is not durable, so the suite skips
 * what needs redelivery (a killed server's requests going to another server).
 */
class NatsCoreCallKindsIT extends NatsCallKindsIT {

  NatsCoreCallKindsIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }
}
