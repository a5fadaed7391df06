package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;

/** The behaviour suite on the in-memory bus: the engine's semantics in one JVM, in seconds. */
class InMemoryRpcTest extends RpcBehaviourSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }
}
