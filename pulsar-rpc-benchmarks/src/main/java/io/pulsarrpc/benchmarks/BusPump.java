package io.pulsarrpc.benchmarks;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps one receive outstanding on a bus consumer and hands each message to a handler, until the
 * consumer fails or {@code stopped} says so: the raw baselines' receive path, with nothing of the
 * SDK's engine in it. A receive that completes inline is handled in a loop, not by recursion.
 */
final class BusPump {

  private BusPump() {}

  static <T> void keepReceiving(
      BusConsumer<T> consumer, Consumer<IncomingMessage<T>> handler, BooleanSupplier stopped) {
    while (!stopped.getAsBoolean()) {
      CompletableFuture<IncomingMessage<T>> next = consumer.receive();
      if (next.isDone()) {
        if (next.isCompletedExceptionally()) {
          return;
        }
        handler.accept(next.join());
        continue;
      }
      next.whenComplete(
          (message, failure) -> {
            if (failure == null) {
              handler.accept(message);
              keepReceiving(consumer, handler, stopped);
            }
          });
      return;
    }
  }
}
