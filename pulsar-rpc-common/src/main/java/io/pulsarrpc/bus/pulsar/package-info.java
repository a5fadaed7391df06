/**
 * The Pulsar bus: {@link io.pulsarrpc.bus.pulsar.PulsarMessageBus} maps the bus SPI onto the Pulsar
 * Java client one to one (a bus producer is a Pulsar producer, a bus consumer a Pulsar consumer,
 * values are encoded by Pulsar's own schemas). Only the bus is public; its producers, consumers and
 * messages are package-private implementations of the SPI interfaces.
 */
package io.pulsarrpc.bus.pulsar;
