package io.pulsarrpc.client;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
    CompletableFuture<V> result;
    try {
      result = interceptor.intercept(new InterceptorChain<>(interceptors, index + 1, next, send));
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(e.code(), interceptorFailure(interceptor, e), e));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(ErrorCode.INTERNAL, interceptorFailure(interceptor, e), e));
    }
    if (result == null) {
      return CompletableFuture.failedFuture(
          new PulsarRpcClientException(
              ErrorCode.INTERNAL,
              "Client interceptor "
                  + interceptor
                  + " returned null for call "
                  + next.correlationId(),
              null));
    }
    return result;
  }

  private String interceptorFailure(ClientInterceptor interceptor, RuntimeException e) {
    return "Client interceptor " + interceptor + " failed call " + call.correlationId() + ": " + e;
  }
}
