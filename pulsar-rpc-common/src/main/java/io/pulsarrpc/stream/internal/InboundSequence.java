package io.pulsarrpc.stream.internal;

/**
 * Checks the sequence numbers of a stream's incoming data frames: the next must be one more than
 * the last accepted. A number at or below the last is a duplicate (a bus that delivered twice) and
 * is dropped; a number beyond the next means frames were lost or reordered, which a stream cannot
 * repair. Not thread-safe: its stream calls it under the stream's lock.
 */
final class InboundSequence {

  /** What to do with a frame. */
  enum Verdict {
    /** The next frame: take it. */
    NEXT,
    /** Seen before: drop it. */
    DUPLICATE,
    /** A gap: the stream is broken. */
    OUT_OF_ORDER
  }

  private long last;
  private long duplicates;

  /** Judges a frame's sequence number, and accepts it when it is the next. */
  Verdict check(long sequence) {
    if (sequence == last + 1) {
      last = sequence;
      return Verdict.NEXT;
    }
    if (sequence <= last) {
      duplicates++;
      return Verdict.DUPLICATE;
    }
    return Verdict.OUT_OF_ORDER;
  }

  /** The next sequence number expected. */
  long expected() {
    return last + 1;
  }

  /** Frames dropped as duplicates. */
  long duplicates() {
    return duplicates;
  }
}
