package io.pulsarrpc.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * One-way delivery without the RPC layer: a producer publishes a message and {@link #receivers()}
 * consumers, each on a temporary subscription of its own, receive it; a call ends when every one of
 * them has. The baseline of the {@code stream} (one receiver) and {@code broadcast} (three)
 * scenarios.
 */
interface RawFanOut extends AutoCloseable {

  /** How many consumers receive each message. */
  int receivers();

  /** Publishes message {@code id}; the future completes when every receiver got it. */
  CompletableFuture<?> start(String id);

  @Override
  void close();
}
