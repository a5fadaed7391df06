package io.pulsarrpc.bus;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a future into a blocking call, the way every blocking method of this SDK does. */
public final class BlockingCalls {

  private BlockingCalls() {}

  /**
   * Waits for {@code future} and returns its value. A failure is rethrown as is when unchecked, or
   * wrapped once in a {@link CompletionException} when checked. An interrupt restores the thread's
   * interrupt flag and throws {@link CompletionException} with the {@link InterruptedException} as
   * cause.
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("Interrupted while waiting", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CompletionException(cause);
    } catch (CancellationException e) {
      throw e;
    }
  }
}
