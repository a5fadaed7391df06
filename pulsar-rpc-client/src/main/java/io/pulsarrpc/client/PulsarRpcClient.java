package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.inspect.ClientInspection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * arguments (a null {@link RequestOptions} among them) throw {@link IllegalArgumentException} at
 * once; every other failure comes through the future as a {@link PulsarRpcClientException}.
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
   * Schedules a request: the bus delivers it to a server at {@code timestamp} (epoch milliseconds),
   * not before, and the call's deadline is {@code timestamp} plus the client's {@code
   * replyTimeout}. The request carries {@code deliverAt}, which the server echoes on the reply. The
   * client keeps only a pending entry and one timer task per call (no thread), so thousands of
   * calls may wait for hours. A timestamp that is not in the future sends the request at once.
   *
   * <p>On Pulsar, delivery at a time needs the broker's delayed delivery ({@code
   * delayedDeliveryEnabled=true}, the default) and a Shared subscription, which servers use; a
   * server refuses, with an error reply, a scheduled request that arrives much earlier than its
   * time.
   *
   * @throws IllegalArgumentException when {@code correlationId} is blank, {@code value} null or
   *     {@code timestamp} not positive
   * @throws UnsupportedOperationException when the client's bus cannot delay delivery
   */
  CompletableFuture<V> requestAtAsync(String correlationId, T value, long timestamp);

  /**
   * As {@link #requestAtAsync(String, Object, long)}, with settings for the request message (see
   * {@link #requestAsync(String, Object, Map)}).
   */
  CompletableFuture<V> requestAtAsync(
      String correlationId, T value, Map<String, Object> config, long timestamp);

  /**
   * Schedules a request for {@code delay} from now; see {@link #requestAtAsync(String, Object,
   * long)}.
   *
   * @throws IllegalArgumentException when {@code delay} is negative, or as {@code requestAtAsync}
   */
  CompletableFuture<V> requestAfterAsync(String correlationId, T value, long delay, TimeUnit unit);

  /**
   * As {@link #requestAfterAsync(String, Object, long, TimeUnit)}, with settings for the request
   * message.
   */
  CompletableFuture<V> requestAfterAsync(
      String correlationId, T value, Map<String, Object> config, long delay, TimeUnit unit);

  /**
   * As {@link #requestAtAsync(String, Object, long)}, with a call's own options: its correlation id
   * (a random UUID when not set), its timeout (counted from {@code timestamp}), metadata and
   * settings for the request message. A scheduled call cannot wait for a claim, which would come
   * only at delivery: options with a topic, a selection or {@link RequestOptions#withClaimRequired}
   * are refused.
   *
   * @throws IllegalArgumentException when {@code options} is null or asks for a claim, or as {@code
   *     requestAtAsync}
   * @throws UnsupportedOperationException when the client's bus cannot delay delivery
   */
  CompletableFuture<V> requestAtAsync(T value, RequestOptions options, long timestamp);

  /**
   * Schedules a request with a call's own options for {@code delay} from now; see {@link
   * #requestAtAsync(Object, RequestOptions, long)}.
   *
   * @throws IllegalArgumentException when {@code delay} is negative, or as {@code requestAtAsync}
   */
  CompletableFuture<V> requestAfterAsync(
      T value, RequestOptions options, long delay, TimeUnit unit);

  /**
   * Sends a multi-call: every server group (each subscription of the request topic) that receives
   * the request claims it at once and answers it, and the future completes with one {@link
   * Response} per group, in the order they came:
   *
   * <ul>
   *   <li>as soon as every group that claimed the call has answered, once as many groups claimed it
   *       as took part in the client's last multi-call to the same topic (the first multi-call to a
   *       topic waits, after the first claim, half the time that claim took and at least 250 ms, or
   *       a tenth of the claim window if less);
   *   <li>at the call's deadline, with the responses that came and a {@link
   *       io.pulsarrpc.common.ErrorCode#DEADLINE_EXCEEDED} response for each group that claimed and
   *       did not answer.
   * </ul>
   *
   * <p>An error reply is a {@code Response} whose {@link Response#error()} carries the server's
   * code, not a failed future. The future fails with {@link
   * PulsarRpcClientException.NoRespondersException} when no group claimed the call within the
   * client's {@code claimWindow}; with the usual exceptions when the request cannot be sent, the
   * client is closed, or too many calls are pending. A multi-call does not go through the {@link
   * RequestCallBack}'s reply events. Servers of the proposal's protocol do not claim: each of their
   * replies counts as claim and answer.
   */
  CompletableFuture<List<Response<V>>> requestAllAsync(T value);

  /** As {@link #requestAllAsync(Object)}, with a call's own options. */
  CompletableFuture<List<Response<V>>> requestAllAsync(T value, RequestOptions options);

  /**
   * As {@link #requestAllAsync(Object, RequestOptions)}, and hands each response to {@code
   * onResponse} as it comes, before the future completes. {@code onResponse} runs on the client's
   * threads, one response at a time per call: it must not block; what it throws is logged and
   * ignored.
   */
  CompletableFuture<List<Response<V>>> requestAllAsync(
      T value, RequestOptions options, Consumer<? super Response<V>> onResponse);

  /**
   * Blocking {@link #requestAllAsync(Object)}.
   *
   * @throws PulsarRpcClientException when the call fails (not for error replies, which are
   *     responses)
   */
  List<Response<V>> requestAll(T value) throws PulsarRpcClientException;

  /**
   * Blocking {@link #requestAllAsync(Object, RequestOptions)}.
   *
   * @throws PulsarRpcClientException when the call fails
   */
  List<Response<V>> requestAll(T value, RequestOptions options) throws PulsarRpcClientException;

  /**
   * Stops tracking a call: its future stays as it is and is no longer completed by a reply or a
   * timeout; a reply that still comes reaches the {@link RequestCallBack} as one for an untracked
   * call. Does nothing for an unknown id.
   */
  void removeRequest(String correlationId);

  /** How many calls are pending. */
  int pendingRequestSize();

  /**
   * A snapshot of the client: its topics and reply subscription, whether its request producer and
   * reply consumer are connected to the bus now, and the calls pending (single, affinity and
   * multi-calls), each with its kind, topic, start and deadline. Cheap: copied from the pending
   * table and read from the bus's state without a lock or I/O, so it may be polled (a health check)
   * and the caller may format it at leisure; weakly consistent (see {@link ClientInspection}).
   */
  ClientInspection inspect();

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
