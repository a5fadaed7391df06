package io.pulsarrpc.inspect;

import java.util.List;

/**
 * A snapshot of one running server: who it is, what it serves, what it did and what it is doing.
 * Taken without holding a lock the server needs: counters are read one by one and the calls in
 * flight are copied from a concurrent table, weakly consistent (a call that starts or settles while
 * the snapshot is taken may or may not be in it). Immutable; the lists are unmodifiable. Times are
 * epoch milliseconds, so that the record travels as plain JSON on the control topic.
 *
 * @param serverId the server instance's id, unique per process lifetime of the server
 * @param requestTopics the request topic (or the pattern of request topics), then the bus topics of
 *     the registered call topics
 * @param subscription the request subscription ({@code serverSub} on replies)
 * @param connected whether the bus could deliver requests to the server and take its replies when
 *     the snapshot was taken: its request consumers (of the request topic, of each registered call
 *     topic and of affinity calls) and the reply producers it holds are all connected. False while
 *     the bus reconnects to a lost broker (true again once every one of them reconnected) and once
 *     the server is closing or closed. A reply producer is made on a reply topic's first reply, so
 *     a server that has not replied yet is judged by its consumers alone
 * @param kinds the call kinds the server answers: {@code single}, {@code multi}, and {@code
 *     affinity} when it has an affinity function
 * @param apiVersionMinimum the oldest API version served, 0 when the server checks none
 * @param apiVersionCurrent the newest API version served, 0 when the server checks none
 * @param startedAtMillis when the server started
 * @param takenAtMillis when this snapshot was taken; uptime is the difference
 * @param counters what the server did since it started
 * @param inFlightCalls the calls received and not yet settled, oldest first
 * @param threadDump the server JVM's threads with their stacks when asked for, otherwise null
 */
public record ServerInspection(
    String serverId,
    List<String> requestTopics,
    String subscription,
    boolean connected,
    List<String> kinds,
    int apiVersionMinimum,
    int apiVersionCurrent,
    long startedAtMillis,
    long takenAtMillis,
    CallCounters counters,
    List<InFlightCall> inFlightCalls,
    String threadDump) {

  /** Copies the lists, so that the snapshot stays as it was taken. */
  public ServerInspection {
    requestTopics = requestTopics == null ? List.of() : List.copyOf(requestTopics);
    kinds = kinds == null ? List.of() : List.copyOf(kinds);
    inFlightCalls = inFlightCalls == null ? List.of() : List.copyOf(inFlightCalls);
  }

  /** How long the server had run when the snapshot was taken, in milliseconds. */
  public long uptimeMillis() {
    return takenAtMillis - startedAtMillis;
  }

  /**
   * What a server did since it started. Each counter is read on its own, so they may be a call
   * apart from one another.
   *
   * @param served calls the handler answered with a reply
   * @param failed calls the handler answered with an error, or finished after their deadline (no
   *     reply; rolled back when it succeeded late)
   * @param rejected requests refused before the handler ran (malformed, too large, unsupported API
   *     version, too early), answered with an error
   * @param inFlight calls received and not yet settled
   */
  public record CallCounters(long served, long failed, long rejected, int inFlight) {}

  /**
   * One call a server received and has not settled.
   *
   * @param correlationId the caller's correlation id
   * @param topic the bus topic the request came from
   * @param kind {@code single}, {@code multi} or {@code affinity}
   * @param receivedAtMillis when the server received it
   * @param deadlineMillis when the caller stops waiting (0 for a request that cannot be read)
   * @param thread the name of the thread running its handler right now, or null when none does
   *     (queued, held until due, or waiting for an asynchronous result)
   */
  public record InFlightCall(
      String correlationId,
      String topic,
      String kind,
      long receivedAtMillis,
      long deadlineMillis,
      String thread) {}
}
