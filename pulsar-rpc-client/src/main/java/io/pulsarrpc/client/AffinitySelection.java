package io.pulsarrpc.client;

/**
 * The choice of an affinity call's server among the offers that come, by the rules of {@link
 * SelectionOptions}: pure logic, no I/O and no clock of its own (the call's timers say when time is
 * up). Thread-safe: offers and timer events may arrive on different threads; each method decides
 * under one lock, and once a server is picked every later event returns {@code null}.
 */
final class AffinitySelection {

  private final SelectionOptions options;
  private String best;
  private double bestScore;
  private boolean eligibleSeen;
  private boolean over;

  AffinitySelection(SelectionOptions options) {
    this.options = options;
  }

  /** What an offer changes. */
  enum Outcome {
    /** Not eligible, or not better than the best so far: keep waiting. */
    IGNORED,
    /** The first eligible offer: the short-circuit wait starts now. */
    FIRST_ELIGIBLE,
    /** Eligible and better than the best, not the first. */
    BETTER,
    /** Picked at once (maximum affinity reached, or first available accepted). */
    PICKED
  }

  /**
   * Takes an offer of {@code server} with {@code score}.
   *
   * @return what it changed; {@link Outcome#PICKED} means {@link #picked()} is {@code server}
   */
  synchronized Outcome offer(String server, double score) {
    if (over || server == null || !eligible(score)) {
      return Outcome.IGNORED;
    }
    boolean first = !eligibleSeen;
    eligibleSeen = true;
    if (options.acceptFirstAvailable()
        || (options.maximumAffinity() > 0 && score >= options.maximumAffinity())) {
      best = server;
      bestScore = score;
      over = true;
      return Outcome.PICKED;
    }
    if (best == null || score > bestScore) {
      best = server;
      bestScore = score;
      return first ? Outcome.FIRST_ELIGIBLE : Outcome.BETTER;
    }
    return first ? Outcome.FIRST_ELIGIBLE : Outcome.IGNORED;
  }

  /**
   * Time is up (short circuit or affinity timeout): picks the best offer so far.
   *
   * @return the picked server, or null when there is none or one was picked before
   */
  synchronized String timeUp() {
    if (over) {
      return null;
    }
    over = true;
    return best;
  }

  /** The picked server, once {@link #offer} returned {@link Outcome#PICKED}. */
  synchronized String picked() {
    return over ? best : null;
  }

  private boolean eligible(double score) {
    // 0 is "not available"; NaN and negative scores are not offers to take.
    return Double.isFinite(score) && score > 0 && score >= options.minimumAffinity();
  }
}
