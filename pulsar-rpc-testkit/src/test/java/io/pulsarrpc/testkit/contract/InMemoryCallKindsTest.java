package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;

/** The call kinds suite on the in-memory bus. */
class InMemoryCallKindsTest extends CallKindsSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }
}
