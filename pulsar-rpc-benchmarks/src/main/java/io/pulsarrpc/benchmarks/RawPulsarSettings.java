package io.pulsarrpc.benchmarks;

import java.time.Duration;
import java.util.Objects;

/**
 * How the raw Pulsar round trip departs from the bare one, to show what one cost of the RPC does to
 * it: the CPU its responder spends on each request before it replies ({@code --raw-work-us}), and
 * the message properties that a plain RPC call carries ({@code --raw-properties rpc}). Immutable.
 *
 * @param responderWork CPU time spent per request in a busy loop, zero for none
 * @param rpcProperties whether requests and replies carry the properties of a plain RPC call
 */
record RawPulsarSettings(Duration responderWork, boolean rpcProperties) {

  /** The bare round trip: no work, only a key and a value on each message. */
  static final RawPulsarSettings BARE = new RawPulsarSettings(Duration.ZERO, false);

  RawPulsarSettings {
    Objects.requireNonNull(responderWork, "responderWork");
    if (responderWork.isNegative()) {
      throw new IllegalArgumentException("responderWork must not be negative: " + responderWork);
    }
  }

  /** Whether this is the bare round trip. */
  boolean isBare() {
    return equals(BARE);
  }

  /**
   * What the row's config says of it: nothing for the bare round trip, else for example {@code
   * ,raw-work=6us} or {@code ,raw-properties=rpc}.
   */
  String label() {
    String label =
        responderWork.isZero() ? "" : ",raw-work=" + responderWork.toNanos() / 1000 + "us";
    return rpcProperties ? label + ",raw-properties=rpc" : label;
  }
}
