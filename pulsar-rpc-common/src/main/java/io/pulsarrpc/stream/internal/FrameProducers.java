package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;

/**
 * The producers one side of streams sends frames with, one per destination topic (a peer's inbox or
 * a request topic), counted by use: {@link #acquire} takes a use, {@link #release} gives it back,
 * and the producer closes with its last use, so that a side holds producers only for the peers it
 * has open streams with.
 *
 * <p>Thread-safe: every method may be called from any thread; the count and the map change under
 * one lock, and producers are created and closed outside it.
 */
public final class FrameProducers {

  private final MessageBus bus;
  private final Map<String, Entry> entries = new HashMap<>();
  private boolean closed;

  private static final class Entry {
    final CompletableFuture<BusProducer<byte[]>> producer;
    int uses;

    Entry(CompletableFuture<BusProducer<byte[]>> producer) {
      this.producer = producer;
    }
  }

  public FrameProducers(MessageBus bus) {
    this.bus = bus;
  }

  /**
   * A producer for {@code topic}, for one use until {@link #release}. Fails with the bus's error
   * (the use is then already given back), or with {@link IllegalStateException} once closed.
   */
  public CompletableFuture<BusProducer<byte[]>> acquire(String topic) {
    Entry entry;
    boolean create = false;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("producers are closed"));
      }
      entry = entries.get(topic);
      if (entry == null) {
        entry = new Entry(new CompletableFuture<>());
        entries.put(topic, entry);
        create = true;
      }
      entry.uses++;
    }
    if (create) {
      Entry created = entry;
      bus.createProducer(ProducerSpec.of(topic, Schema.BYTES))
          .whenComplete(
              (producer, failure) -> {
                if (failure != null) {
                  synchronized (this) {
                    entries.remove(topic, created);
                  }
                  created.producer.completeExceptionally(failure);
                } else {
                  created.producer.complete(producer);
                }
              });
    }
    return entry.producer;
  }

  /** Gives back one use of {@code topic}'s producer; the last use closes it. */
  public void release(String topic) {
    Entry entry;
    synchronized (this) {
      entry = entries.get(topic);
      if (entry == null || --entry.uses > 0) {
        return;
      }
      entries.remove(topic);
    }
    entry.producer.thenAccept(BusProducer::closeAsync);
  }

  /** Sends one frame to {@code topic} with a producer used for that send only. */
  public CompletableFuture<MessageId> sendOnce(String topic, OutgoingMessage<byte[]> frame) {
    return acquire(topic)
        .thenCompose(producer -> producer.send(frame))
        .whenComplete((id, failure) -> release(topic));
  }

  /** Topics with a producer in use or being created. */
  public synchronized int openProducers() {
    return entries.size();
  }

  /** Closes every producer, in use or not; later acquires fail. Idempotent. */
  public CompletableFuture<Void> closeAll() {
    List<Entry> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(entries.values());
      entries.clear();
    }
    return CompletableFuture.allOf(
        all.stream()
            .map(
                entry ->
                    entry
                        .producer
                        .thenCompose(BusProducer::closeAsync)
                        .exceptionally(failure -> null))
            .toArray(CompletableFuture[]::new));
  }
}
