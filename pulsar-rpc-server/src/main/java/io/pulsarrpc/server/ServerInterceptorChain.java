package io.pulsarrpc.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a request through the server's interceptors, in order, then its handler. */
final class ServerInterceptorChain<T, V> implements ServerInterceptor.Chain<T, V> {

  private final List<ServerInterceptor> interceptors;
  private final int index;
  private final RequestContext context;
  private final T request;
  private final RequestHandler<T, V> handler;

  private ServerInterceptorChain(
      List<ServerInterceptor> interceptors,
      int index,
      RequestContext context,
      T request,
      RequestHandler<T, V> handler) {
    this.interceptors = interceptors;
    this.index = index;
    this.context = context;
    this.request = request;
    this.handler = handler;
  }

  /** {@code handler} behind {@code interceptors}; the handler itself when there are none. */
  static <T, V> RequestHandler<T, V> around(
      List<ServerInterceptor> interceptors, RequestHandler<T, V> handler) {
    if (interceptors.isEmpty()) {
      return handler;
    }
    List<ServerInterceptor> chain = List.copyOf(interceptors);
    return (context, request) ->
        new ServerInterceptorChain<>(chain, 0, context, request, handler).proceed(context, request);
  }

  @Override
  public RequestContext context() {
    return context;
  }

  @Override
  public T request() {
    return request;
  }

  @Override
  public CompletableFuture<V> proceed(RequestContext nextContext, T nextRequest) throws Exception {
    if (nextContext == null) {
      throw new IllegalArgumentException(
          "proceed needs a context; pass chain.context() to keep it");
    }
    if (index == interceptors.size()) {
      return handler.handle(nextContext, nextRequest);
    }
    return interceptors
        .get(index)
        .intercept(
            new ServerInterceptorChain<>(
                interceptors, index + 1, nextContext, nextRequest, handler));
  }
}
