package io.pulsarrpc.server;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a leak test compares before and after: the heap in use once garbage is collected, and the
 * live threads by name.
 */
record JvmSnapshot(long usedHeapBytes, Map<String, Integer> threadsByName) {

  private static final int COLLECTIONS = 5;

  /** Collects garbage, then reads the heap in use and lists the live threads. */
  static JvmSnapshot take() {
    return new JvmSnapshot(usedHeapAfterGc(), liveThreads());
  }

  /**
   * The least heap in use seen over five full collections. They are 100 ms apart so that objects
   * freed by cleaners after one collection (buffers, closed connections) are gone by a later one.
   */
  static long usedHeapAfterGc() {
    AtomicLong least = new AtomicLong(Long.MAX_VALUE);
    AtomicInteger collections = new AtomicInteger();
    await()
        .pollInSameThread()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              System.gc();
              long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
              least.accumulateAndGet(used, Math::min);
              return collections.incrementAndGet() >= COLLECTIONS;
            });
    return least.get();
  }

  /** The live threads: how many carry each name. */
  static Map<String, Integer> liveThreads() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Integer> byName = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      // Null for a thread that ended between the two calls.
      if (info != null) {
        byName.merge(info.getThreadName(), 1, Integer::sum);
      }
    }
    return byName;
  }

  int threadCount() {
    return threadsByName.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The names of threads alive in {@code now} beyond those of this snapshot, once per thread. */
  List<String> threadsAddedIn(Map<String, Integer> now) {
    List<String> added = new ArrayList<>();
    now.forEach(
        (name, count) -> {
          int before = Objects.requireNonNullElse(threadsByName.get(name), 0);
          for (int i = before; i < count; i++) {
            added.add(name);
          }
        });
    return added;
  }

  static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / 1_048_576.0);
  }
}
