/**
 * The Spring Boot example: a {@code @PulsarRpcHandler} bean and a generated service, called through
 * injected client beans (the README's {@code -Pspring-demo} command).
 */
package io.pulsarrpc.examples.spring;
