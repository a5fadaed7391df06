package io.pulsarrpc.protobuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The core clients, servers and buses one generated service object owns: closed together, in the
 * reverse order of their making, every one of them even when some fail, with the first failure.
 * Thread-safe.
 */
final class OwnedParts {

  private final List<Supplier<CompletableFuture<Void>>> closers = new ArrayList<>();

  synchronized <P> P add(P part, Supplier<CompletableFuture<Void>> close) {
    closers.add(close);
    return part;
  }

  /** Closes every part, last made first; fails with the first failure once all finished. */
  CompletableFuture<Void> closeAll() {
    List<Supplier<CompletableFuture<Void>>> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(closers);
      closers.clear();
    }
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    Throwable[] first = new Throwable[1];
    for (int i = toClose.size() - 1; i >= 0; i--) {
      Supplier<CompletableFuture<Void>> close = toClose.get(i);
      all =
          all.thenCompose(
              ignored -> {
                CompletableFuture<Void> closing;
                try {
                  closing = close.get();
                } catch (RuntimeException e) {
                  closing = CompletableFuture.failedFuture(e);
                }
                return closing.handle(
                    (done, failure) -> {
                      if (failure != null && first[0] == null) {
                        first[0] = failure;
                      }
                      return null;
                    });
              });
    }
    return all.thenRun(
        () -> {
          if (first[0] != null) {
            throw first[0] instanceof CompletionException completion
                ? completion
                : new CompletionException(first[0]);
          }
        });
  }
}
