package io.pulsarrpc.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.ServerInterceptor;
import java.util.concurrent.CompletableFuture;

/** Starts a server span per request, as a child of the caller's span when it sent one. */
final class TracingServerInterceptor implements ServerInterceptor {

  private final Tracer tracer;

  TracingServerInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
    RequestContext request = chain.context();
    // The root context, not the current one: the handler thread's context belongs to no caller.
    Context parent =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), request.metadata(), MetadataCarrier.GETTER);
    Span span =
        tracer
            .spanBuilder(request.topic() + " handle")
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(RpcTracing.RPC_SYSTEM, "pulsar-rpc")
            .setAttribute(RpcTracing.DESTINATION, request.topic())
            .setAttribute(RpcTracing.SUBSCRIPTION, request.subscription())
            .setAttribute(RpcTracing.CORRELATION_ID, request.correlationId())
            .startSpan();
    CompletableFuture<V> result;
    try (Scope ignored = parent.with(span).makeCurrent()) {
      result = chain.proceed(request, chain.request());
    } catch (Exception e) {
      SpanOutcome.end(span, e, ErrorCode.INTERNAL);
      throw e;
    }
    if (result == null) {
      SpanOutcome.end(span, new IllegalStateException("null result future"), ErrorCode.INTERNAL);
      return null;
    }
    result.whenComplete((value, failure) -> SpanOutcome.end(span, failure, ErrorCode.INTERNAL));
    return result;
  }

  @Override
  public String toString() {
    return "RpcTracing.serverInterceptor";
  }
}
