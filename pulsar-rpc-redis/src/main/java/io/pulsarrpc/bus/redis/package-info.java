/**
 * The Redis bus: {@link io.pulsarrpc.bus.redis.RedisMessageBus} maps the bus SPI onto Redis Streams
 * and consumer groups with Lettuce (a topic is a stream, a subscription a consumer group), with
 * exclusive subscriptions, claiming of a dead consumer's entries, delayed delivery and trimming
 * implemented in Lua scripts. Only the bus and its builder are public; producers, consumers,
 * messages and scripts are package-private implementations.
 */
package io.pulsarrpc.bus.redis;
