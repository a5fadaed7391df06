package io.pulsarrpc.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.ServerInterceptor;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Records {@code rpc.server.*} meters around each request a server handles. */
final class MetricsServerInterceptor implements ServerInterceptor {

  private final MeterRegistry registry;

  /** By subscription and topic: a server on a topic pattern sees many topics. */
  private final Map<Tags, CallMeters> metersByTags = new ConcurrentHashMap<>();

  MetricsServerInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
    RequestContext context = chain.context();
    Tags tags =
        Tags.of(
            CallMeters.TAG_SUBSCRIPTION,
            context.subscription(),
            CallMeters.TAG_TOPIC,
            context.topic());
    CallMeters meters =
        metersByTags.computeIfAbsent(tags, t -> CallMeters.of(registry, "rpc.server", t));
    Timer.Sample sample = meters.started();
    CompletableFuture<V> result;
    try {
      result = chain.proceed(context, chain.request());
    } catch (Exception e) {
      meters.finished(sample, FailureCodes.of(e, ErrorCode.INTERNAL));
      throw e;
    }
    if (result == null) {
      meters.finished(sample, ErrorCode.INTERNAL);
      return null;
    }
    result.whenComplete(
        (value, failure) ->
            meters.finished(
                sample, failure == null ? null : FailureCodes.of(failure, ErrorCode.INTERNAL)));
    return result;
  }

  @Override
  public String toString() {
    return "RpcMetrics.serverInterceptor";
  }
}
