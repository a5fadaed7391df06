package io.pulsarrpc.bus.support;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The acknowledgement state of one delivery of a message to one consumer, so that each settlement
 * takes effect once: a second {@code acknowledge()} is a no-op, a {@code negativeAcknowledge()}
 * after an acknowledgement does nothing, and a delivery the bus took back (its consumer closed, its
 * receive was cancelled) can no longer be settled.
 *
 * <pre>
 * DELIVERED ──acknowledge──────────► ACKNOWLEDGED
 *     │  └────negativeAcknowledge──► NEGATIVELY_ACKNOWLEDGED ──acknowledge──► ACKNOWLEDGED
 *     └───────────────────────────── any but ACKNOWLEDGED ──returned──► RETURNED
 * </pre>
 *
 * <p>Give each delivery its own instance, so that a late settlement of an old delivery cannot
 * settle a redelivery. Thread-safe and lock-free; each transition is atomic.
 */
public final class DeliveryState {

  /** Where a delivery stands. */
  public enum Settlement {
    /** Handed to the consumer, not settled yet. */
    DELIVERED,
    /** Acknowledged: the bus may forget the message. */
    ACKNOWLEDGED,
    /** Negatively acknowledged: the bus delivers it again after its delay. */
    NEGATIVELY_ACKNOWLEDGED,
    /** Taken back by the bus: this delivery can no longer be settled. */
    RETURNED
  }

  private final AtomicReference<Settlement> state = new AtomicReference<>(Settlement.DELIVERED);

  /** The current state. */
  public Settlement current() {
    return state.get();
  }

  /**
   * Moves a delivered or negatively acknowledged delivery to {@link Settlement#ACKNOWLEDGED}.
   *
   * @return the state before: {@code DELIVERED} or {@code NEGATIVELY_ACKNOWLEDGED} when this call
   *     acknowledged; {@code ACKNOWLEDGED} or {@code RETURNED} when it changed nothing
   */
  public Settlement acknowledge() {
    while (true) {
      Settlement before = state.get();
      if (before == Settlement.ACKNOWLEDGED || before == Settlement.RETURNED) {
        return before;
      }
      if (state.compareAndSet(before, Settlement.ACKNOWLEDGED)) {
        return before;
      }
    }
  }

  /** Moves a delivered message to {@link Settlement#NEGATIVELY_ACKNOWLEDGED}; true if it did. */
  public boolean negativeAcknowledge() {
    return state.compareAndSet(Settlement.DELIVERED, Settlement.NEGATIVELY_ACKNOWLEDGED);
  }

  /** Moves the delivery from {@code expected} to {@link Settlement#RETURNED}; true if it did. */
  public boolean returnFrom(Settlement expected) {
    return expected != Settlement.RETURNED && state.compareAndSet(expected, Settlement.RETURNED);
  }

  /**
   * Moves any unacknowledged delivery to {@link Settlement#RETURNED}.
   *
   * @return the state before
   */
  public Settlement returned() {
    while (true) {
      Settlement before = state.get();
      if (before == Settlement.ACKNOWLEDGED || before == Settlement.RETURNED) {
        return before;
      }
      if (state.compareAndSet(before, Settlement.RETURNED)) {
        return before;
      }
    }
  }

  @Override
  public String toString() {
    return state.get().name();
  }
}
