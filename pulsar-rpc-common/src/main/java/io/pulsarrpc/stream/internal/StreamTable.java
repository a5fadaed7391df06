package io.pulsarrpc.stream.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side's streams by id: open streams and those being opened or accepted. Every entry is removed
 * when its stream ends, so {@link #size()} is what the side holds state for. Thread-safe.
 */
public final class StreamTable {

  private final Map<String, FrameTarget> targets = new ConcurrentHashMap<>();

  /** Adds a target; false when the id is taken (a duplicate open, or a forged id). */
  public boolean add(String streamId, FrameTarget target) {
    return targets.putIfAbsent(streamId, target) == null;
  }

  /** Replaces {@code expected} by {@code target}; false when the id leads elsewhere now. */
  public boolean replace(String streamId, FrameTarget expected, FrameTarget target) {
    return targets.replace(streamId, expected, target);
  }

  /** Removes the id when it leads to {@code target}. */
  public void remove(String streamId, FrameTarget target) {
    targets.remove(streamId, target);
  }

  /** Where a frame of this stream goes, or null for an unknown stream. */
  public FrameTarget get(String streamId) {
    return targets.get(streamId);
  }

  /** Entries. */
  public int size() {
    return targets.size();
  }

  /** A snapshot of the targets. */
  public List<FrameTarget> targets() {
    return List.copyOf(targets.values());
  }
}
