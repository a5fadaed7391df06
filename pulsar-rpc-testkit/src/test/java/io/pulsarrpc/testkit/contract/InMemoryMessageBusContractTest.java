package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;

/** The bus contract on the in-memory bus. */
class InMemoryMessageBusContractTest extends MessageBusContractSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }
}
