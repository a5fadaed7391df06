package io.pulsarrpc.server;

import java.util.concurrent.CompletableFuture;

/**
 * Cross-cutting behaviour around every request a server handles (authentication, logging, metrics,
 * tracing, error mapping), in the style of OkHttp's interceptors: an interceptor receives a {@link
 * Chain}, may look at or change the {@link RequestContext} and the request, calls {@link
 * Chain#proceed} to pass them on, and may change the future it gets back. It may also answer
 * without calling {@code proceed}, for example with a failed future of an {@link
 * io.pulsarrpc.common.RpcException} of code {@code unauthenticated}: the handler does not run and
 * the caller gets that answer.
 *
 * <p><b>Order.</b> Interceptors run in the order they were registered with {@link
 * PulsarRpcServerBuilder#intercept(ServerInterceptor)}: the first registered sees the request first
 * and the result last. After the last interceptor, the server's handler runs.
 *
 * <p><b>Errors.</b> What an interceptor throws, or a failed future, is answered as a failure of the
 * handler would be: an {@code RpcException} keeps its code, anything else is {@code internal}. The
 * deadline and rollback rules apply to the whole chain: a result that comes after the deadline is
 * not sent, and the rollback function runs.
 *
 * <p>Interceptors run on the server's handler executor and must be thread-safe.
 */
public interface ServerInterceptor {

  /**
   * Handles one request: usually {@code return chain.proceed(chain.context(), chain.request())}.
   */
  <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception;

  /** The rest of the chain, from one interceptor's point of view. */
  interface Chain<T, V> {

    /** The request's context as it reached this interceptor. */
    RequestContext context();

    /** The request as it reached this interceptor. */
    T request();

    /** Passes the context and request to the next interceptor, or to the handler after the last. */
    CompletableFuture<V> proceed(RequestContext context, T request) throws Exception;
  }
}
