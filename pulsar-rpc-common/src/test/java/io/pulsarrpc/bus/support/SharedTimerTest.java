package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedTimerTest {

  @Test
  void aTaskRunsOnTheNamedDaemonTimerThreadAfterItsDelay() {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    long start = System.nanoTime();

    SharedTimer.schedule(() -> ranOn.complete(Thread.currentThread()), 50, TimeUnit.MILLISECONDS);

    Thread thread = ranOn.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    assertThat(thread.getName()).isEqualTo("pulsar-rpc-timer-1");
    assertThat(thread.isDaemon()).isTrue();
  }

  @Test
  void aCancelledTaskNeverRuns() throws Exception {
    CompletableFuture<Void> ran = new CompletableFuture<>();
    ScheduledFuture<?> task = SharedTimer.schedule(() -> ran.complete(null), 1, TimeUnit.HOURS);

    assertThat(task.cancel(false)).isTrue();
    assertThat(ran).isNotDone();
  }

  @Test
  void aThrowingTaskDoesNotStopTheTimer() {
    SharedTimer.schedule(
        () -> {
          throw new IllegalStateException("expected by the test");
        },
        0,
        TimeUnit.MILLISECONDS);
    CompletableFuture<Void> next = new CompletableFuture<>();

    SharedTimer.schedule(() -> next.complete(null), 0, TimeUnit.MILLISECONDS);

    assertThat(next).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void theDelayedExecutorHandsTheTaskToTheGivenExecutor() {
    ExecutorService executor = Executors.newSingleThreadExecutor(new DaemonThreadFactory("work"));
    try {
      CompletableFuture<String> ranOn = new CompletableFuture<>();

      SharedTimer.delayedExecutor(10, TimeUnit.MILLISECONDS, executor)
          .execute(() -> ranOn.complete(Thread.currentThread().getName()));

      assertThat(ranOn).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("work-1");
    } finally {
      executor.shutdownNow();
    }
  }
}
