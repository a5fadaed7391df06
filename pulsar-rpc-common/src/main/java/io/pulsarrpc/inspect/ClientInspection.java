package io.pulsarrpc.inspect;

import java.util.List;

/**
 * A snapshot of one client's pending calls, copied from its concurrent table without a lock: weakly
 * consistent (a call made or completed while the snapshot is taken may or may not be in it).
 * Immutable; the list is unmodifiable. Times are epoch milliseconds.
 *
 * @param requestTopic the topic the client sends requests to
 * @param replyTopic the topic the client reads replies from (the pattern of reply topics, when it
 *     reads several)
 * @param replySubscription the client's reply subscription
 * @param connected whether the bus could take the client's requests and deliver its replies when
 *     the snapshot was taken: its request producer and reply consumer are both connected. False
 *     while the bus reconnects to a lost broker and once the client is closed
 * @param takenAtMillis when the snapshot was taken
 * @param pendingCalls the calls waiting for their outcome, oldest first
 */
public record ClientInspection(
    String requestTopic,
    String replyTopic,
    String replySubscription,
    boolean connected,
    long takenAtMillis,
    List<PendingCall> pendingCalls) {

  /** Copies the list, so that the snapshot stays as it was taken. */
  public ClientInspection {
    pendingCalls = pendingCalls == null ? List.of() : List.copyOf(pendingCalls);
  }

  /**
   * One call waiting for its outcome.
   *
   * @param correlationId the call's correlation id
   * @param topic the call's topic ({@code RequestOptions.withTopic}), or null
   * @param kind {@code single}, {@code multi} or {@code affinity}
   * @param startedAtMillis when the call was made
   * @param deadlineMillis when the call fails unless answered: its start (or scheduled delivery
   *     time) plus its timeout
   */
  public record PendingCall(
      String correlationId, String topic, String kind, long startedAtMillis, long deadlineMillis) {}
}
