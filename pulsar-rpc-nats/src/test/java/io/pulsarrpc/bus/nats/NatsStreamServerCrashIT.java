package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.StreamServerCrashSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream server crash suite on the NATS bus, against a real nats-server with JetStream. */
@ExtendWith(TestBrokersExtension.class)
class NatsStreamServerCrashIT extends StreamServerCrashSuite {

  NatsStreamServerCrashIT(NatsTestServer nats) {
    super(nats.url(), new JetStreamBus());
  }

  /** A bus in JetStream mode, the default, with a connection of its own, at a NATS URL. */
  public static final class JetStreamBus implements BusFactory {

    @Override
    public MessageBus create(String natsUrl) {
      return NatsMessageBus.create(natsUrl);
    }
  }
}
