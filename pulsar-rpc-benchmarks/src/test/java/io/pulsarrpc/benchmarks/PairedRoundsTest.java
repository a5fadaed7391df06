package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PairedRoundsTest {

  /** A round of {@code calls} calls in one second, every one of them taking {@code nanos}. */
  private static LoadDriver.Measurement round(long calls, long nanos) {
    Histogram latencies = new Histogram(3);
    latencies.recordValueWithCount(nanos, calls);
    return new LoadDriver.Measurement(calls, 0, 1.0, latencies, null);
  }

  @Test
  void eachRoundIsDividedByTheBaselinesRoundOfTheSameTurn() {
    PairedRounds rounds =
        PairedRounds.of(
            List.of(round(1_100, 900_000), round(500, 2_000_000)),
            List.of(round(1_000, 1_000_000), round(1_000, 1_000_000)));

    assertThat(rounds.callsRatios()).containsExactly(1.1, 0.5);
    assertThat(rounds.p50Ratios().get(0)).isCloseTo(0.9, within(0.001));
    assertThat(rounds.p50Ratios().get(1)).isCloseTo(2.0, within(0.002));
  }

  @Test
  void theEstimateIsTheGeometricMeanWithStudentsInterval() {
    // Logarithms -0.1, 0, 0.1: mean 0, standard deviation 0.1, t(2) = 4.303.
    PairedRounds.Estimate estimate =
        PairedRounds.Estimate.of(List.of(Math.exp(-0.1), 1.0, Math.exp(0.1)));

    double halfWidth = 4.303 * 0.1 / Math.sqrt(3);
    assertThat(estimate.rounds()).isEqualTo(3);
    assertThat(estimate.mean()).isCloseTo(1.0, within(1e-9));
    assertThat(estimate.low()).isCloseTo(Math.exp(-halfWidth), within(1e-9));
    assertThat(estimate.high()).isCloseTo(Math.exp(halfWidth), within(1e-9));
  }

  @Test
  void equalRoundsGiveAnIntervalOfNoWidth() {
    PairedRounds.Estimate estimate = PairedRounds.Estimate.of(List.of(0.97, 0.97, 0.97, 0.97));

    assertThat(estimate.mean()).isCloseTo(0.97, within(1e-12));
    assertThat(estimate.low()).isCloseTo(0.97, within(1e-12));
    assertThat(estimate.high()).isCloseTo(0.97, within(1e-12));
  }

  @Test
  void oneRoundHasNoIntervalAndNoneHasNoEstimate() {
    assertThat(PairedRounds.Estimate.of(List.of(1.2)).mean()).isCloseTo(1.2, within(1e-12));
    assertThat(PairedRounds.Estimate.of(List.of(1.2)).low()).isNaN();
    assertThat(PairedRounds.Estimate.of(List.of()).mean()).isNaN();
  }

  @Test
  void roundsWithoutCallsAreLeftOut() {
    PairedRounds rounds =
        PairedRounds.of(
            List.of(
                round(1_000, 1_000_000),
                new LoadDriver.Measurement(0, 5, 1.0, new Histogram(3), null)),
            List.of(round(1_000, 1_000_000), round(1_000, 1_000_000)));

    assertThat(rounds.callsRatios()).containsExactly(1.0);
  }

  @Test
  void roundsOfDifferentCountsAreRefused() {
    assertThatThrownBy(() -> PairedRounds.of(List.of(round(1, 1)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 rounds measured against 0 of the baseline");
  }

  @Test
  void studentsQuantileNeverNarrowsBeyondTheTable() {
    assertThat(PairedRounds.studentT975(1)).isEqualTo(12.706);
    assertThat(PairedRounds.studentT975(30)).isEqualTo(2.042);
    assertThat(PairedRounds.studentT975(31)).isEqualTo(2.042);
    assertThat(PairedRounds.studentT975(99)).isEqualTo(2.000);
    assertThatThrownBy(() -> PairedRounds.studentT975(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
