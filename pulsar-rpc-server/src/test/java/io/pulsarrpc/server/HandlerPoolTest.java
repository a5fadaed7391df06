package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerPoolTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<HandlerPool> pools = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseAndShutDown() {
    release.countDown();
    pools.forEach(HandlerPool::shutdown);
  }

  private HandlerPool pool(int maxThreads, Duration idleTimeout) {
    HandlerPool pool =
        new HandlerPool(maxThreads, idleTimeout.toMillis(), TimeUnit.MILLISECONDS, "test-pool");
    pools.add(pool);
    return pool;
  }

  private Runnable blocking(AtomicInteger started) {
    return () -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void everyTaskSubmittedFromManyThreadsRunsExactlyOnce() throws Exception {
    HandlerPool pool = pool(16, Duration.ofSeconds(60));
    int submitters = 4;
    int perSubmitter = 20_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(submitters * perSubmitter);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      int first = s * perSubmitter;
      Thread thread =
          new Thread(
              () -> {
                for (int i = first; i < first + perSubmitter; i++) {
                  int index = i;
                  pool.execute(() -> runs.incrementAndGet(index));
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (int i = 0; i < runs.length(); i++) {
                if (runs.get(i) == 0) {
                  return false;
                }
              }
              return true;
            });
    for (int i = 0; i < runs.length(); i++) {
      assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
    }
    assertThat(pool.threadCount()).isLessThanOrEqualTo(16);
  }

  @Test
  void asManyBlockingTasksAsThreadsRunAtOnceWithoutWaitingForEachOther() {
    HandlerPool pool = pool(64, Duration.ofSeconds(60));
    AtomicInteger started = new AtomicInteger();

    for (int i = 0; i < 64; i++) {
      pool.execute(blocking(started));
    }

    await().atMost(WAIT).until(() -> started.get() == 64);
    assertThat(pool.threadCount()).isEqualTo(64);
  }

  @Test
  void aTaskBeyondTheThreadLimitWaitsForARunningOneToFinish() {
    HandlerPool pool = pool(4, Duration.ofSeconds(60));
    AtomicInteger blockers = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      pool.execute(blocking(blockers));
    }
    await().atMost(WAIT).until(() -> blockers.get() == 4);
    AtomicInteger waiting = new AtomicInteger();

    pool.execute(waiting::incrementAndGet);

    assertThat(pool.threadCount()).isEqualTo(4);
    assertThat(waiting).hasValue(0);
    release.countDown();
    await().atMost(WAIT).until(() -> waiting.get() == 1);
  }

  @Test
  void threadsIdlePastTheTimeoutEndAndNewWorkStartsThemAgain() {
    HandlerPool pool = pool(8, Duration.ofMillis(200));
    AtomicInteger started = new AtomicInteger();
    CountDownLatch hold = new CountDownLatch(1);
    for (int i = 0; i < 8; i++) {
      pool.execute(
          () -> {
            started.incrementAndGet();
            try {
              hold.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    await().atMost(WAIT).until(() -> started.get() == 8);
    hold.countDown();

    await().atMost(WAIT).until(() -> pool.threadCount() == 0);
    AtomicInteger ran = new AtomicInteger();
    pool.execute(ran::incrementAndGet);
    await().atMost(WAIT).until(() -> ran.get() == 1);
  }

  @Test
  void aFailingOrInterruptingTaskLeavesItsThreadUsable() {
    HandlerPool pool = pool(1, Duration.ofSeconds(60));
    AtomicInteger ran = new AtomicInteger();
    List<Boolean> interruptedAtStart = new ArrayList<>();

    pool.execute(
        () -> {
          throw new IllegalStateException("handler failed on purpose");
        });
    pool.execute(() -> Thread.currentThread().interrupt());
    pool.execute(
        () -> {
          synchronized (interruptedAtStart) {
            interruptedAtStart.add(Thread.currentThread().isInterrupted());
          }
          ran.incrementAndGet();
        });

    await().atMost(WAIT).until(() -> ran.get() == 1);
    synchronized (interruptedAtStart) {
      assertThat(interruptedAtStart).containsExactly(false);
    }
  }

  @Test
  void shutdownRunsWhatIsQueuedRejectsNewTasksAndEndsEveryThread() {
    HandlerPool pool = pool(2, Duration.ofSeconds(60));
    AtomicInteger blockers = new AtomicInteger();
    pool.execute(blocking(blockers));
    pool.execute(blocking(blockers));
    await().atMost(WAIT).until(() -> blockers.get() == 2);
    AtomicInteger queued = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      pool.execute(queued::incrementAndGet);
    }

    pool.shutdown();

    assertThatThrownBy(() -> pool.execute(queued::incrementAndGet))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("shut down");
    release.countDown();
    await().atMost(WAIT).until(() -> queued.get() == 10);
    await().atMost(WAIT).until(() -> pool.threadCount() == 0);
  }

  @Test
  void idleThreadsEndPromptlyOnShutdown() {
    HandlerPool pool = pool(4, Duration.ofMinutes(10));
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      pool.execute(ran::incrementAndGet);
    }
    await().atMost(WAIT).until(() -> ran.get() == 4);

    pool.shutdown();

    await().atMost(WAIT).until(() -> pool.threadCount() == 0);
  }

  @Test
  void rejectsAThreadLimitBelowOne() {
    assertThatThrownBy(() -> new HandlerPool(0, 1, TimeUnit.SECONDS, "test-pool"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxThreads");
  }
}
