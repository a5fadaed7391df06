package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.spring.boot.PulsarRpcProperties;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * What every server the starter builds shares: the application's client, the properties with the
 * grace period resolved, the interceptors.
 */
record ServerSettings(
    PulsarClient pulsarClient,
    PulsarRpcProperties properties,
    Duration shutdownGracePeriod,
    PulsarRpcInterceptors interceptors) {}
