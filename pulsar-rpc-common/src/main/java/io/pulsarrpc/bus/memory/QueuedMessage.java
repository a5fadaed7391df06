package io.pulsarrpc.bus.memory;

/**
 * A message waiting in a subscription's backlog, with how often it was delivered before.
 *
 * @param redeliveryCount 0 until the message is negatively acknowledged or its consumer closes
 *     without acknowledging it
 */
record QueuedMessage(StoredMessage message, int redeliveryCount) {}
