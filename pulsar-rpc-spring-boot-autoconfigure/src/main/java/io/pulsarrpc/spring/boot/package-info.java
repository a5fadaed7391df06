/**
 * Spring Boot auto-configuration for pulsar-rpc: RPC servers and clients as beans, on the {@code
 * PulsarClient} that Spring Boot's {@code spring-boot-starter-pulsar} builds from {@code
 * spring.pulsar.client.*}.
 *
 * <p>This package holds the entry points: {@link
 * io.pulsarrpc.spring.boot.PulsarRpcAutoConfiguration} (active when a {@code PulsarClient} bean
 * exists and {@code pulsar-rpc.enabled} is not {@code false}), the settings under the {@code
 * pulsar-rpc} prefix ({@link io.pulsarrpc.spring.boot.PulsarRpcProperties}), the {@link
 * io.pulsarrpc.spring.boot.PulsarRpcHandler} annotation that serves a bean method, the {@link
 * io.pulsarrpc.spring.boot.PulsarRpcRegistry} of everything the starter built, and the {@link
 * io.pulsarrpc.spring.boot.PulsarRpcInterceptors} it adds to each server and client. The
 * sub-packages hold one concern each: {@code server} (handler methods and generated servers, their
 * lifecycle), {@code client} (client beans), {@code observability} (interceptor registration),
 * {@code actuate} (health and the {@code pulsarrpc} endpoint).
 */
package io.pulsarrpc.spring.boot;
