package io.pulsarrpc.bus;

/**
 * How long a subscription lives, and so what the bus keeps for it. How each bus makes and cleans up
 * a temporary subscription is in docs/protocol.md.
 */
public enum SubscriptionLifetime {
  /**
   * The subscription lives until it is deleted on the bus: it is created by its first consumer and
   * survives the close of every consumer. On a {@linkplain MessageBus#isDurable() durable} bus it
   * keeps collecting messages while no consumer is connected, for the next one; unacknowledged
   * messages of a consumer that closed go to another consumer of it.
   */
  DURABLE,

  /**
   * The subscription lives as long as its one consumer: it is created by {@link
   * MessageBus#subscribe}, starts at {@link InitialPosition#LATEST}, and gets every message
   * published to its topic after that (as every subscription does, so that several temporary
   * subscriptions of one topic each see every message: a broadcast). Closing the consumer removes
   * the subscription and every message it had not consumed; a consumer that dies without closing
   * leaves behind, at worst, something the bus removes by itself after a bounded time. The bus
   * never keeps messages for a consumer that is gone.
   *
   * <p>Always {@link SubscriptionMode#EXCLUSIVE}: one consumer. Messages are acknowledged as on the
   * bus's durable subscriptions (where the bus has nothing to keep, that is cheap), and a
   * negatively acknowledged one comes again while the consumer is open if the bus {@linkplain
   * MessageBus#isDurable() redelivers}; once the consumer is closed, nothing is delivered again.
   */
  TEMPORARY
}
