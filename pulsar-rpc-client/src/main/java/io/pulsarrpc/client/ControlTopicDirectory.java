package io.pulsarrpc.client;

import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.NoRespondersException;
import io.pulsarrpc.inspect.ControlTopic;
import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A {@link ServerDirectory} over a client of the control topic: each listing is one multi-call with
 * the token in its metadata. "No responders" means no live server, so it is an empty list here.
 * Thread-safe, as the client it wraps.
 */
final class ControlTopicDirectory implements ServerDirectory {

  private final PulsarRpcClient<InspectionRequest, ServerInspection> client;
  private final String token;

  ControlTopicDirectory(PulsarRpcClient<InspectionRequest, ServerInspection> client, String token) {
    this.client = client;
    this.token = token;
  }

  @Override
  public List<Response<ServerInspection>> list(Duration window) throws PulsarRpcClientException {
    return list(window, false);
  }

  @Override
  public List<Response<ServerInspection>> list(Duration window, boolean threadDumps)
      throws PulsarRpcClientException {
    CompletableFuture<List<Response<ServerInspection>>> answers = listAsync(window, threadDumps);
    try {
      return answers.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answers.cancel(false);
      throw new PulsarRpcClientException(
          ErrorCode.CANCELED, "Interrupted while listing the servers", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PulsarRpcClientException failure) {
        throw failure;
      }
      throw new PulsarRpcClientException(
          "Listing the servers failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public CompletableFuture<List<Response<ServerInspection>>> listAsync(
      Duration window, boolean threadDumps) {
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    RequestOptions options =
        RequestOptions.defaults()
            .withTimeout(window)
            .withMetadata(ControlTopic.TOKEN_METADATA_KEY, token);
    return client
        .requestAllAsync(new InspectionRequest(threadDumps), options)
        .exceptionallyCompose(
            failure ->
                Failures.unwrapped(failure) instanceof NoRespondersException
                    ? CompletableFuture.completedFuture(List.of())
                    : CompletableFuture.failedFuture(Failures.unwrapped(failure)));
  }

  @Override
  public void close() {
    client.close();
  }
}
