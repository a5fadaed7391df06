package io.pulsarrpc.client;

import io.pulsarrpc.bus.MessageBus;

/** The stream client's engine: opens streams and routes the frames of its inbox to them. */
final class StreamClientEngine {

  private StreamClientEngine() {}

  static <S, R> PulsarRpcStreamClient<S, R> start(
      PulsarRpcStreamClientBuilder<S, R> settings, MessageBus bus, boolean ownsBus) {
    throw new UnsupportedOperationException("streams are not implemented yet");
  }
}
