package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.util.UUID;

/** The behaviour suite on the in-memory bus: the engine's semantics in one JVM, in seconds. */
class InMemoryRpcTest extends RpcBehaviourSuite {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @Override
  protected void afterResourcesClosed() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }

  @Override
  protected String newTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
