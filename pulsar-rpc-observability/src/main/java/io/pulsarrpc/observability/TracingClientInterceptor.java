package io.pulsarrpc.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.pulsarrpc.client.ClientCall;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a client span per call (and per multi-call, with an event per response) and sends its
 * trace context in the call's metadata.
 */
final class TracingClientInterceptor implements ClientInterceptor {

  private final Tracer tracer;
  private final String requestTopic;

  TracingClientInterceptor(Tracer tracer, String requestTopic) {
    this.tracer = tracer;
    this.requestTopic = requestTopic;
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
    Span span = start(chain.call(), " request");
    CompletableFuture<V> result;
    try (Scope ignored = Context.current().with(span).makeCurrent()) {
      result = chain.proceed(withTraceContext(chain.call(), span));
    } catch (RuntimeException e) {
      SpanOutcome.end(span, e, ErrorCode.INTERNAL);
      throw e;
    }
    // The caller keeps the chain's own future, so that cancelling it still reaches the client.
    result.whenComplete((value, failure) -> SpanOutcome.end(span, failure, ErrorCode.UNKNOWN));
    return result;
  }

  @Override
  public <T, V> CompletableFuture<List<Response<V>>> interceptAll(MultiChain<T, V> chain) {
    Span span = start(chain.call(), " request all");
    CompletableFuture<List<Response<V>>> result;
    try (Scope ignored = Context.current().with(span).makeCurrent()) {
      result =
          chain.proceed(
              withTraceContext(chain.call(), span),
              response -> {
                span.addEvent(
                    "response",
                    Attributes.of(
                        RpcTracing.SERVER,
                        response.server(),
                        RpcTracing.ERROR_CODE,
                        response.isSuccess() ? "ok" : response.error().code().wireName()));
                chain.onResponse().accept(response);
              });
    } catch (RuntimeException e) {
      SpanOutcome.end(span, e, ErrorCode.INTERNAL);
      throw e;
    }
    result.whenComplete(
        (responses, failure) -> {
          if (responses != null) {
            span.setAttribute(RpcTracing.RESPONSES, responses.size());
          }
          SpanOutcome.end(span, failure, ErrorCode.UNKNOWN);
        });
    return result;
  }

  private Span start(ClientCall<?> call, String what) {
    return tracer
        .spanBuilder(requestTopic + what)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(RpcTracing.RPC_SYSTEM, "pulsar-rpc")
        .setAttribute(RpcTracing.DESTINATION, requestTopic)
        .setAttribute(RpcTracing.CORRELATION_ID, call.correlationId())
        .startSpan();
  }

  /** The call with the span's trace context in its metadata, for the server's span. */
  private static <T> ClientCall<T> withTraceContext(ClientCall<T> call, Span span) {
    Map<String, String> traceContext = new LinkedHashMap<>();
    W3CTraceContextPropagator.getInstance()
        .inject(
            Context.current().with(span),
            traceContext,
            (carrier, key, value) -> carrier.put(key, value));
    for (Map.Entry<String, String> entry : traceContext.entrySet()) {
      call = call.withMetadata(entry.getKey(), entry.getValue());
    }
    return call;
  }

  @Override
  public String toString() {
    return "RpcTracing.clientInterceptor[" + requestTopic + "]";
  }
}
