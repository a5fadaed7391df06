package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A bus whose consumers' acknowledgements are held: {@code acknowledge()} returns a future at once
 * and passes nothing to the wrapped bus until {@link #release()}, which then acknowledges every
 * held message and completes each future with the outcome. A suite builds a component on it to see
 * what that component does while its acknowledgements travel. Thread-safe.
 */
final class AcknowledgementHoldingBus extends ForwardingBus {

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Runnable> held = new ArrayList<>();
  // Guarded by lock.
  private boolean released;

  AcknowledgementHoldingBus(MessageBus bus) {
    super(bus);
  }

  /** How many acknowledgements are held now. */
  int held() {
    synchronized (lock) {
      return held.size();
    }
  }

  /** Passes the held acknowledgements on, and every later one at once. Idempotent. */
  void release() {
    List<Runnable> passing;
    synchronized (lock) {
      released = true;
      passing = List.copyOf(held);
      held.clear();
    }
    passing.forEach(Runnable::run);
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return super.subscribe(spec)
        .thenApply(consumer -> new WrappingConsumer<>(consumer, HoldingMessage::new));
  }

  private final class HoldingMessage<T> extends ForwardingMessage<T> {

    HoldingMessage(IncomingMessage<T> message) {
      super(message);
    }

    @Override
    public CompletableFuture<Void> acknowledge() {
      CompletableFuture<Void> acknowledged = new CompletableFuture<>();
      Runnable pass =
          () ->
              super.acknowledge()
                  .whenComplete(
                      (ignored, failure) -> {
                        if (failure != null) {
                          acknowledged.completeExceptionally(failure);
                        } else {
                          acknowledged.complete(null);
                        }
                      });
      synchronized (lock) {
        if (!released) {
          held.add(pass);
          return acknowledged;
        }
      }
      pass.run();
      return acknowledged;
    }
  }
}
