package io.pulsarrpc.common.internal;

import java.util.regex.Pattern;

/**
 * The bus topics of a request topic's call kinds: a call with topic {@code t} goes to {@code
 * <requestTopic>.topic.<t>}, and an affinity call to that topic (or the request topic) plus {@code
 * .affinity}; an update with topic {@code t} goes to {@code <updateTopic>.topic.<t>}. Client and
 * server derive them here, so that they always agree (docs/protocol.md).
 */
public final class CallTopics {

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private CallTopics() {}

  /**
   * Checks a call topic's name: 1 to 64 letters, digits, {@code _} or {@code -}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String checkedTopic(String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException(
          "topic must be 1 to 64 letters, digits, '_' or '-', got '" + topic + "'");
    }
    return topic;
  }

  /** Where requests with {@code topic} (null for none) go. */
  public static String requestTopic(String requestTopic, String topic) {
    return topic == null ? requestTopic : requestTopic + ".topic." + topic;
  }

  /** Where the updates of {@code updateTopic} with {@code topic} (null for none) go. */
  public static String updateTopic(String updateTopic, String topic) {
    return requestTopic(updateTopic, topic);
  }

  /** Where affinity calls with {@code topic} (null for none) and their selections go. */
  public static String affinityTopic(String requestTopic, String topic) {
    return requestTopic(requestTopic, topic) + ".affinity";
  }
}
