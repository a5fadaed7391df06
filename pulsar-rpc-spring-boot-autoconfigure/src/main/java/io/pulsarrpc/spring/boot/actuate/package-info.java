/**
 * Actuator support, active with {@code spring-boot-actuator} on the classpath: the health
 * contributor {@code pulsarRpc} with one entry per server and client the starter built, and the
 * {@code pulsarrpc} endpoint that returns their inspections ({@link
 * io.pulsarrpc.spring.boot.actuate.PulsarRpcEndpoint}).
 */
package io.pulsarrpc.spring.boot.actuate;
