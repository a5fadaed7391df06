package io.pulsarrpc.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.ReaderBuilder;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TopicMessageId;

/**
 * The latest value of each key of a Pulsar topic, read from its earliest entry by a {@link Reader}
 * and kept up to date as entries arrive; a keyed entry without a value (a tombstone) removes its
 * key. {@link #refresh()} completes once every entry that was on the topic when it was called has
 * been applied: a lookup after it sees every value written before it.
 *
 * <p>Pulsar's own {@code TableView} is not used because its refresh does not give that guarantee:
 * in the 4.0 client it records an entry's position before it puts the entry's value in its map, so
 * a refresh that runs in between completes while the value is still missing (a lookup right after
 * it missed a value written before it, about once in a few hundred). Here an entry's position is
 * recorded only once its value is applied.
 *
 * <p>Threads: the Pulsar client's listener thread applies entries, one at a time and in topic
 * order; any thread may look up, refresh and close. Lookups read a concurrent map and take no lock;
 * positions and waiting refreshes share one lock, and refreshes are completed outside it.
 */
final class KeyedTopicView implements AutoCloseable {

  private static final long OPEN_TIMEOUT_SECONDS = 60;

  private final ConcurrentHashMap<String, byte[]> values = new ConcurrentHashMap<>();
  private final Object positions = new Object();
  // Guarded by positions: the last applied entry of each partition (by local name; one for a
  // topic without partitions) and the refreshes waiting for entries not yet applied.
  private final Map<String, MessageId> applied = new HashMap<>();
  private final List<WaitingRefresh> waiting = new ArrayList<>();
  private boolean closed;
  // Written once by open(), before any caller can reach the view.
  private Reader<byte[]> reader;

  private KeyedTopicView() {}

  /**
   * Opens a view of {@code topic} and waits until it holds every entry already on the topic. A
   * persistent topic is read compacted.
   *
   * @throws PulsarClientException when the broker refuses the reader or the first read fails
   */
  static KeyedTopicView open(PulsarClient client, String topic) throws PulsarClientException {
    KeyedTopicView view = new KeyedTopicView();
    ReaderBuilder<byte[]> builder =
        client
            .newReader(Schema.BYTES)
            .topic(topic)
            .startMessageId(MessageId.earliest)
            .readerListener((ignored, message) -> view.apply(message));
    if (!topic.startsWith("non-persistent://")) {
      builder.readCompacted(true);
    }
    view.reader = builder.create();
    try {
      view.refresh().get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return view;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      view.close();
      throw new PulsarClientException(e);
    } catch (ExecutionException | TimeoutException e) {
      view.close();
      throw PulsarClientException.unwrap(e);
    }
  }

  /** The value of {@code key}, or null when the view holds none. */
  byte[] get(String key) {
    return values.get(key);
  }

  /** The keys the view holds now; a copy. */
  Set<String> keys() {
    return Set.copyOf(values.keySet());
  }

  /** Runs {@code action} on each entry the view holds. */
  void forEach(BiConsumer<String, byte[]> action) {
    values.forEach(action);
  }

  /**
   * Completes once every entry on the topic now has been applied: one broker round trip to learn
   * the topic's last position, then the wait for the reader to get there (none when it is there).
   * Fails when the view is closed first.
   */
  CompletableFuture<Void> refresh() {
    return reader
        .getLastMessageIdsAsync()
        .thenCompose(
            lastIds -> {
              WaitingRefresh refresh = new WaitingRefresh(lastIds);
              synchronized (positions) {
                if (closed) {
                  return CompletableFuture.failedFuture(closedFailure());
                }
                if (refresh.reached(applied)) {
                  return CompletableFuture.completedFuture(null);
                }
                waiting.add(refresh);
              }
              return refresh.done;
            });
  }

  private void apply(Message<byte[]> message) {
    if (message.hasKey()) {
      if (message.size() == 0) {
        values.remove(message.getKey());
      } else {
        values.put(message.getKey(), message.getValue());
      }
    }
    List<WaitingRefresh> reached = new ArrayList<>();
    synchronized (positions) {
      applied.put(localName(message.getTopicName()), message.getMessageId());
      waiting.removeIf(
          refresh -> {
            boolean done = refresh.reached(applied);
            if (done) {
              reached.add(refresh);
            }
            return done;
          });
    }
    reached.forEach(refresh -> refresh.done.complete(null));
  }

  @Override
  public void close() {
    List<WaitingRefresh> abandoned;
    synchronized (positions) {
      closed = true;
      abandoned = new ArrayList<>(waiting);
      waiting.clear();
    }
    abandoned.forEach(refresh -> refresh.done.completeExceptionally(closedFailure()));
    reader.closeAsync().join();
  }

  private PulsarClientException closedFailure() {
    return new PulsarClientException.AlreadyClosedException(
        "The view of " + reader.getTopic() + " is closed");
  }

  /**
   * The topic's name without its domain, tenant and namespace, which is how positions are matched:
   * for a topic given by its short name, the client's messages and its last positions do not name
   * the topic the same way (a view given a short name waited forever before this). The partitions
   * of one topic keep distinct local names.
   */
  private static String localName(String topic) {
    return topic.substring(topic.lastIndexOf('/') + 1);
  }

  /** A refresh waiting for the reader to reach the last position of each (non-empty) topic. */
  private static final class WaitingRefresh {
    private final Map<String, MessageId> targets = new HashMap<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    WaitingRefresh(List<TopicMessageId> lastIds) {
      for (TopicMessageId lastId : lastIds) {
        // A negative entry id is the position of an empty topic: nothing to wait for.
        if (((MessageIdAdv) lastId).getEntryId() >= 0) {
          targets.put(localName(lastId.getOwnerTopic()), lastId);
        }
      }
    }

    /** Whether every target is applied; called holding the positions lock. */
    boolean reached(Map<String, MessageId> applied) {
      targets
          .entrySet()
          .removeIf(
              target -> {
                MessageId position = applied.get(target.getKey());
                return position != null && position.compareTo(target.getValue()) >= 0;
              });
      return targets.isEmpty();
    }
  }
}
