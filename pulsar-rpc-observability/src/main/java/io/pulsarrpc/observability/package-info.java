/**
 * Metrics and tracing for pulsar-rpc clients and servers, as interceptors: {@link
 * io.pulsarrpc.observability.RpcMetrics} records Micrometer meters per call, {@link
 * io.pulsarrpc.observability.RpcTracing} starts an OpenTelemetry span per call on each side and
 * carries the W3C trace context in the request's metadata. Register them with {@code
 * PulsarRpcClientBuilder.intercept} and {@code PulsarRpcServerBuilder.intercept}; see {@code
 * docs/observability.md} for the metric list and the span attributes.
 */
package io.pulsarrpc.observability;
