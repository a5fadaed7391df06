package io.pulsarrpc.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A round trip without the RPC layer: a request goes to a responder that answers it on another
 * channel, and the caller matches the answer to the call with nothing more than a map from id to
 * future. The baseline of each RPC scenario.
 */
interface RawRoundTrip extends AutoCloseable {

  /** How long a blocking call waits for its answer. */
  long BLOCKING_TIMEOUT_SECONDS = 30;

  /** Sends request {@code id}; the future completes when its answer came back. */
  CompletableFuture<?> start(String id);

  /** Sends request {@code id} and waits for its answer. */
  default void call(String id) throws Exception {
    start(id).get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  void close();
}
