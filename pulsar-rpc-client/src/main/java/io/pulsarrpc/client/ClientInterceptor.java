package io.pulsarrpc.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Cross-cutting behaviour around every call of a client (logging, metrics, tracing, auth metadata,
 * retries, fallbacks), in the style of OkHttp's interceptors: an interceptor receives a {@link
 * Chain}, may change the {@link ClientCall} (its metadata, value, timeout), calls {@link
 * Chain#proceed} to pass it on, and may change the future it gets back, for example to map an error
 * or to time the call. An interceptor may also answer without calling {@code proceed} (a cache, a
 * circuit breaker): nothing is sent then.
 *
 * <p><b>Order.</b> Interceptors run in the order they were registered with {@link
 * PulsarRpcClientBuilder#intercept(ClientInterceptor)}: the first registered sees the call first
 * and its result last. After the last interceptor, the client sends the request.
 *
 * <p><b>Scope.</b> Every single call goes through {@link #intercept}: {@code request}, {@code
 * requestAsync} and the scheduled calls. A multi-call ({@code requestAll}) goes through {@link
 * #interceptAll}, which sees its send, each response and its end; by default it passes the call on
 * untouched, so an interceptor written for single calls leaves multi-calls alone. Arguments are
 * checked (blank id, null value) before the chain.
 *
 * <p><b>Errors.</b> When an interceptor throws, the call fails with a {@link
 * io.pulsarrpc.common.PulsarRpcClientException} (code {@code internal}, or the code of an {@link
 * io.pulsarrpc.common.RpcException}) and nothing more of the chain runs; a null future fails the
 * call the same way. An interceptor may call {@code proceed} more than once (a retry), each time
 * with a correlation id that is not pending.
 *
 * <p>Interceptors run on the caller's thread for the way out and on the client's threads for the
 * way back: they must not block. They must be thread-safe.
 */
public interface ClientInterceptor {

  /** Handles one call: usually {@code return chain.proceed(chain.call())}, with work around it. */
  <T, V> CompletableFuture<V> intercept(Chain<T, V> chain);

  /**
   * Handles one multi-call: usually {@code return chain.proceed(chain.call(), chain.onResponse())},
   * with work around it. To see each response as it comes, pass on a listener that does its work
   * and then calls {@code chain.onResponse()}; the future gives the end. Default: passes the call
   * on unchanged.
   */
  default <T, V> CompletableFuture<List<Response<V>>> interceptAll(MultiChain<T, V> chain) {
    return chain.proceed(chain.call(), chain.onResponse());
  }

  /** The rest of the chain, from one interceptor's point of view. */
  interface Chain<T, V> {

    /** The call as it reached this interceptor. */
    ClientCall<T> call();

    /** Passes {@code call} to the next interceptor, or sends it after the last one. */
    CompletableFuture<V> proceed(ClientCall<T> call);
  }

  /** The rest of a multi-call's chain, from one interceptor's point of view. */
  interface MultiChain<T, V> {

    /** The call as it reached this interceptor. */
    ClientCall<T> call();

    /**
     * What receives each response after this interceptor: the caller's listener, wrapped by later
     * ones.
     */
    Consumer<Response<V>> onResponse();

    /**
     * Passes {@code call} to the next interceptor, or sends it after the last one; {@code
     * onResponse} receives each response as it comes.
     */
    CompletableFuture<List<Response<V>>> proceed(
        ClientCall<T> call, Consumer<Response<V>> onResponse);
  }
}
