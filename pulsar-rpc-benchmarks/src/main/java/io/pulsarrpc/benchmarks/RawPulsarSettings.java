package io.pulsarrpc.benchmarks;

import java.time.Duration;
import java.util.Objects;

/**
 * How the raw Pulsar round trip departs from the bare one, to show what one cost of the RPC does to
 * it: the CPU its responder spends on each request before it replies ({@code --raw-work-us}).
 * Immutable.
 *
 * @param responderWork CPU time spent per request in a busy loop, zero for none
 */
record RawPulsarSettings(Duration responderWork) {

  /** The bare round trip: no work. */
  static final RawPulsarSettings BARE = new RawPulsarSettings(Duration.ZERO);

  RawPulsarSettings {
    Objects.requireNonNull(responderWork, "responderWork");
    if (responderWork.isNegative()) {
      throw new IllegalArgumentException("responderWork must not be negative: " + responderWork);
    }
  }

  /**
   * What the row's config says of it: nothing for the bare round trip, else {@code ,raw-work=6us}.
   */
  String label() {
    return responderWork.isZero() ? "" : ",raw-work=" + responderWork.toNanos() / 1000 + "us";
  }
}
