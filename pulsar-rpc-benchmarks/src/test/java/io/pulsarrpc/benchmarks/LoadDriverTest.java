package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
}
