/**
 * Registers interceptors on everything the starter builds: Micrometer metrics and OpenTelemetry
 * tracing from {@code pulsar-rpc-observability} when their beans exist, then the application's own
 * interceptor beans, as one {@link io.pulsarrpc.spring.boot.PulsarRpcInterceptors} bean.
 */
package io.pulsarrpc.spring.boot.observability;
