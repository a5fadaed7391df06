package io.pulsarrpc.common.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The failure behind the wrappers that futures add. */
public final class Failures {

  private Failures() {}

  /** {@code failure} without its {@link CompletionException}/{@link ExecutionException} layers. */
  public static Throwable unwrapped(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
