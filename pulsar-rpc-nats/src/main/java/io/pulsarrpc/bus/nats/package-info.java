/**
 * The NATS bus: {@link io.pulsarrpc.bus.nats.NatsMessageBus} maps the bus SPI onto NATS JetStream
 * with the jnats client. A topic is a stream, a subscription a durable pull consumer, both created
 * on demand; delayed delivery and exclusive subscriptions are emulated on JetStream's own features
 * (delayed negative acknowledgements, key-value leases). Only the bus and its builder are public;
 * its producers, consumers and messages are package-private implementations of the SPI interfaces.
 */
package io.pulsarrpc.bus.nats;
