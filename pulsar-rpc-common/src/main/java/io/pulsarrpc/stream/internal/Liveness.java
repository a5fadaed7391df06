package io.pulsarrpc.stream.internal;

/**
 * The clocks of one stream: when this side last sent a frame, when it last heard from the peer, and
 * when a message last went either way; and the rules on them, checked on each tick of the stream's
 * timer. A heartbeat is due when this side sent nothing for three quarters of its interval (so that
 * the peer hears at least once per interval, ticks included); the peer is dead when nothing came
 * from it for two and a half of its intervals (so the stream fails within three intervals of the
 * peer's last word, ticks included); the stream is idle when no message went either way for the
 * idle timeout.
 *
 * <p>Times are {@link System#nanoTime()} values passed in, so tests drive the clock. Not
 * thread-safe: its stream calls it under the stream's lock.
 */
final class Liveness {

  /** What a tick found, most severe first. */
  enum Verdict {
    PEER_SILENT,
    IDLE,
    HEARTBEAT_DUE,
    NOTHING
  }

  private final long heartbeatNanos;
  private final long peerSilenceNanos;
  private final long idleNanos;
  private long lastSent;
  private long lastHeard;
  private long lastMessage;

  /**
   * @param heartbeatNanos this side's heartbeat interval
   * @param peerHeartbeatNanos the peer's heartbeat interval
   * @param idleNanos the idle timeout, or 0 for none
   * @param now the stream's start
   */
  Liveness(long heartbeatNanos, long peerHeartbeatNanos, long idleNanos, long now) {
    this.heartbeatNanos = heartbeatNanos;
    this.peerSilenceNanos = peerHeartbeatNanos * 5 / 2;
    this.idleNanos = idleNanos;
    this.lastSent = now;
    this.lastHeard = now;
    this.lastMessage = now;
  }

  /** How often the stream's timer should tick: an eighth of the shortest period it watches. */
  long tickNanos() {
    long shortest = Math.min(heartbeatNanos, peerSilenceNanos);
    if (idleNanos > 0) {
      shortest = Math.min(shortest, idleNanos);
    }
    return Math.max(1_000_000, shortest / 8);
  }

  void sent(long now) {
    lastSent = now;
  }

  void heard(long now) {
    lastHeard = now;
  }

  void message(long now) {
    lastMessage = now;
  }

  /** Nanoseconds since the peer was last heard. */
  long silence(long now) {
    return now - lastHeard;
  }

  Verdict check(long now) {
    if (now - lastHeard >= peerSilenceNanos) {
      return Verdict.PEER_SILENT;
    }
    if (idleNanos > 0 && now - lastMessage >= idleNanos) {
      return Verdict.IDLE;
    }
    if (now - lastSent >= heartbeatNanos * 3 / 4) {
      return Verdict.HEARTBEAT_DUE;
    }
    return Verdict.NOTHING;
  }
}
