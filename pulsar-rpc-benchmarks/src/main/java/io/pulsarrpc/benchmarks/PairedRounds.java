package io.pulsarrpc.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The ratios of two scenarios measured in turns (a generated call and its hand-written twin), one
 * per round: round {@code i}'s figure of the one over round {@code i}'s figure of the other, taken
 * back to back. Pairing cancels what changes slowly between rounds (a JVM that warms up, a
 * neighbour that takes the CPU for a while), and the spread of the ratios across rounds gives the
 * estimate its confidence interval.
 *
 * @param callsRatios calls/s of the one over the other's, per round
 * @param p50Ratios p50 of the one over the other's, per round
 */
record PairedRounds(List<Double> callsRatios, List<Double> p50Ratios) {

  PairedRounds {
    callsRatios = List.copyOf(callsRatios);
    p50Ratios = List.copyOf(p50Ratios);
  }

  /**
   * The ratios of {@code measured} to {@code baseline}, round by round.
   *
   * @param measured the rounds of the scenario that is compared
   * @param baseline its baseline's rounds, in the same order
   * @throws IllegalArgumentException if the two do not have the same number of rounds
   */
  static PairedRounds of(
      List<LoadDriver.Measurement> measured, List<LoadDriver.Measurement> baseline) {
    if (measured.size() != baseline.size()) {
      throw new IllegalArgumentException(
          measured.size() + " rounds measured against " + baseline.size() + " of the baseline");
    }
    List<Double> calls = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    for (int i = 0; i < measured.size(); i++) {
      LoadDriver.Measurement one = measured.get(i);
      LoadDriver.Measurement other = baseline.get(i);
      if (one.calls() > 0 && other.calls() > 0) {
        calls.add(one.throughput() / other.throughput());
        p50.add(
            (double) one.latencyNanos().getValueAtPercentile(50)
                / other.latencyNanos().getValueAtPercentile(50));
      }
    }
    return new PairedRounds(calls, p50);
  }

  /** The calls/s ratio over the rounds. */
  Estimate calls() {
    return Estimate.of(callsRatios);
  }

  /** The p50 ratio over the rounds. */
  Estimate p50() {
    return Estimate.of(p50Ratios);
  }

  /**
   * The geometric mean of per-round ratios with its 95 % confidence interval (Student's t on the
   * logarithms, as ratios multiply rather than add).
   *
   * @param mean the geometric mean; NaN without rounds
   * @param low the interval's lower end; NaN with fewer than two rounds
   * @param high the interval's upper end; NaN with fewer than two rounds
   * @param rounds how many rounds it is taken over
   */
  record Estimate(double mean, double low, double high, int rounds) {

    static Estimate of(List<Double> ratios) {
      int n = ratios.size();
      if (n == 0) {
        return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
      }
      double sum = 0;
      for (double ratio : ratios) {
        sum += Math.log(ratio);
      }
      double meanLog = sum / n;
      if (n == 1) {
        return new Estimate(Math.exp(meanLog), Double.NaN, Double.NaN, 1);
      }
      double squares = 0;
      for (double ratio : ratios) {
        double deviation = Math.log(ratio) - meanLog;
        squares += deviation * deviation;
      }
      double halfWidth = studentT975(n - 1) * Math.sqrt(squares / (n - 1) / n);
      return new Estimate(
          Math.exp(meanLog), Math.exp(meanLog - halfWidth), Math.exp(meanLog + halfWidth), n);
    }
  }

  // The 97.5th percentile of Student's t for 1 to 30 degrees of freedom.
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  /** The two-sided 95 % quantile of Student's t with {@code degrees} degrees of freedom. */
  static double studentT975(int degrees) {
    if (degrees < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1: " + degrees);
    }
    if (degrees <= T975.length) {
      return T975[degrees - 1];
    }
    // Beyond 30, the value at the start of each band (t falls as the degrees grow): never narrower.
    return degrees <= 40 ? 2.042 : degrees <= 60 ? 2.021 : degrees <= 120 ? 2.000 : 1.980;
  }
}
