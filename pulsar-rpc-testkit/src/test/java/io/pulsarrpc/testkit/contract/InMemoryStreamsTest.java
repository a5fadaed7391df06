package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;

/** The streams suite on the in-memory bus. */
class InMemoryStreamsTest extends StreamsSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }
}
