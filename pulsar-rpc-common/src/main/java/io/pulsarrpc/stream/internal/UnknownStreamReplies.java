package io.pulsarrpc.stream.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which frames for unknown streams get a {@code close} NOT_FOUND answer, so that a peer
 * that lost its stream learns it while a flood of forged frames cannot make this side flood back:
 * never a {@code close} (two sides that both forgot a stream would answer each other forever), at
 * most once per stream id among the last {@value #REMEMBERED} answered, and at most {@value
 * #PER_SECOND} answers a second. Memory is bounded by those numbers. Thread-safe.
 */
final class UnknownStreamReplies {

  static final int REMEMBERED = 1024;
  static final int PER_SECOND = 100;

  private final Map<String, Boolean> answered =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };
  private long secondStart;
  private int inSecond;

  /** Whether to answer a frame of type {@code type} for unknown stream {@code streamId} now. */
  synchronized boolean shouldAnswer(StreamFrame.Type type, String streamId, long nowNanos) {
    if (type == StreamFrame.Type.CLOSE || answered.containsKey(streamId)) {
      return false;
    }
    if (nowNanos - secondStart >= 1_000_000_000L) {
      secondStart = nowNanos;
      inSecond = 0;
    }
    if (inSecond >= PER_SECOND) {
      return false;
    }
    inSecond++;
    answered.put(streamId, Boolean.TRUE);
    return true;
  }
}
