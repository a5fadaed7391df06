package io.pulsarrpc.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records {@code rpc.client.*} meters around each call of one client, {@code rpc.client.multi.*}
 * around each multi-call, and {@code rpc.client.multi.responses} for each response of one.
 */
final class MetricsClientInterceptor implements ClientInterceptor {

  private final MeterRegistry registry;
  private final CallMeters meters;
  private final CallMeters multiMeters;
  private final String requestTopic;

  MetricsClientInterceptor(MeterRegistry registry, String requestTopic) {
    this.registry = registry;
    Tags topic = Tags.of(CallMeters.TAG_TOPIC, requestTopic);
    this.meters = CallMeters.of(registry, "rpc.client", topic);
    this.multiMeters = CallMeters.of(registry, "rpc.client.multi", topic);
    this.requestTopic = requestTopic;
  }

  @Override
  public <T, V> CompletableFuture<List<Response<V>>> interceptAll(MultiChain<T, V> chain) {
    Timer.Sample sample = multiMeters.started();
    CompletableFuture<List<Response<V>>> result;
    try {
      result =
          chain.proceed(
              chain.call(),
              response -> {
                countResponse(response);
                chain.onResponse().accept(response);
              });
    } catch (RuntimeException e) {
      multiMeters.finished(sample, FailureCodes.of(e, ErrorCode.INTERNAL));
      throw e;
    }
    result.whenComplete(
        (responses, failure) ->
            multiMeters.finished(
                sample, failure == null ? null : FailureCodes.of(failure, ErrorCode.UNKNOWN)));
    return result;
  }

  private void countResponse(Response<?> response) {
    ErrorCode code = response.isSuccess() ? null : response.error().code();
    Counter.builder(RpcMetrics.CLIENT_MULTI_RESPONSES)
        .description("Responses to multi-calls, by answering server group, outcome and code")
        .tags(
            CallMeters.TAG_TOPIC,
            requestTopic,
            CallMeters.TAG_SERVER,
            response.server(),
            CallMeters.TAG_OUTCOME,
            code == null ? CallMeters.OUTCOME_SUCCESS : CallMeters.OUTCOME_ERROR,
            CallMeters.TAG_CODE,
            code == null ? CallMeters.CODE_OK : code.wireName())
        .register(registry)
        .increment();
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
    Timer.Sample sample = meters.started();
    CompletableFuture<V> result;
    try {
      result = chain.proceed(chain.call());
    } catch (RuntimeException e) {
      meters.finished(sample, FailureCodes.of(e, ErrorCode.INTERNAL));
      throw e;
    }
    // The caller keeps the chain's own future, so that cancelling it still reaches the client.
    result.whenComplete(
        (value, failure) ->
            meters.finished(
                sample, failure == null ? null : FailureCodes.of(failure, ErrorCode.UNKNOWN)));
    return result;
  }

  @Override
  public String toString() {
    return "RpcMetrics.clientInterceptor[" + requestTopic + "]";
  }
}
