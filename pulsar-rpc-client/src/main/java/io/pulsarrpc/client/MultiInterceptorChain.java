package io.pulsarrpc.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Runs a multi-call through the client's interceptors ({@link ClientInterceptor#interceptAll}), in
 * order, then sends it. An interceptor that throws or returns null fails the call ({@link
 * InterceptorChain#guarded}). Runs on the caller's thread.
 */
final class MultiInterceptorChain<T, V> implements ClientInterceptor.MultiChain<T, V> {

  private final List<ClientInterceptor> interceptors;
  private final int index;
  private final ClientCall<T> call;
  private final Consumer<Response<V>> onResponse;
  private final BiFunction<
          ClientCall<T>, Consumer<Response<V>>, CompletableFuture<List<Response<V>>>>
      send;

  MultiInterceptorChain(
      List<ClientInterceptor> interceptors,
      int index,
      ClientCall<T> call,
      Consumer<Response<V>> onResponse,
      BiFunction<ClientCall<T>, Consumer<Response<V>>, CompletableFuture<List<Response<V>>>> send) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.onResponse = onResponse;
    this.send = send;
  }

  @Override
  public ClientCall<T> call() {
    return call;
  }

  @Override
  public Consumer<Response<V>> onResponse() {
    return onResponse;
  }

  @Override
  public CompletableFuture<List<Response<V>>> proceed(
      ClientCall<T> next, Consumer<Response<V>> listener) {
    if (next == null || listener == null) {
      throw new IllegalArgumentException(
          "proceed needs a call and a listener; pass chain.call() and chain.onResponse() to keep"
              + " them");
    }
    if (index == interceptors.size()) {
      return send.apply(next, listener);
    }
    ClientInterceptor interceptor = interceptors.get(index);
    return InterceptorChain.guarded(
        interceptor,
        "multi-call " + next.correlationId(),
        () ->
            interceptor.interceptAll(
                new MultiInterceptorChain<>(interceptors, index + 1, next, listener, send)));
  }
}
