package io.pulsarrpc.server;

import io.pulsarrpc.bus.support.DaemonThreadFactory;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own handler executor: up to {@code maxThreads} threads, so that as many handlers as
 * the server admits may block at once, that wakes a parked thread only when no thread is already
 * looking for work.
 *
 * <p>Why not a {@code ThreadPoolExecutor} of {@code maxThreads} threads: its queue wakes a parked
 * thread for every task while any thread waits, and with 256 threads one always waits, so each
 * request paid a wake-up and a park (two context switches) although a thread that had just finished
 * could have taken it. On two cores that hand-off was a third of the server's CPU per call. Here, a
 * thread that runs out of work spins briefly before parking and counts itself as
 * <em>searching</em>; a submitted task wakes (or starts) a thread only when none is searching, and
 * a searching thread that finds work while tasks remain queued and no other thread searches wakes
 * one more, so tasks held by blocking handlers never wait for a thread while the pool is below
 * {@code maxThreads}.
 *
 * <p>Guarantees: every accepted task runs exactly once; at most {@code maxThreads} tasks run at
 * once; a task queued while fewer than {@code maxThreads} threads are running tasks gets a thread
 * without waiting for a running one to finish. Threads idle for {@code idleTimeout} end. After
 * {@link #shutdown()}, new tasks are rejected, queued ones still run, then the threads end.
 *
 * <p>Threads: {@link #execute} is called from any thread (the bus's delivery threads, completion
 * threads of user futures); the pool's own threads are named {@code
 * pulsar-rpc-server-<subscription>-n}.
 */
final class HandlerPool implements Executor {

  private static final Logger log = LoggerFactory.getLogger(HandlerPool.class);

  /** Polls of the queue a thread makes before it parks; a few microseconds. */
  private static final int SPINS = 200;

  private final int maxThreads;
  private final long idleTimeoutNanos;
  private final DaemonThreadFactory threadFactory;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

  /** Parked threads, most recently parked first, so that busy periods reuse the warm ones. */
  private final ConcurrentLinkedDeque<Worker> parked = new ConcurrentLinkedDeque<>();

  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicInteger searching = new AtomicInteger();
  private volatile boolean shutdown;

  HandlerPool(int maxThreads, long idleTimeout, TimeUnit unit, String name) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, got " + maxThreads);
    }
    this.maxThreads = maxThreads;
    this.idleTimeoutNanos = unit.toNanos(idleTimeout);
    this.threadFactory = new DaemonThreadFactory(name);
  }

  @Override
  public void execute(Runnable task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    if (shutdown) {
      throw new RejectedExecutionException("the handler pool is shut down");
    }
    tasks.offer(task);
    // A searching thread polls the queue again before it parks (see Worker.run), so it sees this
    // task; otherwise make a thread search.
    if (searching.get() == 0) {
      wakeSearcher();
    }
  }

  /** Stops accepting tasks; queued tasks still run, then every thread ends. */
  void shutdown() {
    shutdown = true;
    for (Worker worker; (worker = parked.pollFirst()) != null; ) {
      // Counted as searching, as every woken thread is: it runs what is queued, then ends.
      searching.incrementAndGet();
      worker.unpark();
    }
  }

  /** Threads alive now, running or parked; for tests. */
  int threadCount() {
    return threads.get();
  }

  /**
   * Makes one more thread search: a parked one if any, else a new one while below {@code
   * maxThreads}. The searcher is counted before it runs, so tasks submitted meanwhile do not wake
   * others.
   */
  private void wakeSearcher() {
    searching.incrementAndGet();
    Worker worker = parked.pollFirst();
    if (worker != null) {
      worker.unpark();
      return;
    }
    while (true) {
      int count = threads.get();
      if (count >= maxThreads) {
        // Every thread is running a task; the first to finish takes the queued one.
        searching.decrementAndGet();
        // A thread may have parked between the poll above and the count: it must not be left
        // parked with a task queued.
        Worker late = tasks.isEmpty() ? null : parked.pollFirst();
        if (late != null) {
          searching.incrementAndGet();
          late.unpark();
        }
        return;
      }
      if (threads.compareAndSet(count, count + 1)) {
        break;
      }
    }
    try {
      threadFactory.newThread(new Worker()).start();
    } catch (RuntimeException | Error e) {
      threads.decrementAndGet();
      searching.decrementAndGet();
      log.error("Could not start a handler thread; queued requests wait for a running one", e);
    }
  }

  /** One pool thread: takes tasks until idle past the timeout or the pool is shut down. */
  private final class Worker implements Runnable {

    private volatile Thread thread;
    private volatile boolean woken;

    void unpark() {
      woken = true;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      thread = Thread.currentThread();
      // This thread starts counted as searching (wakeSearcher).
      try {
        while (true) {
          Runnable task = search();
          if (task == null) {
            return;
          }
          // It found work: if tasks remain and no one else searches, let another thread look.
          if (searching.decrementAndGet() == 0 && !tasks.isEmpty()) {
            wakeSearcher();
          }
          runTask(task);
          searching.incrementAndGet();
        }
      } finally {
        threads.decrementAndGet();
        // A task submitted while this thread was ending may have found no parked thread and the
        // pool at its limit, counting this one; it must not wait for a running task to finish.
        if (!tasks.isEmpty()) {
          wakeSearcher();
        }
      }
    }

    /**
     * Returns a task, still counted as searching; or null when the thread should end, no longer
     * counted.
     */
    private Runnable search() {
      while (true) {
        for (int i = 0; i < SPINS; i++) {
          Runnable task = tasks.poll();
          if (task != null) {
            return task;
          }
          Thread.onSpinWait();
        }
        woken = false;
        parked.addFirst(this);
        searching.decrementAndGet();
        // A task offered before the decrement was either seen by its submitter as "someone
        // searches" or woke a thread; this check covers the first case.
        if (!tasks.isEmpty() && parked.remove(this)) {
          searching.incrementAndGet();
          continue;
        }
        long deadline = System.nanoTime() + idleTimeoutNanos;
        while (!woken && !shutdown) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          LockSupport.parkNanos(this, left);
        }
        if (woken) {
          // The waker counted this thread as searching already.
          continue;
        }
        if (parked.remove(this)) {
          // Idle past the timeout, or shut down: end, unless work arrived meanwhile.
          if (shutdown && !tasks.isEmpty()) {
            searching.incrementAndGet();
            continue;
          }
          return null;
        }
        // Taken off the stack by a waker racing with the timeout: it counted this thread as
        // searching and will set woken; honour it.
        while (!woken) {
          Thread.onSpinWait();
        }
      }
    }

    private void runTask(Runnable task) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("A task of the handler pool failed", e);
      }
      // A handler that left its thread interrupted must not make this thread's parking return at
      // once, or the next task see an interrupt meant for another.
      Thread.interrupted();
    }
  }
}
