package io.pulsarrpc.stream.internal;

import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a side's {@link StreamInterceptor}s in registration order, each link of a send or receive
 * chain callable once (a second {@code proceed} throws {@link IllegalStateException}), with the
 * error rules of {@link StreamInterceptor}. Immutable and thread-safe.
 */
public final class StreamInterceptors {

  private static final Logger log = LoggerFactory.getLogger(StreamInterceptors.class);

  private final List<StreamInterceptor> interceptors;

  public StreamInterceptors(List<StreamInterceptor> interceptors) {
    this.interceptors = List.copyOf(interceptors);
  }

  void open(StreamCall call) {
    for (StreamInterceptor interceptor : interceptors) {
      try {
        interceptor.interceptOpen(call);
      } catch (RuntimeException e) {
        log.warn("Stream interceptor {} failed on the open of {}", interceptor, call.streamId(), e);
      }
    }
  }

  void close(StreamCall call, StreamClosedException cause) {
    for (StreamInterceptor interceptor : interceptors) {
      try {
        interceptor.interceptClose(call, cause);
      } catch (RuntimeException e) {
        log.warn(
            "Stream interceptor {} failed on the close of {}", interceptor, call.streamId(), e);
      }
    }
  }

  /** Runs the send chain, ending with {@code last}; a throwing interceptor fails the send. */
  <S> CompletableFuture<Void> send(
      StreamCall call, S message, Function<S, CompletableFuture<Void>> last) {
    return sendFrom(0, call, message, last);
  }

  private <S> CompletableFuture<Void> sendFrom(
      int index, StreamCall call, S message, Function<S, CompletableFuture<Void>> last) {
    if (index == interceptors.size()) {
      return last.apply(message);
    }
    AtomicBoolean proceeded = new AtomicBoolean();
    StreamInterceptor.SendChain<S> next =
        forwarded -> {
          if (!proceeded.compareAndSet(false, true)) {
            throw new IllegalStateException(
                "stream interceptor " + interceptors.get(index) + " proceeded twice");
          }
          return sendFrom(index + 1, call, forwarded, last);
        };
    try {
      CompletableFuture<Void> result = interceptors.get(index).interceptSend(call, message, next);
      return result != null
          ? result
          : CompletableFuture.failedFuture(
              new IllegalStateException(
                  "stream interceptor " + interceptors.get(index) + " returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs the receive chain, ending with {@code last}.
   *
   * @return whether the message reached {@code last} (false: an interceptor dropped it)
   */
  <R> boolean receive(StreamCall call, R message, Consumer<R> last) {
    AtomicBoolean delivered = new AtomicBoolean();
    receiveFrom(
        0,
        call,
        message,
        forwarded -> {
          delivered.set(true);
          last.accept(forwarded);
        });
    return delivered.get();
  }

  private <R> void receiveFrom(int index, StreamCall call, R message, Consumer<R> last) {
    if (index == interceptors.size()) {
      last.accept(message);
      return;
    }
    AtomicBoolean proceeded = new AtomicBoolean();
    StreamInterceptor.ReceiveChain<R> next =
        forwarded -> {
          if (!proceeded.compareAndSet(false, true)) {
            throw new IllegalStateException(
                "stream interceptor " + interceptors.get(index) + " proceeded twice");
          }
          receiveFrom(index + 1, call, forwarded, last);
        };
    try {
      interceptors.get(index).interceptReceive(call, message, next);
    } catch (RuntimeException e) {
      log.warn(
          "Stream interceptor {} failed on a message of {}",
          interceptors.get(index),
          call.streamId(),
          e);
      if (!proceeded.get()) {
        next.proceed(message);
      }
    }
  }
}
