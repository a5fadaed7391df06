package io.pulsarrpc.bus;

/** How the consumers of one subscription share its messages. */
public enum SubscriptionMode {
  /** Consumers of the subscription share the messages; a message goes to one of them. */
  SHARED,
  /** One consumer at a time; a second one is refused. */
  EXCLUSIVE
}
