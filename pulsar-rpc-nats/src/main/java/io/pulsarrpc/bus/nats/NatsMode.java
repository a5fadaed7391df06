package io.pulsarrpc.bus.nats;

/**
 * How a {@link NatsMessageBus} carries messages: kept by JetStream, or handed from publisher to
 * subscriber by core NATS. {@code docs/buses.md} says when to choose which.
 */
public enum NatsMode {

  /**
   * Every topic is a JetStream stream and every subscription a durable consumer: messages are
   * stored, survive restarts of clients and of the server, wait for a subscriber that is not there
   * yet, are delivered again when not acknowledged within the ack wait, and may be delayed. The
   * default.
   */
  JETSTREAM,

  /**
   * Core NATS publish and subscribe, as psrpc uses it: a topic is a subject and a subscription a
   * queue group, nothing is stored, and a message is delivered at most once, to the subscribers
   * connected when it is published. A send completes when a subscriber received the message, and
   * fails at once when none listens (NATS reports "no responders"). No delayed delivery: a message
   * with a delivery time is refused. Acknowledgement succeeds at once and a negative
   * acknowledgement does nothing, since the server keeps nothing to deliver again. Faster, and
   * needs no JetStream on the server.
   */
  CORE
}
