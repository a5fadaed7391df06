/**
 * The Redis bus: {@link io.pulsarrpc.bus.redis.RedisMessageBus} maps the bus SPI onto Redis Streams
 * and consumer groups with Lettuce (a topic is a stream, a subscription a consumer group), with
 * exclusive subscriptions, claiming of a dead consumer's entries, delayed delivery and trimming
 * implemented in Lua scripts. Only the bus and its builder ({@link
 * io.pulsarrpc.bus.redis.RedisMessageBusBuilder}) are public; the wire layout is in
 * docs/protocol.md.
 *
 * <p>One concern per class: the bus's shared connection and threads ({@code BusResources}), its
 * jobs ({@code DelayedEntryMover}, {@code StreamTrimmer}); the producer ({@code RedisBusProducer});
 * the consumer and its read loop ({@code RedisBusConsumer}), its place in the subscription ({@code
 * SubscriptionMembership}, {@code ConsumerKeys}) and its jobs ({@code ConsumerHeartbeat}, {@code
 * IdleEntryClaims}, {@code LostReadRecovery}, {@code NegativeAckRedelivery}); a delivered entry
 * ({@code RedisIncomingMessage}, {@code StreamEntry}, {@code EntryLayout}); the Lua scripts ({@code
 * StreamScripts}, {@code LuaScript}) and the key names ({@code RedisKeys}). Everything else an
 * adapter needs comes from {@link io.pulsarrpc.bus.support}.
 */
package io.pulsarrpc.bus.redis;
