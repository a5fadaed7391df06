package io.pulsarrpc.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.common.ErrorCode;
import java.util.concurrent.CompletableFuture;

/** Records {@code rpc.client.*} meters around each call of one client. */
final class MetricsClientInterceptor implements ClientInterceptor {

  private final CallMeters meters;
  private final String requestTopic;

  MetricsClientInterceptor(MeterRegistry registry, String requestTopic) {
    this.meters =
        CallMeters.of(registry, "rpc.client", Tags.of(CallMeters.TAG_TOPIC, requestTopic));
    this.requestTopic = requestTopic;
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
