/**
 * The in-memory bus: {@link io.pulsarrpc.bus.memory.InMemoryMessageBus}, the bus SPI with a Pulsar
 * broker's semantics inside one JVM, for unit tests and demos. Everything else here is its
 * package-private implementation.
 */
package io.pulsarrpc.bus.memory;
