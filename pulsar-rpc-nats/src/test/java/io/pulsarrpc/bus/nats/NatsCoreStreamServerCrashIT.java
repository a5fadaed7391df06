package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.StreamServerCrashSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream server crash suite on the NATS bus in core mode. */
@ExtendWith(TestBrokersExtension.class)
class NatsCoreStreamServerCrashIT extends StreamServerCrashSuite {

  NatsCoreStreamServerCrashIT(NatsTestServer nats) {
    super(nats.url(), new CoreBus());
  }

  /** A bus in core mode with a connection of its own, at a NATS URL. */
  public static final class CoreBus implements BusFactory {

    @Override
    public MessageBus create(String natsUrl) {
      return NatsMessageBus.builder().url(natsUrl).mode(NatsMode.CORE).build();
    }
  }
}
