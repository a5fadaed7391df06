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

  final NatsTestServer nats;

  NatsRpcIT(NatsTestServer nats) {
    this.nats = nats;
  }

  @Override
  protected MessageBus newBus() {
    return NatsMessageBus.create(nats.url());
  }

  /** A value over the server's largest payload (1 MB by default), which NATS refuses. */
  @Override
  protected Optional<String> aRequestTheBusRefuses(Topics topics) {
    return Optional.of("x".repeat(2 * 1024 * 1024));
  }
}
