package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.RpcBehaviourSuite;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite on the NATS bus, against a real nats-server with JetStream. A bus without
 * topic patterns passes the pattern test by refusing patterns with a clear error.
 */
@ExtendWith(TestBrokersExtension.class)
class NatsRpcIT extends RpcBehaviourSuite {

  private final NatsMessageBus bus;

  NatsRpcIT(NatsTestServer nats) {
    this.bus = newBus(nats.url());
  }

  /** The bus the suite runs on, which it closes; called once, by the constructor. */
  NatsMessageBus newBus(String url) {
    return NatsMessageBus.create(url);
  }

  @Override
  protected void afterResourcesClosed() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }

  /** A value over the server's largest payload (1 MB by default), which NATS refuses. */
  @Override
  protected Optional<String> aRequestTheBusRefuses(Topics topics) {
    return Optional.of("x".repeat(2 * 1024 * 1024));
  }
}
