package io.pulsarrpc.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives calls in a closed loop: a fixed number of calls in flight, each completion starting the
 * next, for a warm-up and then a measured time. The warm-up lasts until the first call was answered
 * if that takes longer. A call's latency is recorded when it started after the warm-up and ended
 * within the measured time; throughput counts the calls that ended within the measured time. Every
 * loop stops at the end of the measured time; calls still in flight then are waited for at most
 * {@link #DRAIN_TIMEOUT}.
 */
final class LoadDriver {

  /** Starts one call; the future completes when its reply came. */
  @FunctionalInterface
  interface AsyncCall {
    CompletableFuture<?> start(String id);
  }

  /** Makes one call and returns when its reply came. */
  @FunctionalInterface
  interface BlockingCall {
    void call(String id) throws Exception;
  }

  /**
   * What one run measured.
   *
   * @param firstFailure why the first failed call failed, or null when none did
   */
  record Measurement(
      long calls, long failures, double seconds, Histogram latencyNanos, Throwable firstFailure) {
    double throughput() {
      return calls / seconds;
    }

    /** This measurement and {@code later} together: calls, failures, times and latencies added. */
    Measurement plus(Measurement later) {
      Histogram latencies = latencyNanos.copy();
      latencies.add(later.latencyNanos);
      return new Measurement(
          calls + later.calls,
          failures + later.failures,
          seconds + later.seconds,
          latencies,
          firstFailure != null ? firstFailure : later.firstFailure);
    }

    /** The rounds of one scenario taken in turns with another, added up (see {@link #plus}). */
    static Measurement sum(List<Measurement> rounds) {
      Measurement sum = rounds.get(0);
      for (Measurement round : rounds.subList(1, rounds.size())) {
        sum = sum.plus(round);
      }
      return sum;
    }
  }

  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(40);

  /** A hard cap on calls per run, beside the time bound. */
  static final long MAX_CALLS = 200_000_000L;

  private final Duration warmUp;
  private final Duration duration;
  private final Recorder recorder = new Recorder(3);
  private final LongAdder measured = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private final AtomicLong sequence = new AtomicLong();
  private final String idPrefix;
  private final AtomicBoolean answered = new AtomicBoolean();
  // Written by begin() and, once, by the first answer (see record); read by every call's thread.
  private volatile long warmUpEnd;
  private volatile long end;

  /** Measures round {@code round} (from 0) of one scenario of a pair. */
  @FunctionalInterface
  interface Round {
    Measurement run(int round) throws Exception;
  }

  /**
   * Measures {@code rounds} rounds of {@code first} and {@code second} in turns, ABBA: who goes
   * first changes every round, so that neither always follows the other. Each one's rounds are
   * added to its list, in order.
   */
  static void inTurns(
      int rounds,
      Round first,
      Round second,
      List<Measurement> firstRounds,
      List<Measurement> secondRounds)
      throws Exception {
    for (int round = 0; round < rounds; round++) {
      if (round % 2 == 0) {
        firstRounds.add(first.run(round));
        secondRounds.add(second.run(round));
      } else {
        secondRounds.add(second.run(round));
        firstRounds.add(first.run(round));
      }
    }
  }

  /**
   * The driver of round {@code round} (from 0) of a scenario measured in {@code rounds} turns with
   * another: the whole warm-up before the first round, a tenth of it before the others, so that
   * each round starts with the calls of its own scenario flowing; each round lasts {@code duration
   * / rounds}.
   */
  static LoadDriver forRound(
      String idPrefix, Duration warmUp, Duration duration, int round, int rounds) {
    return new LoadDriver(
        idPrefix, round == 0 ? warmUp : warmUp.dividedBy(10), duration.dividedBy(rounds));
  }

  LoadDriver(String idPrefix, Duration warmUp, Duration duration) {
    this.idPrefix = idPrefix;
    this.warmUp = warmUp;
    this.duration = duration;
  }

  /** Runs {@code inFlight} calls at a time until the measured time is over. */
  Measurement runAsync(int inFlight, AsyncCall call) throws InterruptedException {
    CountDownLatch slotsDone = new CountDownLatch(inFlight);
    begin();
    for (int i = 0; i < inFlight; i++) {
      slot(call, slotsDone);
    }
    if (!slotsDone.await(
        warmUp.plus(duration).plus(DRAIN_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)) {
      failures.add(slotsDone.getCount());
    }
    return result();
  }

  /** Makes one blocking call at a time, on the calling thread, until the measured time is over. */
  Measurement runBlocking(BlockingCall call) {
    begin();
    while (true) {
      long start = System.nanoTime();
      if (start >= end || sequence.get() >= MAX_CALLS) {
        break;
      }
      Throwable failure = null;
      try {
        call.call(nextId());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        failure = e;
      }
      record(start, failure);
    }
    return result();
  }

  private void begin() {
    long now = System.nanoTime();
    warmUpEnd = now + warmUp.toNanos();
    end = warmUpEnd + duration.toNanos();
  }

  private Measurement result() {
    return new Measurement(
        measured.sum(),
        failures.sum(),
        duration.toNanos() / 1e9,
        recorder.getIntervalHistogram(),
        firstFailure.get());
  }

  private String nextId() {
    return idPrefix + sequence.incrementAndGet();
  }

  private void slot(AsyncCall call, CountDownLatch slotsDone) {
    // A call that completes at once is handled in this loop, so the stack does not grow with it.
    while (true) {
      long start = System.nanoTime();
      if (start >= end || sequence.get() >= MAX_CALLS) {
        slotsDone.countDown();
        return;
      }
      CompletableFuture<?> future;
      try {
        future = call.start(nextId());
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
      if (future.isDone()) {
        record(start, failureOf(future));
        continue;
      }
      future.whenComplete(
          (ignored, failure) -> {
            record(start, failure);
            slot(call, slotsDone);
          });
      return;
    }
  }

  private void record(long start, Throwable failure) {
    long done = System.nanoTime();
    if (failure != null) {
      failures.increment();
      firstFailure.compareAndSet(null, failure);
      return;
    }
    if (answered.compareAndSet(false, true) && done > warmUpEnd) {
      // The first answer came after the warm-up (a scenario slow to start, as on a loaded
      // machine): the measured time starts now, so that it measures calls rather than the start.
      warmUpEnd = done;
      end = done + duration.toNanos();
    }
    if (done >= warmUpEnd && done <= end) {
      measured.increment();
      if (start >= warmUpEnd) {
        recorder.recordValue(done - start);
      }
    }
  }

  private static Throwable failureOf(CompletableFuture<?> done) {
    try {
      done.join();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
