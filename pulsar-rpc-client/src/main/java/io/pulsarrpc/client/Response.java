package io.pulsarrpc.client;

import io.pulsarrpc.common.RpcException;

/**
 * One server's answer to a multi-call ({@link PulsarRpcClient#requestAllAsync}): a value, or an
 * error with its code. Error replies are responses, not a failed call; so is a server that claimed
 * the call and did not answer before its deadline ({@link
 * io.pulsarrpc.common.ErrorCode#DEADLINE_EXCEEDED}). Immutable.
 *
 * @param server the answering server group: its subscription on Pulsar, its consumer group on Redis
 *     and NATS
 * @param value the reply, or null for an error
 * @param error the error, or null for a success
 * @param <V> the type of reply values
 */
public record Response<V>(String server, V value, RpcException error) {

  /** A successful response. */
  static <V> Response<V> success(String server, V value) {
    return new Response<>(server, value, null);
  }

  /** An error response. */
  static <V> Response<V> failure(String server, RpcException error) {
    return new Response<>(server, null, error);
  }

  /** Whether the server answered with a value rather than an error. */
  public boolean isSuccess() {
    return error == null;
  }
}
