package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.RpcBehaviourSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite on the NATS bus, against a real nats-server with JetStream. A bus without
 * topic patterns passes the pattern test by refusing patterns with a clear error.
 */
@ExtendWith(TestBrokersExtension.class)
class NatsRpcIT extends RpcBehaviourSuite {

  private final NatsMessageBus bus;

  NatsRpcIT(NatsTestServer nats) {
    this.bus = NatsMessageBus.create(nats.url());
  }

  @Override
  protected void afterResourcesClosed() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }
}
