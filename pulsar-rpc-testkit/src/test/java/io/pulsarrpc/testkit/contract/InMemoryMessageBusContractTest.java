package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.util.UUID;

/** The bus contract on the in-memory bus. */
class InMemoryMessageBusContractTest extends MessageBusContractSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }

  @Override
  protected String newTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
