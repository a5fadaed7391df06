package io.pulsarrpc.bus.support;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The failure behind the wrappers that futures add. A future composed with {@code thenCompose} or
 * {@code thenApply} fails with a {@link CompletionException} around the real cause, and {@code
 * get()} with an {@link ExecutionException}; error messages, retry decisions and error codes must
 * look at the cause.
 */
public final class Failures {

  private Failures() {}

  /**
   * {@code failure} without its {@link CompletionException} and {@link ExecutionException} layers,
   * however many; {@code failure} itself when it has none, or null for null.
   */
  public static Throwable unwrapped(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
