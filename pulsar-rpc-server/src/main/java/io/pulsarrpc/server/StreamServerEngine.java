package io.pulsarrpc.server;

import io.pulsarrpc.bus.MessageBus;

/** The stream server's engine: accepts opens and routes the frames of its inbox to streams. */
final class StreamServerEngine {

  private StreamServerEngine() {}

  static <R, S> PulsarRpcStreamServer<R, S> start(
      PulsarRpcStreamServerBuilder<R, S> settings, MessageBus bus, boolean ownsBus) {
    throw new UnsupportedOperationException("streams are not implemented yet");
  }
}
