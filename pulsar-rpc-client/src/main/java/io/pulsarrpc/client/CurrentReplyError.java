package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import java.util.Objects;

/**
 * The typed error of the reply whose proposal-style {@link RequestCallBack#onReplyError(String,
 * String, String, java.util.concurrent.CompletableFuture)} runs on this thread, so that its default
 * fails the future with the server's code rather than {@code unknown}.
 */
final class CurrentReplyError {

  private static final ThreadLocal<ReplyErrorException> CURRENT = new ThreadLocal<>();

  private CurrentReplyError() {}

  /** Runs {@code callBack} with {@code error} as the current reply error. */
  static void runWith(ReplyErrorException error, Runnable callBack) {
    CURRENT.set(error);
    try {
      callBack.run();
    } finally {
      CURRENT.remove();
    }
  }

  /** The current reply error when it is the one described, or a new one of unknown code. */
  static ReplyErrorException matching(String subscription, String errorMessage) {
    ReplyErrorException current = CURRENT.get();
    if (current != null
        && Objects.equals(current.serverSubscription(), subscription)
        && Objects.equals(current.errorMessage(), errorMessage)) {
      return current;
    }
    return new ReplyErrorException(subscription, errorMessage);
  }
}
