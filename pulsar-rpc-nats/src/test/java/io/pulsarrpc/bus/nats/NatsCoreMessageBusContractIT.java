package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.MessageBusContractSuite;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bus contract on the NATS bus in core mode, against a real nats-server: the parts for a bus
 * without durability or delayed delivery. The suite chooses those by the capabilities the bus
 * declares; the behaviours skipped here need redelivery, which the suite does not yet tie to a
 * capability and core NATS does not have (the server forgets a message once it delivered it).
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

  @Override
  @Test
  @Disabled(NO_REDELIVERY)
  public void aMessageWhoseConsumerClosedCannotBeAcknowledgedAndGoesToTheNextConsumer() {}

  @Override
  @Test
  @Disabled(NO_REDELIVERY)
  public void aNegativelyAcknowledgedMessageIsRedeliveredWithTheSameIdAndRedeliveryCountOne() {}

  @Override
  @Test
  @Disabled(NO_REDELIVERY)
  public void anUnacknowledgedMessageGoesToTheNextConsumerAndAnAcknowledgedOneNever() {}

  private static final String NO_REDELIVERY =
      "core NATS delivers a message once and keeps no copy: nothing goes to the next consumer";
}
