package io.pulsarrpc.bus.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right of one consumer to pull from an {@linkplain io.pulsarrpc.bus.SubscriptionMode#EXCLUSIVE
 * exclusive} subscription: an entry in a JetStream key-value bucket whose entries expire after the
 * bucket's time-to-live (TTL).
 *
 * <p>{@link #acquire} creates the entry, which succeeds only when no live entry exists. The holder
 * {@linkplain #renew() renews} it every third of the TTL by a compare-and-set update, and deletes
 * it when it closes; a holder that crashes or loses the server stops renewing, and its entry
 * expires after the TTL so that another consumer can take over. The holder pulls only while its
 * lease {@linkplain #isValid() is valid}: for two thirds of the TTL after the start of its last
 * successful renewal. Since the server measures the TTL from when it stored that renewal, which is
 * later, the holder stops pulling a third of a TTL before anyone else can take over, which covers a
 * pull in progress (a pull waits at most {@link #remaining()}).
 *
 * <p>A holder that finds its entry gone or replaced (it could not renew for a whole TTL) takes it
 * again when it is free and otherwise stays without the lease, pulling nothing, until it is free.
 *
 * <p>Thread-safe.
 */
final class ExclusiveLease {

  private static final Logger log = LoggerFactory.getLogger(ExclusiveLease.class);

  private final KeyValue bucket;
  private final String key;
  private final byte[] owner;
  private final long validityNanos;
  private final Duration renewalPeriod;
  private final String description;

  // Guarded by this. The revision of our entry, or 0 while we do not hold it.
  private long revision;
  private boolean released;
  private volatile long validUntilNanos;

  private ExclusiveLease(
      KeyValue bucket, String key, byte[] owner, Duration ttl, String description) {
    this.bucket = bucket;
    this.key = key;
    this.owner = owner;
    this.validityNanos = ttl.toNanos() * 2 / 3;
    this.renewalPeriod = ttl.dividedBy(3);
    this.description = description;
  }

  /**
   * Takes the lease of {@code key} in {@code bucket}.
   *
   * @param ttl the bucket's time-to-live
   * @param description names the subscription and topic, for messages
   * @throws IllegalStateException when another consumer holds the lease
   */
  static ExclusiveLease acquire(KeyValue bucket, Duration ttl, String key, String description)
      throws IOException, JetStreamApiException {
    byte[] owner = ("consumer-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    ExclusiveLease lease = new ExclusiveLease(bucket, key, owner, ttl, description);
    long start = System.nanoTime();
    try {
      long revision = bucket.create(key, owner);
      synchronized (lease) {
        lease.revision = revision;
      }
      lease.validUntilNanos = start + lease.validityNanos;
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == JetStreamProvisioner.WRONG_LAST_SEQUENCE) {
        throw new IllegalStateException(
            description
                + " is exclusive and already has a consumer; a second one is refused (the"
                + " consumer of a crashed process is released at most "
                + ttl.toMillis()
                + " ms after it stopped)",
            e);
      }
      throw e;
    }
    return lease;
  }

  /**
   * Whether another consumer may hold the lease of {@code key} now: its entry exists and was not
   * deleted. False when the bucket does not exist.
   */
  static boolean isHeld(KeyValue bucket, String key) throws IOException, JetStreamApiException {
    if (bucket == null) {
      return false;
    }
    KeyValueEntry entry = bucket.get(key);
    return entry != null && entry.getOperation() == KeyValueOperation.PUT;
  }

  /** How often {@link #renew()} should run: a third of the TTL. */
  Duration renewalPeriod() {
    return renewalPeriod;
  }

  /** Whether the holder may pull now. */
  boolean isValid() {
    return System.nanoTime() - validUntilNanos < 0;
  }

  /** How long the lease stays valid without a renewal; zero or negative when it is not. */
  Duration remaining() {
    return Duration.ofNanos(validUntilNanos - System.nanoTime());
  }

  /** Renews the lease, or takes it back when it is free. Never throws; failures are logged. */
  synchronized void renew() {
    if (released) {
      return;
    }
    long start = System.nanoTime();
    try {
      if (revision != 0) {
        revision = bucket.update(key, owner, revision);
      } else {
        revision = bucket.create(key, owner);
        log.info("{} has its exclusive lease again", description);
      }
      validUntilNanos = start + validityNanos;
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == JetStreamProvisioner.WRONG_LAST_SEQUENCE) {
        adoptOrLose(start);
      } else {
        log.debug("{} could not renew its exclusive lease: {}", description, e.toString());
      }
    } catch (IOException | RuntimeException e) {
      log.debug("{} could not renew its exclusive lease: {}", description, e.toString());
    }
  }

  /** Deletes the entry if it is still ours, so that another consumer may take over at once. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    validUntilNanos = System.nanoTime();
    if (revision == 0) {
      return;
    }
    try {
      bucket.delete(key, revision);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug(
          "{} could not release its exclusive lease; it expires on its own: {}",
          description,
          e.toString());
    }
  }

  private void adoptOrLose(long start) {
    // The entry changed under us: a renewal whose answer we missed, an expiry, or a new holder.
    try {
      KeyValueEntry entry = bucket.get(key);
      if (entry != null
          && entry.getOperation() == KeyValueOperation.PUT
          && Arrays.equals(entry.getValue(), owner)) {
        revision = entry.getRevision();
        return;
      }
      if (revision != 0) {
        log.warn(
            "{} lost its exclusive lease (it could not renew it in time); it stops receiving"
                + " until the lease is free again",
            description);
      }
      revision = 0;
      if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
        revision = bucket.create(key, owner);
        validUntilNanos = start + validityNanos;
        log.info("{} has its exclusive lease again", description);
      }
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug("{} could not take its exclusive lease back: {}", description, e.toString());
    }
  }
}
