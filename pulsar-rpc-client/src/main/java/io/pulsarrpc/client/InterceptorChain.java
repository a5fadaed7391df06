package io.pulsarrpc.client;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs a call through the client's interceptors, in order, then sends it. */
final class InterceptorChain<T, V> implements ClientInterceptor.Chain<T, V> {

  private final List<ClientInterceptor> interceptors;
  private final int index;
  private final ClientCall<T> call;
  private final Function<ClientCall<T>, CompletableFuture<V>> send;

  InterceptorChain(
      List<ClientInterceptor> interceptors,
      int index,
      ClientCall<T> call,
      Function<ClientCall<T>, CompletableFuture<V>> send) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.send = send;
  }

  @Override
  public ClientCall<T> call() {
    return call;
  }

  @Override
  public CompletableFuture<V> proceed(ClientCall<T> next) {
    if (next == null) {
      throw new IllegalArgumentException("proceed needs a call; pass chain.call() to keep it");
    }
    if (index == interceptors.size()) {
      return send.apply(next);
    }
    ClientInterceptor interceptor = interceptors.get(index);
    return guarded(
        interceptor,
        "call " + next.correlationId(),
        () -> interceptor.intercept(new InterceptorChain<>(interceptors, index + 1, next, send)));
  }

  /**
   * Runs one interceptor's step: what it throws, or a null future, fails the call with a {@link
   * PulsarRpcClientException} (the code of an {@link RpcException}, else {@code internal}) instead
   * of escaping to the caller.
   *
   * @param what the call, for the message ("call 42", "multi-call 42")
   */
  static <R> CompletableFuture<R> guarded(
      ClientInterceptor interceptor, String what, Supplier<CompletableFuture<R>> step) {
    CompletableFuture<R> result;
    try {
      result = step.get();
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(e.code(), failure(interceptor, what, e), e));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(ErrorCode.INTERNAL, failure(interceptor, what, e), e));
    }
    if (result == null) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(
              ErrorCode.INTERNAL,
              "Client interceptor " + interceptor + " returned null for " + what,
              null));
    }
    return result;
  }

  private static String failure(ClientInterceptor interceptor, String what, RuntimeException e) {
    return "Client interceptor " + interceptor + " failed " + what + ": " + e;
  }
}
