package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;

/**
 * The conformance suite on the NATS bus in core mode, against a real nats-server. The bus declares
 * neither durability nor delayed delivery, so the suite skips scheduled calls and calls that wait
 * for a server that is not there (core NATS fails such a send at once with "no responders";
 * NatsCoreModeIT checks that).
 */
class NatsCoreRpcIT extends NatsRpcIT {

  NatsCoreRpcIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }
}
