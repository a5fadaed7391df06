package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadDriverTest {

  @Test
  void aScenarioWhoseFirstAnswerComesAfterTheWarmUpIsMeasuredFromThatAnswer() throws Exception {
    LoadDriver driver = new LoadDriver("test-", Duration.ZERO, Duration.ofMillis(200));
    AtomicBoolean first = new AtomicBoolean(true);

    // The first answer takes longer than the whole measured time; the rest come at once.
    LoadDriver.Measurement measurement =
        driver.runAsync(
            1,
            id ->
                first.getAndSet(false)
                    ? CompletableFuture.supplyAsync(
                        () -> id, CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS))
                    : CompletableFuture.completedFuture(id));

    assertThat(measurement.failures()).isZero();
    assertThat(measurement.calls()).isPositive();
  }

  @Test
  void failedCallsAreCountedAndNotMeasured() throws Exception {
    LoadDriver driver = new LoadDriver("test-", Duration.ZERO, Duration.ofMillis(100));

    LoadDriver.Measurement measurement =
        driver.runAsync(
            2, id -> CompletableFuture.failedFuture(new IllegalStateException("refused")));

    assertThat(measurement.calls()).isZero();
    assertThat(measurement.failures()).isPositive();
  }

  @Test
  void roundsAddUpTheirCallsTimesLatenciesAndKeepTheFirstFailure() {
    Histogram first = new Histogram(3);
    first.recordValue(1_000);
    Histogram second = new Histogram(3);
    second.recordValue(3_000);
    second.recordValue(5_000);
    IllegalStateException failure = new IllegalStateException("first");

    LoadDriver.Measurement sum =
        new LoadDriver.Measurement(10, 1, 0.5, first, failure)
            .plus(
                new LoadDriver.Measurement(
                    30, 2, 1.5, second, new IllegalStateException("second")));

    assertThat(sum.calls()).isEqualTo(40);
    assertThat(sum.failures()).isEqualTo(3);
    assertThat(sum.throughput()).isEqualTo(20.0);
    assertThat(sum.latencyNanos().getTotalCount()).isEqualTo(3);
    assertThat(sum.latencyNanos().getValueAtPercentile(50)).isBetween(2_990L, 3_010L);
    assertThat(sum.firstFailure()).isSameAs(failure);
    assertThat(first.getTotalCount()).as("the rounds are not changed").isEqualTo(1);
  }

  @Test
  void roundsInTurnsAlternateWhoGoesFirstAndKeepEachOnesRoundsInOrder() throws Exception {
    List<String> order = new ArrayList<>();
    List<LoadDriver.Measurement> a = new ArrayList<>();
    List<LoadDriver.Measurement> b = new ArrayList<>();

    LoadDriver.inTurns(
        4,
        round -> {
          order.add("a" + round);
          return new LoadDriver.Measurement(round, 0, 1.0, new Histogram(3), null);
        },
        round -> {
          order.add("b" + round);
          return new LoadDriver.Measurement(10 + round, 0, 1.0, new Histogram(3), null);
        },
        a,
        b);

    assertThat(order).containsExactly("a0", "b0", "b1", "a1", "a2", "b2", "b3", "a3");
    assertThat(a).extracting(LoadDriver.Measurement::calls).containsExactly(0L, 1L, 2L, 3L);
    assertThat(b).extracting(LoadDriver.Measurement::calls).containsExactly(10L, 11L, 12L, 13L);
  }
}
