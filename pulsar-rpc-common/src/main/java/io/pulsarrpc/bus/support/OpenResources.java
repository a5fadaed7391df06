package io.pulsarrpc.bus.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The producers and consumers a bus has open, and whether the bus is closed: the guards of {@code
 * createProducer} and {@code subscribe} and the bookkeeping behind {@code closeAsync}.
 *
 * <p>An adapter {@linkplain #register registers} each producer or consumer once its broker created
 * it, with the action that closes it, and {@linkplain #forget forgets} it when it closes by itself.
 * {@link #closeAll} then closes everything still open, exactly once, however often and from however
 * many threads it is called. A resource whose creation was still under way when the bus closed is
 * closed when it arrives, and its creation fails with {@link #closedException()}: nothing the bus
 * created outlives it.
 *
 * <p>Thread-safe. No lock is held while a close action or a future's callbacks run, so a close
 * action may call {@link #forget} at once.
 */
public final class OpenResources {

  private final String busName;
  private final Object lock = new Object();
  // Guarded by lock, in registration order. What closeAll() must close, with how.
  private final Map<Object, Supplier<CompletableFuture<Void>>> open = new LinkedHashMap<>();
  // Guarded by lock. Null while open; once set the bus is closing or closed.
  private CompletableFuture<Void> closed;

  /**
   * @param busName the bus's class name as a user knows it, e.g. {@code RedisMessageBus}, for the
   *     message of {@link #closedException()}
   */
  public OpenResources(String busName) {
    this.busName = busName;
  }

  /**
   * {@code spec}, checked not to be null.
   *
   * @param what names the argument in the message, e.g. {@code "producer spec"}
   * @throws IllegalArgumentException "{@code what} must not be null" when it is null
   */
  public static <S> S checkNotNull(S spec, String what) {
    if (spec == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return spec;
  }

  /** Whether {@link #closeAll} was called. */
  public boolean isClosed() {
    synchronized (lock) {
      return closed != null;
    }
  }

  /** A future failed with {@link #closedException()}: what a closed bus answers. */
  public <R> CompletableFuture<R> failedClosed() {
    return CompletableFuture.failedFuture(closedException());
  }

  /** "bus closed: this {busName} was closed; create a new one". */
  public IllegalStateException closedException() {
    return new IllegalStateException(
        "bus closed: this " + busName + " was closed; create a new one");
  }

  /**
   * Adds {@code resource} to what {@link #closeAll} closes, with the action that closes it. When
   * the bus is already closed, runs {@code close} instead and fails with {@link #closedException()}
   * once it finished.
   *
   * @return a future of {@code resource}, or failed as said
   */
  public <R, S extends R> CompletableFuture<R> register(
      S resource, Supplier<CompletableFuture<Void>> close) {
    synchronized (lock) {
      if (closed == null) {
        open.put(resource, close);
        return CompletableFuture.completedFuture(resource);
      }
    }
    // The bus was closed while the broker was creating this one: nobody else will close it.
    return close
        .get()
        .handle(
            (ignored, error) -> {
              throw closedException();
            });
  }

  /** Removes a resource that closed by itself; does nothing for one not registered. */
  public void forget(Object resource) {
    synchronized (lock) {
      open.remove(resource);
    }
  }

  /** The open resources, in registration order: a copy. */
  public List<Object> snapshot() {
    synchronized (lock) {
      return List.copyOf(open.keySet());
    }
  }

  /**
   * Closes the bus: from now on {@link #isClosed()} is true and {@link #register} refuses. Closes
   * every open resource, in registration order, then runs {@code afterResources} (close the
   * broker's client, stop threads) whatever their outcome. Idempotent: every call returns a copy of
   * the first call's future, and later calls do not run their {@code afterResources}.
   *
   * @return completes when everything is closed; fails with the first failure of a close action
   *     (unwrapped), or else of {@code afterResources}
   */
  public CompletableFuture<Void> closeAll(Supplier<CompletableFuture<Void>> afterResources) {
    List<Supplier<CompletableFuture<Void>>> closing;
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (closed != null) {
        return closed.copy();
      }
      closed = new CompletableFuture<>();
      done = closed;
      closing = new ArrayList<>(open.values());
    }
    List<CompletableFuture<Void>> closes = new ArrayList<>();
    for (Supplier<CompletableFuture<Void>> close : closing) {
      try {
        closes.add(close.get());
      } catch (RuntimeException e) {
        closes.add(CompletableFuture.failedFuture(e));
      }
    }
    CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> Failures.unwrapped(error))
        .thenCompose(
            firstError -> {
              CompletableFuture<Void> after;
              try {
                after = afterResources.get();
              } catch (RuntimeException e) {
                after = CompletableFuture.failedFuture(e);
              }
              return after.handle(
                  (ignored, error) -> firstError != null ? firstError : Failures.unwrapped(error));
            })
        .whenComplete(
            (failure, unexpected) -> {
              Throwable error = failure != null ? failure : unexpected;
              if (error == null) {
                done.complete(null);
              } else {
                done.completeExceptionally(error);
              }
            });
    return done.copy();
  }
}
