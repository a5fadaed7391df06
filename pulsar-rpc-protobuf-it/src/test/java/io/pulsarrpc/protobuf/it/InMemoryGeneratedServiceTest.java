package io.pulsarrpc.protobuf.it;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;

/** The generated service on the in-memory bus. */
class InMemoryGeneratedServiceTest extends GeneratedServiceSuite {

  @Override
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }
}
