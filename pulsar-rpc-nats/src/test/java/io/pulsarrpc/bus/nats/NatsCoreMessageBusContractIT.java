package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.MessageBusContractSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bus contract on the NATS bus in core mode, against a real nats-server: the parts for a bus
 * without durability or delayed delivery. The suite chooses those by the capabilities the bus
 * declares: core NATS is not durable, so the behaviours that need a message kept or delivered again
 * are skipped (the server forgets a message once it delivered it).
 */
@ExtendWith(TestBrokersExtension.class)
class NatsCoreMessageBusContractIT extends MessageBusContractSuite {

  private final NatsTestServer nats;

  NatsCoreMessageBusContractIT(NatsTestServer nats) {
    this.nats = nats;
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
  }

  @Override
  protected String newTopic(String name) {
    return TestBuses.newTopic(name);
  }
}
