/**
 * Servers: one per {@link io.pulsarrpc.spring.boot.PulsarRpcHandler} method and one per bean that
 * implements a generated {@code FooServerImpl}, all started with the application context and
 * drained when it closes, as one {@code SmartLifecycle} (see {@link
 * io.pulsarrpc.spring.boot.server.PulsarRpcServerAutoConfiguration} for the phase).
 */
package io.pulsarrpc.spring.boot.server;
