package io.pulsarrpc.bus.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Future completions collected while the broker lock is held and run after it is released.
 * Completing a future runs its callbacks inline, and a callback that calls back into the bus (to
 * receive, acknowledge or publish) must never find the lock taken by a half-finished operation.
 *
 * <p>Completions run inline on the calling thread, except when callbacks have nested into the bus
 * {@value #MAX_INLINE_DEPTH} deep on this thread: then they go to the bus's own thread. A receive
 * loop written as callbacks ({@code receive().thenAccept(m -> { ...; receiveAgain(); })}) nests
 * once per message while a backlog lasts, and would otherwise overflow the stack; Netty bounds
 * listener notification the same way.
 *
 * <p>Not thread-safe: one instance belongs to one operation.
 */
final class DeferredCompletions {

  static final int MAX_INLINE_DEPTH = 16;

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private final Executor overflow;
  private final List<Runnable> actions = new ArrayList<>();

  /**
   * @param overflow runs the completions of a too deeply nested call; when it refuses (the bus is
   *     closing), they run inline after all
   */
  DeferredCompletions(Executor overflow) {
    this.overflow = overflow;
  }

  void add(Runnable action) {
    actions.add(action);
  }

  void fail(CompletableFuture<?> future, Throwable error) {
    actions.add(() -> future.completeExceptionally(error));
  }

  /** Runs what was collected, in order. Call without holding the broker lock. */
  void run() {
    run(DEPTH.get()[0] >= MAX_INLINE_DEPTH);
  }

  /**
   * Hands what was collected to the bus's own thread, so that the caller's stack unwinds first.
   * Call without holding the broker lock.
   */
  void runElsewhere() {
    run(true);
  }

  private void run(boolean elsewhere) {
    if (actions.isEmpty()) {
      return;
    }
    List<Runnable> collected = List.copyOf(actions);
    actions.clear();
    if (elsewhere) {
      try {
        overflow.execute(() -> runInline(collected));
        return;
      } catch (RejectedExecutionException closing) {
        // Run inline: the stack may be deep, but the bus is closing and futures must complete.
      }
    }
    runInline(collected);
  }

  private static void runInline(List<Runnable> collected) {
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      for (Runnable action : collected) {
        action.run();
      }
    } finally {
      depth[0]--;
    }
  }
}
