package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Sends requests to a request topic and completes each call with the reply that a {@code
 * PulsarRpcServer} publishes to this client's reply topic, correlated by id (the message key).
 *
 * <p>A call is pending from the moment it is made until its future completes: by a reply (through
 * the {@link RequestCallBack}), a failed send, its deadline, cancellation of the future, {@link
 * #removeRequest(String)} or {@link #close()}. Its deadline is the time of the call plus its
 * timeout (the client's {@code replyTimeout} unless {@link RequestOptions#withTimeout} says
 * otherwise).
 *
 * <p>Thread-safe: share one client among threads. Futures complete on the client's threads; do not
 * block in their dependent stages (use the {@code *Async} variants with your executor). Invalid
 * arguments throw {@link IllegalArgumentException} at once; every other failure comes through the
 * future as a {@link PulsarRpcClientException}.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
public interface PulsarRpcClient<T, V> extends AutoCloseable {

  /**
   * A builder for a client that encodes requests with {@code requestSchema} and decodes replies
   * with {@code replySchema}.
   */
  static <T, V> PulsarRpcClientBuilder<T, V> builder(
      Schema<T> requestSchema, Schema<V> replySchema) {
    return new PulsarRpcClientBuilder<>(requestSchema, replySchema);
  }

  /**
   * Sends a request and waits for its reply.
   *
   * @throws PulsarRpcClientException when the call fails; see {@link #requestAsync(String, Object)}
   */
  V request(String correlationId, T value) throws PulsarRpcClientException;

  /**
   * Sends a request with settings for the request message (see {@link
   * RequestOptions#withMessageConfig}) and waits for its reply.
   *
   * @throws PulsarRpcClientException when the call fails
   */
  V request(String correlationId, T value, Map<String, Object> config)
      throws PulsarRpcClientException;

  /**
   * Sends a request with a generated correlation id and waits for its reply.
   *
   * @throws PulsarRpcClientException when the call fails
   */
  V request(T value) throws PulsarRpcClientException;

  /**
   * Sends a request with these options and waits for its reply.
   *
   * @throws PulsarRpcClientException when the call fails
   */
  V request(T value, RequestOptions options) throws PulsarRpcClientException;

  /**
   * Sends a request. The future completes with the reply, or fails with a {@link
   * PulsarRpcClientException}: {@link PulsarRpcClientException.ReplyErrorException} for an error
   * reply, {@link PulsarRpcClientException.TimeoutException} at the deadline, {@link
   * PulsarRpcClientException.SendException} when publishing failed, {@link
   * PulsarRpcClientException.ClientClosedException} when the client is closed, {@link
   * PulsarRpcClientException.DuplicateCorrelationIdException} when a call with this id is pending,
   * {@link PulsarRpcClientException.TooManyPendingRequestsException} at the pending bound.
   *
   * @throws IllegalArgumentException when {@code correlationId} is blank or {@code value} null
   */
  CompletableFuture<V> requestAsync(String correlationId, T value);

  /**
   * As {@link #requestAsync(String, Object)}, with settings for the request message (on Pulsar,
   * applied through {@code TypedMessageBuilder.loadConf}; the key {@code key} is refused).
   */
  CompletableFuture<V> requestAsync(String correlationId, T value, Map<String, Object> config);

  /** As {@link #requestAsync(String, Object)}, with a generated correlation id (a random UUID). */
  CompletableFuture<V> requestAsync(T value);

  /** As {@link #requestAsync(String, Object)}, with a call's own options. */
  CompletableFuture<V> requestAsync(T value, RequestOptions options);

  /**
   * Stops tracking a call: its future stays as it is and is no longer completed by a reply or a
   * timeout; a reply that still comes reaches the {@link RequestCallBack} as one for an untracked
   * call. Does nothing for an unknown id.
   */
  void removeRequest(String correlationId);

  /** How many calls are pending. */
  int pendingRequestSize();

  /**
   * Closes the client: pending calls fail with {@link
   * PulsarRpcClientException.ClientClosedException}, later calls fail at once, and the client's
   * producer and consumer are closed. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  void close();
}
