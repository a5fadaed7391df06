package io.pulsarrpc.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an affinity call picks its server ({@link RequestOptions#withSelection}): every server of the
 * request topic that could run the call offers its affinity score for the request (the server's
 * {@code affinity} function), and the client picks one by these rules, psrpc's:
 *
 * <ul>
 *   <li>a higher score wins; a score of 0 means "not available" and never wins; a server whose
 *       score is negative does not offer at all;
 *   <li>an offer below {@link #minimumAffinity()} is not eligible;
 *   <li>an eligible offer at or above {@link #maximumAffinity()} (when above 0) is picked at once;
 *   <li>with {@link #acceptFirstAvailable()}, the first eligible offer is picked at once;
 *   <li>after the first eligible offer, the client waits at most {@link #shortCircuitTimeout()}
 *       (when above 0) for a better one, then picks the best;
 *   <li>after {@link #affinityTimeout()} (when above 0; else the client's claim window) it picks
 *       the best offer so far, and when there is none the call fails with {@link
 *       io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}.
 * </ul>
 *
 * Exactly one server runs the call. Immutable and thread-safe; built with {@link #builder()}.
 */
public final class SelectionOptions {

  private final double minimumAffinity;
  private final double maximumAffinity;
  private final boolean acceptFirstAvailable;
  private final Duration affinityTimeout;
  private final Duration shortCircuitTimeout;

  private SelectionOptions(Builder builder) {
    this.minimumAffinity = builder.minimumAffinity;
    this.maximumAffinity = builder.maximumAffinity;
    this.acceptFirstAvailable = builder.acceptFirstAvailable;
    this.affinityTimeout = builder.affinityTimeout;
    this.shortCircuitTimeout = builder.shortCircuitTimeout;
  }

  /** A builder with the defaults: no bounds, best offer wins, the client's claim window. */
  public static Builder builder() {
    return new Builder();
  }

  /** Offers below this are not eligible. Default 0 (every offer above 0 is). */
  public double minimumAffinity() {
    return minimumAffinity;
  }

  /** An eligible offer at or above this is picked at once; 0 (the default) for no such bound. */
  public double maximumAffinity() {
    return maximumAffinity;
  }

  /** Whether the first eligible offer is picked at once. Default false. */
  public boolean acceptFirstAvailable() {
    return acceptFirstAvailable;
  }

  /**
   * How long the client waits for offers in all; zero (the default) for the client's claim window.
   */
  public Duration affinityTimeout() {
    return affinityTimeout;
  }

  /**
   * How long the client waits for a better offer after the first eligible one; zero for no limit.
   */
  public Duration shortCircuitTimeout() {
    return shortCircuitTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SelectionOptions that
        && Double.compare(minimumAffinity, that.minimumAffinity) == 0
        && Double.compare(maximumAffinity, that.maximumAffinity) == 0
        && acceptFirstAvailable == that.acceptFirstAvailable
        && affinityTimeout.equals(that.affinityTimeout)
        && shortCircuitTimeout.equals(that.shortCircuitTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        minimumAffinity,
        maximumAffinity,
        acceptFirstAvailable,
        affinityTimeout,
        shortCircuitTimeout);
  }

  @Override
  public String toString() {
    return "SelectionOptions[minimumAffinity="
        + minimumAffinity
        + ", maximumAffinity="
        + maximumAffinity
        + ", acceptFirstAvailable="
        + acceptFirstAvailable
        + ", affinityTimeout="
        + affinityTimeout
        + ", shortCircuitTimeout="
        + shortCircuitTimeout
        + "]";
  }

  /** Builds {@link SelectionOptions}; not thread-safe. {@link #build()} checks the settings. */
  public static final class Builder {

    private double minimumAffinity;
    private double maximumAffinity;
    private boolean acceptFirstAvailable;
    private Duration affinityTimeout = Duration.ZERO;
    private Duration shortCircuitTimeout = Duration.ZERO;

    private Builder() {}

    /** See {@link SelectionOptions#minimumAffinity()}. */
    public Builder minimumAffinity(double minimumAffinity) {
      this.minimumAffinity = minimumAffinity;
      return this;
    }

    /** See {@link SelectionOptions#maximumAffinity()}. */
    public Builder maximumAffinity(double maximumAffinity) {
      this.maximumAffinity = maximumAffinity;
      return this;
    }

    /** See {@link SelectionOptions#acceptFirstAvailable()}. */
    public Builder acceptFirstAvailable(boolean acceptFirstAvailable) {
      this.acceptFirstAvailable = acceptFirstAvailable;
      return this;
    }

    /** See {@link SelectionOptions#affinityTimeout()}. */
    public Builder affinityTimeout(Duration affinityTimeout) {
      this.affinityTimeout = affinityTimeout;
      return this;
    }

    /** See {@link SelectionOptions#shortCircuitTimeout()}. */
    public Builder shortCircuitTimeout(Duration shortCircuitTimeout) {
      this.shortCircuitTimeout = shortCircuitTimeout;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException listing every setting that is wrong: an affinity that is not
     *     a finite number or is negative, a maximum below the minimum, a null or negative duration
     */
    public SelectionOptions build() {
      List<String> problems = new ArrayList<>();
      if (!Double.isFinite(minimumAffinity) || minimumAffinity < 0) {
        problems.add(
            "minimumAffinity must be a finite number of at least 0, got " + minimumAffinity);
      }
      if (!Double.isFinite(maximumAffinity) || maximumAffinity < 0) {
        problems.add(
            "maximumAffinity must be a finite number of at least 0 (0 for none), got "
                + maximumAffinity);
      } else if (maximumAffinity > 0 && maximumAffinity < minimumAffinity) {
        problems.add(
            "maximumAffinity "
                + maximumAffinity
                + " is below minimumAffinity "
                + minimumAffinity
                + ": no offer could be picked at once");
      }
      checkDuration(affinityTimeout, "affinityTimeout", problems);
      checkDuration(shortCircuitTimeout, "shortCircuitTimeout", problems);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot build SelectionOptions: " + String.join("; ", problems));
      }
      return new SelectionOptions(this);
    }

    private static void checkDuration(Duration duration, String name, List<String> problems) {
      if (duration == null || duration.isNegative()) {
        problems.add(name + " must be zero or positive, got " + duration);
      }
    }
  }
}
