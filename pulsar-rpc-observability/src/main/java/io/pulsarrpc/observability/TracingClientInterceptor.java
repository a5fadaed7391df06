package io.pulsarrpc.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.pulsarrpc.client.ClientCall;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.common.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Starts a client span per call and sends its trace context in the call's metadata. */
final class TracingClientInterceptor implements ClientInterceptor {

  private final Tracer tracer;
  private final String requestTopic;

  TracingClientInterceptor(Tracer tracer, String requestTopic) {
    this.tracer = tracer;
    this.requestTopic = requestTopic;
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
    ClientCall<T> call = chain.call();
    Span span =
        tracer
            .spanBuilder(requestTopic + " request")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(RpcTracing.RPC_SYSTEM, "pulsar-rpc")
            .setAttribute(RpcTracing.DESTINATION, requestTopic)
            .setAttribute(RpcTracing.CORRELATION_ID, call.correlationId())
            .startSpan();
    Context context = Context.current().with(span);
    Map<String, String> traceContext = new LinkedHashMap<>();
    W3CTraceContextPropagator.getInstance()
        .inject(context, traceContext, (carrier, key, value) -> carrier.put(key, value));
    for (Map.Entry<String, String> entry : traceContext.entrySet()) {
      call = call.withMetadata(entry.getKey(), entry.getValue());
    }
    CompletableFuture<V> result;
    try (Scope ignored = context.makeCurrent()) {
      result = chain.proceed(call);
    } catch (RuntimeException e) {
      SpanOutcome.end(span, e, ErrorCode.INTERNAL);
      throw e;
    }
    // The caller keeps the chain's own future, so that cancelling it still reaches the client.
    result.whenComplete((value, failure) -> SpanOutcome.end(span, failure, ErrorCode.UNKNOWN));
    return result;
  }

  @Override
  public String toString() {
    return "RpcTracing.clientInterceptor[" + requestTopic + "]";
  }
}
