package io.pulsarrpc.bus.nats;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import java.time.Duration;

/**
 * The validated settings of one {@link NatsMessageBus}; see {@link NatsMessageBusBuilder} for what
 * each means and its default.
 */
record BusSettings(
    NatsMode mode,
    Duration ackWait,
    Duration negativeAckRedeliveryDelay,
    Duration maxAge,
    long maxMessages,
    long maxBytes,
    RetentionPolicy retention,
    StorageType storage,
    int replicas,
    int maxAckPending,
    Duration exclusiveLeaseTtl,
    Duration temporaryInactiveThreshold,
    Duration operationTimeout) {

  /** How long one pull waits for a message before the receive thread looks around again. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long the early-delivery records live when streams keep messages forever ({@code maxAge}
   * zero): a message delayed longer than this may count early deliveries as redeliveries.
   */
  static final Duration UNLIMITED_AGE_RECORD_TTL = Duration.ofDays(30);

  /** The time-to-live of the records of early deliveries: as long as a message may wait. */
  Duration earlyDeliveryRecordTtl() {
    return maxAge.isZero() ? UNLIMITED_AGE_RECORD_TTL : maxAge;
  }
}
