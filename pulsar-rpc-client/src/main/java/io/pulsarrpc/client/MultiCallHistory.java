package io.pulsarrpc.client;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client learned from its multi-calls: how many server groups took part in the last one to
 * each call topic (the request topic's own calls under the empty name), so that the next call knows
 * how many claims to wait for; and the calls that ended lately, so that a claim or reply that comes
 * after its call ended is dropped as such (not handed to the callback as an unknown reply) and
 * still counts its group for the next call.
 *
 * <p>Bounded: one number per bus topic the client called, and the last {@value #RECENT} ended
 * calls. Thread-safe; called from callers' threads, the reply router's and the timer.
 */
final class MultiCallHistory {

  static final int RECENT = 1024;

  private final Map<String, Integer> groupsByTopic = new ConcurrentHashMap<>();
  private final Map<String, Ended> recentlyEnded =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
          return size() > RECENT;
        }
      };

  /** A call that ended: its bus topic and the groups that took part. */
  private record Ended(String busTopic, Set<String> groups) {}

  /**
   * How many groups took part in the last multi-call to {@code busTopic}, or null when none yet.
   */
  Integer expectedGroups(String busTopic) {
    return groupsByTopic.get(busTopic);
  }

  /**
   * Records a call that ended with {@code groups} taking part; none (the call found no responders)
   * makes the next call to the topic start afresh.
   */
  void ended(String correlationId, String busTopic, Set<String> groups) {
    if (groups.isEmpty()) {
      groupsByTopic.remove(busTopic);
    } else {
      groupsByTopic.put(busTopic, groups.size());
    }
    synchronized (recentlyEnded) {
      recentlyEnded.put(correlationId, new Ended(busTopic, new HashSet<>(groups)));
    }
  }

  /**
   * A claim or reply of {@code group} came for a call that is no longer pending.
   *
   * @return whether it was a multi-call that ended lately (its group now counts for the next call
   *     to the same bus topic); false for a call this history does not know
   */
  boolean cameLate(String correlationId, String group) {
    synchronized (recentlyEnded) {
      Ended ended = recentlyEnded.get(correlationId);
      if (ended == null) {
        return false;
      }
      if (ended.groups.size() < MultiCall.MAX_SERVERS && ended.groups.add(group)) {
        groupsByTopic.merge(ended.busTopic, ended.groups.size(), Math::max);
      }
      return true;
    }
  }
}
