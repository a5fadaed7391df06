package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;

/**
 * The subscriptions suite on the NATS bus in core mode. The bus is not durable, so the suite skips
 * what needs a queue to keep or give back updates (a queue member that leaves, a queue without
 * members, a slow member whose share waits for the others).
 */
class NatsCoreSubscriptionsIT extends NatsSubscriptionsIT {

  NatsCoreSubscriptionsIT(NatsTestServer nats) {
    super(nats);
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }
}
