package io.pulsarrpc.bus.redis;

import java.time.Duration;

/**
 * The validated settings of one {@link RedisMessageBus}, and the intervals derived from them.
 *
 * @param claimIdleTime how long an entry must sit unrenewed in a consumer's pending list before
 *     another consumer of the group claims it
 * @param maxStreamLength the default {@code MAXLEN ~} of every XADD
 * @param pollInterval how often the delayed-delivery mover looks for due entries
 * @param consumerLease how long a consumer that stops renewing stays a member of its subscription
 * @param negativeAckRedeliveryDelay how long a negatively acknowledged entry waits
 */
record BusSettings(
    Duration claimIdleTime,
    long maxStreamLength,
    Duration pollInterval,
    Duration consumerLease,
    Duration negativeAckRedeliveryDelay) {

  /** How long one blocking XREADGROUP waits before it is issued again. */
  static final Duration READ_BLOCK = Duration.ofSeconds(2);

  /**
   * How long a failed read, or a failed negative-ack redelivery, waits before it is tried again.
   */
  static final Duration RETRY_DELAY = Duration.ofMillis(500);

  /** How often acknowledged entries are trimmed from the streams the bus uses. */
  static final Duration TRIM_INTERVAL = Duration.ofSeconds(1);

  /** How long a closing consumer waits for Redis to take its entries back. */
  static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a close waits for Lettuce to close one connection, or to shut down a client the bus
   * created, before it goes on without it (see {@link CloseStep}).
   */
  static final Duration CONNECTION_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** The idle time a released entry is given: far beyond any claim idle time, and below "now". */
  static final long RELEASED_IDLE_MILLIS = Duration.ofDays(365).toMillis();

  /**
   * How often a consumer renews its lease and the idle time of the entries it holds: a third of the
   * shorter of the claim idle time and the lease, so that two renewals may fail before it matters.
   */
  Duration heartbeatInterval() {
    Duration shorter = claimIdleTime.compareTo(consumerLease) <= 0 ? claimIdleTime : consumerLease;
    return shorter.dividedBy(3);
  }

  /**
   * How often a consumer with receives waiting looks for entries to claim: half the claim idle
   * time, at most a second (entries released by a closing consumer are claimable at once) and at
   * least the poll interval.
   */
  Duration claimScanInterval() {
    Duration half = claimIdleTime.dividedBy(2);
    Duration capped = half.compareTo(Duration.ofSeconds(1)) <= 0 ? half : Duration.ofSeconds(1);
    return capped.compareTo(pollInterval) >= 0 ? capped : pollInterval;
  }
}
