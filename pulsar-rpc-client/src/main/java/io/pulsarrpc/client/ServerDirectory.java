package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.inspect.ServerInspection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Lists the live servers that answer on a control topic: servers built with {@code
 * PulsarRpcServerBuilder.controlToken}. Each listing is one multi-call on the control topic,
 * carrying the control token in its metadata; every server that receives it answers with its {@link
 * ServerInspection}, or, when the token is not its own, with an error.
 *
 * <pre>{@code
 * try (ServerDirectory directory =
 *     ServerDirectory.builder().controlToken(token).build(pulsarClient)) {
 *   for (Response<ServerInspection> answer : directory.list(Duration.ofSeconds(3))) {
 *     if (answer.isSuccess()) {
 *       System.out.println(answer.value().subscription() + " " + answer.value().counters());
 *     } else {
 *       System.out.println(answer.server() + ": " + answer.error().code());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Errors of single servers are answers, not exceptions: a {@link Response} whose {@link
 * Response#error()} carries the code ({@code permission_denied} for a server with another token,
 * {@code deadline_exceeded} for one that claimed the call and did not answer within the window). No
 * live server is an empty list. Thread-safe; one directory may list many times.
 */
public interface ServerDirectory extends AutoCloseable {

  /** A builder of a directory; a control token is required. */
  static ServerDirectoryBuilder builder() {
    return new ServerDirectoryBuilder();
  }

  /**
   * Asks every live server for its inspection, without thread dumps; blocks for at most {@code
   * window} (less when every server that claimed the call has answered).
   *
   * @return one answer per server, in the order they came; empty when no server answered
   * @throws IllegalArgumentException unless {@code window} is positive
   * @throws PulsarRpcClientException when the call cannot be made (bus failure, directory closed)
   */
  List<Response<ServerInspection>> list(Duration window) throws PulsarRpcClientException;

  /**
   * As {@link #list(Duration)}; with {@code threadDumps}, each answer carries its server JVM's
   * thread dump ({@link ServerInspection#threadDump()}).
   *
   * @throws PulsarRpcClientException when the call cannot be made
   */
  List<Response<ServerInspection>> list(Duration window, boolean threadDumps)
      throws PulsarRpcClientException;

  /**
   * As {@link #list(Duration, boolean)}, without blocking: the future completes with the answers,
   * or fails with a {@link PulsarRpcClientException} when the call cannot be made.
   *
   * @throws IllegalArgumentException unless {@code window} is positive
   */
  CompletableFuture<List<Response<ServerInspection>>> listAsync(
      Duration window, boolean threadDumps);

  /** Closes the directory's client (its temporary reply subscription goes with it). Idempotent. */
  @Override
  void close();
}
