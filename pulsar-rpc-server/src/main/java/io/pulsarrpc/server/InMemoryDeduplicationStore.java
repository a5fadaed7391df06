package io.pulsarrpc.server;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies kept in this JVM's memory, at most a given number, forgotten oldest first. Thread-safe.
 *
 * <p>Entries are also kept in a queue in the order they were remembered. A server remembers every
 * reply for the same window, so that order is also the order of expiry: each write drops the
 * expired (or, over the bound, the oldest) entries from the head of the queue, and nothing needs a
 * timer.
 */
final class InMemoryDeduplicationStore implements DeduplicationStore {

  private static final Logger log = LoggerFactory.getLogger(InMemoryDeduplicationStore.class);

  private final int maxEntries;
  private final ConcurrentHashMap<String, RememberedReply> replies = new ConcurrentHashMap<>();
  private final Queue<Entry> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean warnedFull = new AtomicBoolean();

  InMemoryDeduplicationStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public CompletableFuture<Optional<RememberedReply>> find(String key) {
    RememberedReply reply = replies.get(key);
    if (reply == null || reply.isExpiredAt(System.currentTimeMillis())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(reply));
  }

  @Override
  public CompletableFuture<Void> remember(String key, RememberedReply reply) {
    replies.put(key, reply);
    order.add(new Entry(key, reply));
    queued.incrementAndGet();
    forgetOld(System.currentTimeMillis());
    return CompletableFuture.completedFuture(null);
  }

  /** How many replies are held, expired ones not yet dropped included. */
  int size() {
    return replies.size();
  }

  @Override
  public void close() {
    replies.clear();
    order.clear();
    queued.set(0);
  }

  private void forgetOld(long now) {
    while (true) {
      Entry head = order.peek();
      if (head == null) {
        return;
      }
      boolean full = queued.get() > maxEntries;
      if (!full && !head.reply().isExpiredAt(now)) {
        return;
      }
      if (!order.remove(head)) {
        continue;
      }
      queued.decrementAndGet();
      // Only this entry's own reply: the key may have been remembered again since.
      replies.remove(head.key(), head.reply());
      if (full && !head.reply().isExpiredAt(now) && warnedFull.compareAndSet(false, true)) {
        log.warn(
            "The in-memory deduplication store is full ({} replies): forgetting replies before"
                + " they expire, so some duplicates may run again; give it more entries or a"
                + " shorter window",
            maxEntries);
      }
    }
  }

  private record Entry(String key, RememberedReply reply) {}
}
